package dev.tributary.telemetry;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses in the source, so that watermarks come from each partition's own event times and
 * a quiet partition can be marked idle. Never throws: bad records become dead letters.
 */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<ParsedTelemetry> {
    private final int maxEventBytes;
    private transient TelemetryParser parser;

    public TelemetryDeserializer(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedTelemetry> out) {
        if (parser == null) {
            parser = new TelemetryParser(maxEventBytes);
        }
        out.collect(parser.parse(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<ParsedTelemetry> getProducedType() {
        return TypeInformation.of(ParsedTelemetry.class);
    }
}
