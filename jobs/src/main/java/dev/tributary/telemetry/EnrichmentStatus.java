package dev.tributary.telemetry;

import java.util.Locale;

/** How far enrichment got for a reading ({@code enrichment_status} in the lake and the enriched topic). */
public enum EnrichmentStatus {
    /** Not yet through enrichment. */
    PENDING,
    /** Joined with its device and vehicle (and the active reservation, if any). */
    ENRICHED,
    /** No row for the device arrived within {@code enrichment.max-wait}. */
    DEVICE_UNKNOWN,
    /** The device row names no vehicle. */
    DEVICE_UNASSIGNED,
    /** The device's vehicle has no row within {@code enrichment.max-wait}. */
    VEHICLE_UNKNOWN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
