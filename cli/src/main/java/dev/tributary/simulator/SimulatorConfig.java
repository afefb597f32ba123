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
 * @param schemaDrift devices change shape mid-run: from the middle of the run every reading carries a
 *     new nested object {@code engine.turbo} ({@code boost_kpa} = rpm / 10, and
 *     {@code wastegate.valve.open}, five levels deep), and from three quarters on one reading in 50
 *     sends {@code battery.temperature_c} as text ({@code "21.5C"}) instead of a number
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
        boolean collectEventIds,
        boolean schemaDrift) {

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
                0.02, 0.002, 12, 10, 100, false, false, false);
    }

    public SimulatorConfig withRate(double rate) {
        return toBuilder().ratePerSecond(rate).build();
    }

    public SimulatorConfig withCollectedIds() {
        return toBuilder().collectEventIds(true).build();
    }

    public SimulatorConfig withHeadlightsMinDuration(Duration duration) {
        return toBuilder().headlightsMinDuration(duration).build();
    }

    public SimulatorConfig withBadInput(int invalid, int unknownDevices) {
        return toBuilder().invalidRecords(invalid).unknownDeviceReadings(unknownDevices).build();
    }

    /** Event time follows the wall clock, one reading per device per {@code interval}. */
    public SimulatorConfig withRealTime(Duration interval) {
        return toBuilder().readingInterval(interval).realTime(true).build();
    }

    public SimulatorConfig withoutNullKeys() {
        return toBuilder().nullKeyEvery(0).build();
    }

    public SimulatorConfig withSchemaDrift() {
        return toBuilder().schemaDrift(true).build();
    }

    public SimulatorConfig withDisorder(double outOfOrder, double late) {
        return toBuilder().outOfOrderFraction(outOfOrder).lateFraction(late).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy of a configuration with some values changed; {@link #build()} validates it. */
    private static final class Builder {
        private int vehicles;
        private long events;
        private double ratePerSecond;
        private long seed;
        private Duration readingInterval;
        private Duration headlightsMinDuration;
        private double outOfOrderFraction;
        private double lateFraction;
        private int invalidRecords;
        private int unknownDeviceReadings;
        private int nullKeyEvery;
        private boolean realTime;
        private boolean collectEventIds;
        private boolean schemaDrift;

        Builder(SimulatorConfig config) {
            vehicles = config.vehicles;
            events = config.events;
            ratePerSecond = config.ratePerSecond;
            seed = config.seed;
            readingInterval = config.readingInterval;
            headlightsMinDuration = config.headlightsMinDuration;
            outOfOrderFraction = config.outOfOrderFraction;
            lateFraction = config.lateFraction;
            invalidRecords = config.invalidRecords;
            unknownDeviceReadings = config.unknownDeviceReadings;
            nullKeyEvery = config.nullKeyEvery;
            realTime = config.realTime;
            collectEventIds = config.collectEventIds;
            schemaDrift = config.schemaDrift;
        }

        Builder ratePerSecond(double value) {
            ratePerSecond = value;
            return this;
        }

        Builder readingInterval(Duration value) {
            readingInterval = value;
            return this;
        }

        Builder headlightsMinDuration(Duration value) {
            headlightsMinDuration = value;
            return this;
        }

        Builder outOfOrderFraction(double value) {
            outOfOrderFraction = value;
            return this;
        }

        Builder lateFraction(double value) {
            lateFraction = value;
            return this;
        }

        Builder invalidRecords(int value) {
            invalidRecords = value;
            return this;
        }

        Builder unknownDeviceReadings(int value) {
            unknownDeviceReadings = value;
            return this;
        }

        Builder nullKeyEvery(int value) {
            nullKeyEvery = value;
            return this;
        }

        Builder realTime(boolean value) {
            realTime = value;
            return this;
        }

        Builder collectEventIds(boolean value) {
            collectEventIds = value;
            return this;
        }

        Builder schemaDrift(boolean value) {
            schemaDrift = value;
            return this;
        }

        SimulatorConfig build() {
            return new SimulatorConfig(vehicles, events, ratePerSecond, seed, readingInterval, headlightsMinDuration, outOfOrderFraction,
                    lateFraction, invalidRecords, unknownDeviceReadings, nullKeyEvery, realTime, collectEventIds, schemaDrift);
        }
    }
}
