package dev.tributary.telemetry;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;

/** A reading held back while its state has not arrived, and when (processing time) it arrived. */
public record PendingReading(EnrichedTelemetry reading, long arrivedAtMillis) {}
