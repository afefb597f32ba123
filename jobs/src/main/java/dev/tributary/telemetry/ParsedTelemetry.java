package dev.tributary.telemetry;

import dev.tributary.deadletter.DeadLetter;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;

/**
 * The outcome of reading one record of the raw telemetry topic: a reading, ready to be
 * enriched, or a dead letter. Exactly one of the two is set.
 */
public record ParsedTelemetry(EnrichedTelemetry reading, DeadLetter deadLetter) {
    public ParsedTelemetry {
        if ((reading == null) == (deadLetter == null)) {
            throw new IllegalArgumentException("exactly one of reading and deadLetter must be set");
        }
    }

    public static ParsedTelemetry valid(EnrichedTelemetry reading) {
        return new ParsedTelemetry(reading, null);
    }

    public static ParsedTelemetry invalid(DeadLetter deadLetter) {
        return new ParsedTelemetry(null, deadLetter);
    }

    /** The event time of a valid reading; invalid records carry none and do not move watermarks. */
    public long eventTimeMillis() {
        return reading != null ? reading.getEventTime().toEpochMilli() : Long.MIN_VALUE;
    }
}
