package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import dev.tributary.format.AvroJsonWriter;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Enriched readings as plain JSON, keyed by device id, timestamped with their event time (for Druid). */
public final class EnrichedSerializer implements KafkaRecordSerializationSchema<EnrichedTelemetry> {
    private final String topic;

    public EnrichedSerializer(String topic) {
        this.topic = requireNonNull(topic, "topic is null");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(EnrichedTelemetry reading, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, reading.getEventTime().toEpochMilli(),
                reading.getDeviceId().getBytes(StandardCharsets.UTF_8), AvroJsonWriter.toJsonBytes(reading));
    }
}
