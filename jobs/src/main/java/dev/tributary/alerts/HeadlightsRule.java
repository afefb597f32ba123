package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.Doors;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The headlights rule: the engine is off, every door (and the trunk) is closed, and the
 * headlights are on, continuously for at least {@code minDuration} of event time. It raises
 * one alert per occurrence and resolves it when the condition clears.
 *
 * <p>This class is the rule's logic alone, over observations already in event-time order;
 * {@link EventTimeRuleFunction} feeds it in that order inside Flink.
 */
public final class HeadlightsRule implements java.io.Serializable {
    public static final String TYPE = "headlights_left_on";
    public static final String SEVERITY = "warning";

    private final Duration minDuration;
    private final String expression;

    public HeadlightsRule(Duration minDuration) {
        this.minDuration = requireNonNull(minDuration, "minDuration is null");
        this.expression = "engine.on = false AND every door closed AND lights.headlights.on = true for at least " + minDuration;
    }

    /** What the rule needs of a reading. */
    public record Observation(String eventId, String deviceId, String vehicleId, long eventTimeMillis, long sequence, boolean holds) {}

    /** An occurrence in progress: since when the condition holds, and whether it was raised. */
    public record Occurrence(long sinceMillis, String startEventId, String deviceId, String vehicleId, boolean raised) {}

    /** The rule's next state (null when the condition does not hold) and the alert to send, if any. */
    public record Step(Occurrence next, Alert alert) {}

    public static Observation observe(EnrichedTelemetry reading) {
        Doors doors = reading.getDoors();
        boolean allClosed = !doors.getFrontLeft().getOpen() && !doors.getFrontRight().getOpen()
                && !doors.getRearLeft().getOpen() && !doors.getRearRight().getOpen() && !doors.getTrunk().getOpen();
        boolean holds = !reading.getEngine().getOn() && allClosed && reading.getLights().getHeadlights().getOn();
        return new Observation(reading.getEventId(), reading.getDeviceId(), reading.getVehicleId(),
                reading.getEventTime().toEpochMilli(), reading.getSequence(), holds);
    }

    /** Applies one observation; observations must come in event-time order. */
    public Step onObservation(Occurrence current, Observation observation) {
        if (observation.holds()) {
            if (current != null) {
                return new Step(current, null);
            }
            return new Step(new Occurrence(observation.eventTimeMillis(), observation.eventId(), observation.deviceId(), observation.vehicleId(), false), null);
        }
        if (current != null && current.raised()) {
            return new Step(null, alert(current, "resolved", observation.eventTimeMillis(), observation.eventId()));
        }
        return new Step(null, null);
    }

    /** Event time has reached {@code timeMillis}: raises the occurrence if it has lasted long enough. */
    public Step onTime(Occurrence current, long timeMillis) {
        if (current == null || current.raised() || timeMillis < deadline(current)) {
            return new Step(current, null);
        }
        Occurrence raised = new Occurrence(current.sinceMillis(), current.startEventId(), current.deviceId(), current.vehicleId(), true);
        return new Step(raised, alert(current, "raised", deadline(current), current.startEventId()));
    }

    public long deadline(Occurrence occurrence) {
        return occurrence.sinceMillis() + minDuration.toMillis();
    }

    /** A stable id for an occurrence: the same input gives the same id, across restarts and replays. */
    public static String alertId(String type, String entityId, long sinceMillis) {
        return UUID.nameUUIDFromBytes((type + "|" + entityId + "|" + sinceMillis).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Alert alert(Occurrence occurrence, String status, long observedAtMillis, String eventId) {
        boolean hasVehicle = occurrence.vehicleId() != null;
        String entityId = hasVehicle ? occurrence.vehicleId() : occurrence.deviceId();
        Duration heldFor = Duration.ofMillis(observedAtMillis - occurrence.sinceMillis());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("engine.on", "false");
        values.put("doors.all_closed", "true");
        values.put("lights.headlights.on", status.equals("raised") ? "true" : "false");
        values.put("held_for", heldFor.toString());
        String explanation = status.equals("raised")
                ? "Headlights on for " + heldFor + " with the engine off and every door closed (" + (hasVehicle ? "vehicle " : "device ") + entityId + ")."
                : "Headlights of " + (hasVehicle ? "vehicle " : "device ") + entityId + " are off again or the vehicle is in use, after " + heldFor + ".";
        return Alert.newBuilder()
                .setAlertId(alertId(TYPE, entityId, occurrence.sinceMillis()))
                .setAlertType(TYPE)
                .setStatus(status)
                .setSeverity(SEVERITY)
                .setEntityType(hasVehicle ? "vehicle" : "device")
                .setEntityId(entityId)
                .setDeviceId(occurrence.deviceId())
                .setVehicleId(occurrence.vehicleId())
                .setConditionSince(Instant.ofEpochMilli(occurrence.sinceMillis()))
                .setObservedAt(Instant.ofEpochMilli(observedAtMillis))
                .setRule(expression)
                .setThreshold(minDuration.toString())
                .setObservedValues(values)
                .setExplanation(explanation)
                .setTriggerEventId(eventId)
                .build();
    }
}
