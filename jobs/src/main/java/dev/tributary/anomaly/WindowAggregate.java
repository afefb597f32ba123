package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

/**
 * One entity's readings over one event-time window, reduced to the mean of each metric
 * (NaN for a metric no reading carried).
 */
public record WindowAggregate(String entityType, String entityId, String deviceId, String vehicleId, long windowStart, long windowEnd,
        long readings, double[] means) {
    public WindowAggregate {
        requireNonNull(entityType, "entityType is null");
        requireNonNull(entityId, "entityId is null");
        requireNonNull(deviceId, "deviceId is null");
        requireNonNull(means, "means is null");
    }

    /** The key readings were grouped by: the vehicle, or the device when the vehicle is unknown. */
    public String entityKey() {
        return vehicleId != null ? vehicleId : "device:" + deviceId;
    }
}
