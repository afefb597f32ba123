package dev.tributary.telemetry;

import dev.tributary.deadletter.DeadLetter;
import dev.tributary.schema.SchemaChangeEvent;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.List;

/**
 * The outcome of reading one record of the raw telemetry topic: a reading, ready to be
 * enriched, or a dead letter (exactly one of the two is set); and the ways the record's shape
 * differs from the registered schema ({@code drift}, empty when it does not or when drift
 * checking is off).
 */
public record ParsedTelemetry(EnrichedTelemetry reading, DeadLetter deadLetter, List<SchemaChangeEvent> drift) {
    public ParsedTelemetry {
        if ((reading == null) == (deadLetter == null)) {
            throw new IllegalArgumentException("exactly one of reading and deadLetter must be set");
        }
        drift = List.copyOf(drift);
    }

    public static ParsedTelemetry valid(EnrichedTelemetry reading) {
        return new ParsedTelemetry(reading, null, List.of());
    }

    public static ParsedTelemetry invalid(DeadLetter deadLetter) {
        return new ParsedTelemetry(null, deadLetter, List.of());
    }

    public ParsedTelemetry withDrift(List<SchemaChangeEvent> changes) {
        return new ParsedTelemetry(reading, deadLetter, changes);
    }

    /** The event time of a valid reading; invalid records carry none and do not move watermarks. */
    public long eventTimeMillis() {
        return reading != null ? reading.getEventTime().toEpochMilli() : Long.MIN_VALUE;
    }
}
