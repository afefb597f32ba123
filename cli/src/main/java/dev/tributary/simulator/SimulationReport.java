package dev.tributary.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the simulator sent: counts by kind, the scenarios it injected, and (when asked for)
 * the ids of the valid readings; with schema drift, the ids of the readings that carried the new
 * field and of those that carried the type conflict.
 */
public record SimulationReport(
        long produced,
        long valid,
        long invalid,
        Map<String, Long> invalidByKind,
        long unknownDeviceReadings,
        long nullKeyReadings,
        long outOfOrder,
        long late,
        List<Scenario> scenarios,
        Instant firstEventTime,
        Instant lastEventTime,
        Set<String> validEventIds,
        Set<String> extendedEventIds,
        Set<String> conflictingEventIds) {

    public Map<String, Long> scenariosByType() {
        Map<String, Long> counts = new TreeMap<>();
        counts.put(Scenario.HEADLIGHTS_LEFT_ON, 0L);
        counts.put(Scenario.BATTERY_DRAIN, 0L);
        counts.put(Scenario.ENGINE_OVERHEAT, 0L);
        for (Scenario scenario : scenarios) {
            counts.merge(scenario.type(), 1L, Long::sum);
        }
        return counts;
    }

    public long scenarios(String type) {
        return scenarios.stream().filter(s -> s.type().equals(type)).count();
    }
}
