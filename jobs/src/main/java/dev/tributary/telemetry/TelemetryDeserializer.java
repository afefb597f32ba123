package dev.tributary.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.schema.JsonShapeCheck;
import dev.tributary.schema.SchemaChange;
import dev.tributary.schema.SchemaChangeCloudEvents;
import dev.tributary.schema.SchemaChangeEvent;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses in the source, so that watermarks come from each partition's own event times and
 * a quiet partition can be marked idle. Never throws: bad records become dead letters.
 *
 * <p>With drift checking on, each record that is a JSON object is also compared with the
 * registered schema of device readings ({@link JsonShapeCheck}); what differs travels with the
 * parsed record, to be reported once per distinct change downstream.
 */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<ParsedTelemetry> {
    public static final String DRIFT_ACTION = "reported";

    private final int maxEventBytes;
    private final boolean checkDrift;
    private transient TelemetryParser parser;
    private transient JsonShapeCheck shapes;
    private transient ObjectMapper mapper;

    public TelemetryDeserializer(int maxEventBytes) {
        this(maxEventBytes, false);
    }

    public TelemetryDeserializer(int maxEventBytes, boolean checkDrift) {
        this.maxEventBytes = maxEventBytes;
        this.checkDrift = checkDrift;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedTelemetry> out) {
        if (parser == null) {
            parser = new TelemetryParser(maxEventBytes);
            shapes = new JsonShapeCheck(TelemetryReading.getClassSchema());
            mapper = new ObjectMapper();
        }
        ParsedTelemetry parsed = parser.parse(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), System.currentTimeMillis());
        if (checkDrift) {
            List<SchemaChangeEvent> drift = drift(record);
            if (!drift.isEmpty()) {
                parsed = parsed.withDrift(drift);
            }
        }
        out.collect(parsed);
    }

    /** The record's differences from the registered schema; none for a record that is not a JSON object. */
    List<SchemaChangeEvent> drift(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value == null || value.length == 0 || value.length > maxEventBytes) {
            return List.of();
        }
        JsonNode event;
        try {
            event = mapper.readTree(value);
        } catch (IOException e) {
            return List.of();
        }
        if (event == null || !event.isObject()) {
            return List.of();
        }
        List<SchemaChangeEvent> drift = new ArrayList<>(0);
        Set<String> seen = new HashSet<>();
        for (SchemaChange change : shapes.check(event)) {
            if (seen.add(SchemaChangeCloudEvents.id(change))) {
                drift.add(new SchemaChangeEvent(change, record.timestamp(), record.topic(), record.partition(), record.offset(), 1, DRIFT_ACTION));
            }
        }
        return drift;
    }

    @Override
    public TypeInformation<ParsedTelemetry> getProducedType() {
        return TypeInformation.of(ParsedTelemetry.class);
    }
}
