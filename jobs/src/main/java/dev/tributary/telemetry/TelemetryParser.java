package dev.tributary.telemetry;

import dev.tributary.format.InvalidRecordException;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.schemas.telemetry.SourcePosition;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.time.Instant;
import org.apache.avro.specific.SpecificData;

/**
 * Parse and validate: turns the bytes of one raw telemetry record into a reading, or into a
 * dead letter that says why not. Checks, in order: a value is present and not empty, it is no
 * larger than the configured limit, it is JSON, it fits {@link TelemetryReading}'s schema, and
 * its ids and sequence make sense.
 */
public final class TelemetryParser {
    public static final String STAGE = "parse";

    private final int maxEventBytes;
    private final JsonAvroReader reader = new JsonAvroReader(SpecificData.getForClass(TelemetryReading.class));

    public TelemetryParser(int maxEventBytes) {
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
        this.maxEventBytes = maxEventBytes;
    }

    /** Parses a Kafka record. */
    public ParsedTelemetry parse(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, long nowMillis) {
        return parse(RecordOrigin.kafka(topic, partition, offset), timestamp, key, value, nowMillis);
    }

    /** Parses a record read from {@code origin}. */
    public ParsedTelemetry parse(RecordOrigin origin, long timestamp, byte[] key, byte[] value, long nowMillis) {
        if (value == null) {
            return invalid(origin, timestamp, key, null, "empty message: the record value is null");
        }
        if (value.length == 0) {
            return invalid(origin, timestamp, key, value, "empty message: the record value has no bytes");
        }
        if (value.length > maxEventBytes) {
            return invalid(origin, timestamp, key, value,
                    "event too large: " + value.length + " bytes, more than telemetry.max-event-bytes=" + maxEventBytes);
        }
        TelemetryReading reading;
        try {
            reading = reader.read(value, TelemetryReading.getClassSchema());
        } catch (InvalidRecordException e) {
            return invalid(origin, timestamp, key, value, e.getMessage());
        }
        if (reading.getEventId().isBlank()) {
            return invalid(origin, timestamp, key, value, "empty value at 'event_id'");
        }
        if (reading.getDeviceId().isBlank()) {
            return invalid(origin, timestamp, key, value, "empty value at 'device_id'");
        }
        if (reading.getSequence() < 0) {
            return invalid(origin, timestamp, key, value, "negative value " + reading.getSequence() + " at 'sequence'");
        }
        return ParsedTelemetry.valid(toPending(reading, new SourcePosition(origin.topic(), origin.partition(), origin.offset(), origin.sequenceNumber()), Instant.ofEpochMilli(nowMillis)));
    }

    /** The reading's fields, shared not copied, in the enriched shape, waiting for enrichment. */
    static EnrichedTelemetry toPending(TelemetryReading reading, SourcePosition source, Instant ingestedAt) {
        EnrichedTelemetry enriched = new EnrichedTelemetry();
        enriched.setEventId(reading.getEventId());
        enriched.setDeviceId(reading.getDeviceId());
        enriched.setSequence(reading.getSequence());
        enriched.setEventTime(reading.getEventTime());
        enriched.setFirmwareVersion(reading.getFirmwareVersion());
        enriched.setEngine(reading.getEngine());
        enriched.setDoors(reading.getDoors());
        enriched.setLights(reading.getLights());
        enriched.setBattery(reading.getBattery());
        enriched.setLocation(reading.getLocation());
        enriched.setDiagnostics(reading.getDiagnostics());
        enriched.setEnrichmentStatus(EnrichmentStatus.PENDING.value());
        enriched.setEnrichmentWaitMs(0L);
        enriched.setSource(source);
        enriched.setIngestedAt(ingestedAt);
        return enriched;
    }

    private static ParsedTelemetry invalid(RecordOrigin origin, long timestamp, byte[] key, byte[] value, String reason) {
        return ParsedTelemetry.invalid(origin.deadLetter(timestamp, key, value, reason, STAGE));
    }
}
