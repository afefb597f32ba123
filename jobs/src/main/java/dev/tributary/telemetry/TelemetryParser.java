package dev.tributary.telemetry;

import dev.tributary.config.Durations;
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
    /** The reason a reading dated too far ahead of processing time is refused (the dead letter's reason starts with it). */
    public static final String EVENT_TIME_IN_FUTURE = "event_time_in_future";
    /** The reason a reading dated too far back is refused. */
    public static final String EVENT_TIME_TOO_OLD = "event_time_too_old";

    private final ReadingLimits limits;
    private final JsonAvroReader reader = new JsonAvroReader(SpecificData.getForClass(TelemetryReading.class));

    /** A parser with the default time bounds. */
    public TelemetryParser(int maxEventBytes) {
        this(ReadingLimits.ofSize(maxEventBytes));
    }

    public TelemetryParser(ReadingLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits is null");
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
        if (value.length > limits.maxEventBytes()) {
            return invalid(origin, timestamp, key, value,
                    "event too large: " + value.length + " bytes, more than telemetry.max-event-bytes=" + limits.maxEventBytes());
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
        String idTooLong = reading.getEventId().length() > ReadingLimits.MAX_ID_LENGTH ? "event_id"
                : reading.getDeviceId().length() > ReadingLimits.MAX_ID_LENGTH ? "device_id" : null;
        if (idTooLong != null) {
            return invalid(origin, timestamp, key, value, "value too long at '" + idTooLong + "': more than " + ReadingLimits.MAX_ID_LENGTH + " characters");
        }
        String outOfRange = eventTimeOutOfRange(reading.getEventTime(), nowMillis);
        if (outOfRange != null) {
            return invalid(origin, timestamp, key, value, outOfRange);
        }
        return ParsedTelemetry.valid(toPending(reading, new SourcePosition(origin.topic(), origin.partition(), origin.offset(), origin.sequenceNumber()), Instant.ofEpochMilli(nowMillis)));
    }

    /** Why an event time is not plausible against processing time, or null when it is. */
    private String eventTimeOutOfRange(Instant eventTime, long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        if (eventTime.isAfter(now.plus(limits.maxFutureSkew()))) {
            return EVENT_TIME_IN_FUTURE + ": event_time " + eventTime + " is more than telemetry.max-future-skew="
                    + Durations.format(limits.maxFutureSkew()) + " ahead of processing time " + now;
        }
        if (eventTime.isBefore(now.minus(limits.maxEventAge()))) {
            return EVENT_TIME_TOO_OLD + ": event_time " + eventTime + " is more than telemetry.max-event-age="
                    + Durations.format(limits.maxEventAge()) + " before processing time " + now;
        }
        return null;
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
