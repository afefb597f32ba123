package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.format.AvroJsonWriter;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Enriched readings as plain JSON, keyed by device id, timestamped with their event time (for
 * Druid). Fields accepted by schema drift appear where the device sent them, as in the lake
 * (the reading's {@code extensions} are merged in, not sent as a field of their own).
 */
public final class EnrichedSerializer implements KafkaRecordSerializationSchema<EnrichedTelemetry> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> EXTENSIONS = java.util.Set.of("extensions");

    private final String topic;

    public EnrichedSerializer(String topic) {
        this.topic = requireNonNull(topic, "topic is null");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(EnrichedTelemetry reading, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, reading.getEventTime().toEpochMilli(),
                reading.getDeviceId().getBytes(StandardCharsets.UTF_8), json(reading));
    }

    static byte[] json(EnrichedTelemetry reading) {
        byte[] json = AvroJsonWriter.toJsonBytes(reading, EXTENSIONS);
        if (reading.getExtensions() == null) {
            return json;
        }
        try {
            ObjectNode object = (ObjectNode) JSON.readTree(json);
            merge(object, JSON.readTree(reading.getExtensions()));
            return JSON.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the extension tree's fields into the reading's JSON: objects field by field, array elements by index. */
    private static void merge(JsonNode target, JsonNode extension) {
        if (target instanceof ObjectNode object && extension.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = extension.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode existing = object.get(field.getKey());
                if (existing == null || existing.isNull()) {
                    object.set(field.getKey(), field.getValue());
                } else {
                    merge(existing, field.getValue());
                }
            }
        } else if (target instanceof ArrayNode array && extension.isArray()) {
            for (int i = 0; i < Math.min(array.size(), extension.size()); i++) {
                merge(array.get(i), extension.get(i));
            }
        }
    }
}
