package dev.tributary.simulator;

import java.time.Duration;

/**
 * What the fleet simulator sends.
 *
 * @param vehicles vehicles in the fleet, each with one device
 * @param events valid readings to send, unknown-device readings included (the rows the lake will hold)
 * @param ratePerSecond records sent per second; 0 sends as fast as the broker takes them
 * @param readingInterval event time between two readings of one device
 * @param headlightsMinDuration the headlights rule's duration: injected occurrences last longer, harmless ones much shorter
 * @param outOfOrderFraction readings delayed by 1-4 s (out of order, inside a 5 s watermark bound)
 * @param lateFraction readings delayed by 20-60 s (behind the watermark: late)
 * @param invalidRecords refused records to mix in (malformed, missing field, wrong type, empty, null value, oversized)
 * @param unknownDeviceReadings valid readings from devices the operational tables do not know
 * @param nullKeyEvery every n-th reading is sent without a key (0: never)
 * @param realTime event time follows the wall clock (for latency measurements); otherwise it ends now and runs as fast as sent
 * @param collectEventIds keep the ids of the valid readings sent, for checks
 */
public record SimulatorConfig(
        int vehicles,
        long events,
        double ratePerSecond,
        long seed,
        Duration readingInterval,
        Duration headlightsMinDuration,
        double outOfOrderFraction,
        double lateFraction,
        int invalidRecords,
        int unknownDeviceReadings,
        int nullKeyEvery,
        boolean realTime,
        boolean collectEventIds) {

    public SimulatorConfig {
        if (vehicles <= 0) {
            throw new IllegalArgumentException("vehicles must be positive, not " + vehicles);
        }
        if (events < 0) {
            throw new IllegalArgumentException("events must not be negative, not " + events);
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative, not " + ratePerSecond);
        }
        if (unknownDeviceReadings > events) {
            throw new IllegalArgumentException("unknown-device readings (" + unknownDeviceReadings + ") cannot exceed events (" + events + ")");
        }
    }

    public static SimulatorConfig defaults(int vehicles, long events) {
        return new SimulatorConfig(vehicles, events, 0, 42, Duration.ofSeconds(5), Duration.ofMinutes(5),
                0.02, 0.002, 12, 10, 100, false, false);
    }

    public SimulatorConfig withRate(double rate) {
        return new SimulatorConfig(vehicles, events, rate, seed, readingInterval, headlightsMinDuration, outOfOrderFraction,
                lateFraction, invalidRecords, unknownDeviceReadings, nullKeyEvery, realTime, collectEventIds);
    }

    public SimulatorConfig withCollectedIds() {
        return new SimulatorConfig(vehicles, events, ratePerSecond, seed, readingInterval, headlightsMinDuration, outOfOrderFraction,
                lateFraction, invalidRecords, unknownDeviceReadings, nullKeyEvery, realTime, true);
    }

    public SimulatorConfig withHeadlightsMinDuration(Duration duration) {
        return new SimulatorConfig(vehicles, events, ratePerSecond, seed, readingInterval, duration, outOfOrderFraction,
                lateFraction, invalidRecords, unknownDeviceReadings, nullKeyEvery, realTime, collectEventIds);
    }

    public SimulatorConfig withBadInput(int invalid, int unknownDevices) {
        return new SimulatorConfig(vehicles, events, ratePerSecond, seed, readingInterval, headlightsMinDuration, outOfOrderFraction,
                lateFraction, invalid, unknownDevices, nullKeyEvery, realTime, collectEventIds);
    }

    public SimulatorConfig withRealTime(Duration interval) {
        return new SimulatorConfig(vehicles, events, ratePerSecond, seed, interval, headlightsMinDuration, outOfOrderFraction,
                lateFraction, invalidRecords, unknownDeviceReadings, nullKeyEvery, true, collectEventIds);
    }

    public SimulatorConfig withoutNullKeys() {
        return new SimulatorConfig(vehicles, events, ratePerSecond, seed, readingInterval, headlightsMinDuration, outOfOrderFraction,
                lateFraction, invalidRecords, unknownDeviceReadings, 0, realTime, collectEventIds);
    }

    public SimulatorConfig withDisorder(double outOfOrder, double late) {
        return new SimulatorConfig(vehicles, events, ratePerSecond, seed, readingInterval, headlightsMinDuration, outOfOrder,
                late, invalidRecords, unknownDeviceReadings, nullKeyEvery, realTime, collectEventIds);
    }
}
