package dev.tributary.simulator;

import java.time.Instant;

/**
 * A labelled situation the simulator injected, with the event times it spans.
 *
 * @param type {@code headlights_left_on}, {@code battery_drain} or {@code engine_overheat}
 * @param conditionStart event time of the first reading that shows it
 * @param conditionEnd event time of the first reading after it ended
 */
public record Scenario(String type, String vehicleId, String deviceId, Instant conditionStart, Instant conditionEnd) {
    public static final String HEADLIGHTS_LEFT_ON = "headlights_left_on";
    public static final String BATTERY_DRAIN = "battery_drain";
    public static final String ENGINE_OVERHEAT = "engine_overheat";

    /** The alert type the bundled rules (deploy/rules/fleet-rules.yaml) open for this scenario. */
    public String alertType() {
        return switch (type) {
            case BATTERY_DRAIN -> "battery_low";
            case ENGINE_OVERHEAT -> "coolant_overheat";
            default -> type;
        };
    }
}
