package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.telemetry.ReadingField;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules' logic for one entity, over observations in event-time order; the Flink function
 * ({@link EventTimeRuleFunction}) feeds it in that order and keeps its {@link EntityState}.
 *
 * <p>Per rule, an occurrence starts at the first reading where every condition holds. When it
 * has held for the rule's duration it opens (an {@code opened} alert at the rule's severity),
 * unless it is suppressed: it started within the rule's quiet period after the previous
 * occurrence resolved, or the entity already opened the hourly maximum of alerts. An open
 * occurrence escalates once (an {@code escalated} alert, severity alarm) after the rule's
 * escalation time or at the first reading that meets its escalation conditions, and resolves (a
 * {@code resolved} alert) at the first reading where a condition no longer holds. Suppressed
 * occurrences send nothing and are counted.
 */
public final class RuleEngine implements java.io.Serializable {
    public static final String OPENED = "opened";
    public static final String ESCALATED = "escalated";
    public static final String RESOLVED = "resolved";
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final RuleSet rules;
    private final List<ReadingField> fields;

    public RuleEngine(RuleSet rules) {
        this.rules = requireNonNull(rules, "rules is null");
        if (rules.rules().size() > 64) {
            throw new IllegalArgumentException("at most 64 rules, found " + rules.rules().size());
        }
        List<ReadingField> all = new ArrayList<>();
        for (Rule rule : rules.rules()) {
            for (String path : rule.fieldPaths()) {
                if (all.stream().noneMatch(field -> field.path().equals(path))) {
                    all.add(ReadingField.resolveOne(path));
                }
            }
        }
        this.fields = List.copyOf(all);
    }

    public RuleSet rules() {
        return rules;
    }

    /** What the rules need of a reading: which rules hold, which escalation conditions hold, and the values they read. */
    public record Observation(String eventId, String deviceId, String vehicleId, long eventTimeMillis, long sequence,
            long holds, long escalation, Map<String, String> values) {}

    /** The state of one rule for one entity. */
    public enum Status { PENDING, OPEN, ESCALATED, SUPPRESSED }

    /** An occurrence in progress: since when its conditions hold, and the values last seen. */
    public record Occurrence(long sinceMillis, String startEventId, String deviceId, String vehicleId, Status status, Map<String, String> values) {
        Occurrence with(Status newStatus, Map<String, String> newValues) {
            return new Occurrence(sinceMillis, startEventId, deviceId, vehicleId, newStatus, newValues);
        }
    }

    /** One entity's state: an occurrence per rule (or none), when each rule's quiet period ends, when alerts opened in the last hour. */
    public static final class EntityState {
        final Map<String, Occurrence> occurrences;
        final Map<String, Long> quietUntil;
        final List<Long> openedAt;
        long suppressed;
        boolean changed;

        public EntityState(Map<String, Occurrence> occurrences, Map<String, Long> quietUntil, List<Long> openedAt) {
            this.occurrences = new LinkedHashMap<>(occurrences);
            this.quietUntil = new LinkedHashMap<>(quietUntil);
            this.openedAt = new ArrayList<>(openedAt);
        }

        public static EntityState empty() {
            return new EntityState(Map.of(), Map.of(), List.of());
        }

        public Map<String, Occurrence> occurrences() {
            return occurrences;
        }

        public Map<String, Long> quietUntil() {
            return quietUntil;
        }

        public List<Long> openedAt() {
            return openedAt;
        }

        /** Whether the engine changed anything since this state was loaded (only then does it need saving). */
        public boolean changed() {
            return changed;
        }

        /** Occurrences suppressed since the last call, and resets the count. */
        public long takeSuppressed() {
            long count = suppressed;
            suppressed = 0;
            return count;
        }
    }

    public Observation observe(EnrichedTelemetry reading) {
        long holds = 0;
        long escalation = 0;
        for (int i = 0; i < rules.rules().size(); i++) {
            Rule rule = rules.rules().get(i);
            if (rule.holds(reading)) {
                holds |= 1L << i;
                if (rule.escalationHolds(reading)) {
                    escalation |= 1L << i;
                }
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (holds != 0) {
            for (ReadingField field : fields) {
                Object value = field.read(reading);
                values.put(field.path(), value == null ? "null" : Condition.format(value instanceof Number number ? (Object) number.doubleValue() : value.toString()));
            }
        }
        return new Observation(reading.getEventId(), reading.getDeviceId(), reading.getVehicleId(), reading.getEventTime().toEpochMilli(),
                reading.getSequence(), holds, escalation, values);
    }

    /** Applies one observation; observations must come in event-time order, after {@link #onTime} up to just before it. */
    public List<Alert> onObservation(EntityState state, Observation observation) {
        List<Alert> alerts = new ArrayList<>(1);
        long time = observation.eventTimeMillis();
        for (int i = 0; i < rules.rules().size(); i++) {
            Rule rule = rules.rules().get(i);
            Occurrence current = state.occurrences.get(rule.name());
            boolean holds = (observation.holds() & (1L << i)) != 0;
            if (holds) {
                Map<String, String> values = valuesOf(rule, observation.values());
                if (current == null) {
                    state.changed = true;
                    state.occurrences.put(rule.name(), new Occurrence(time, observation.eventId(), observation.deviceId(), observation.vehicleId(), Status.PENDING, values));
                    continue;
                }
                boolean escalate = current.status() == Status.OPEN && (observation.escalation() & (1L << i)) != 0;
                Occurrence updated = current.with(escalate ? Status.ESCALATED : current.status(), values);
                state.changed = true;
                state.occurrences.put(rule.name(), updated);
                if (escalate) {
                    alerts.add(alert(rule, updated, ESCALATED, time, observation.eventId()));
                }
            } else if (current != null) {
                state.changed = true;
                state.occurrences.remove(rule.name());
                if (current.status() == Status.OPEN || current.status() == Status.ESCALATED) {
                    alerts.add(alert(rule, current, RESOLVED, time, observation.eventId()));
                    state.changed = true;
                    state.quietUntil.put(rule.name(), time + rule.suppressFor().toMillis());
                }
            }
        }
        alerts.addAll(onTime(state, time));
        return alerts;
    }

    /** Event time has reached {@code timeMillis}: opens what has held long enough, escalates what has been open long enough. */
    public List<Alert> onTime(EntityState state, long timeMillis) {
        List<Alert> alerts = new ArrayList<>(0);
        for (Rule rule : rules.rules()) {
            Occurrence current = state.occurrences.get(rule.name());
            if (current == null) {
                continue;
            }
            long openAt = current.sinceMillis() + rule.holdFor().toMillis();
            if (current.status() == Status.PENDING && timeMillis >= openAt) {
                state.changed |= state.openedAt.removeIf(opened -> opened <= openAt - HOUR);
                boolean quiet = current.sinceMillis() < state.quietUntil.getOrDefault(rule.name(), Long.MIN_VALUE);
                if (quiet || state.openedAt.size() >= rules.maxAlertsPerEntityPerHour()) {
                    state.changed = true;
                    state.occurrences.put(rule.name(), current.with(Status.SUPPRESSED, current.values()));
                    state.suppressed++;
                    continue;
                }
                current = current.with(Status.OPEN, current.values());
                state.changed = true;
                state.occurrences.put(rule.name(), current);
                state.changed = true;
                state.openedAt.add(openAt);
                alerts.add(alert(rule, current, OPENED, openAt, current.startEventId()));
            }
            if (current.status() == Status.OPEN && rule.escalateAfter() != null) {
                long escalateAt = openAt + rule.escalateAfter().toMillis();
                if (timeMillis >= escalateAt) {
                    current = current.with(Status.ESCALATED, current.values());
                    state.changed = true;
                    state.occurrences.put(rule.name(), current);
                    alerts.add(alert(rule, current, ESCALATED, escalateAt, null));
                }
            }
        }
        return alerts;
    }

    /** The next event time at which {@link #onTime} would change something, or {@code Long.MAX_VALUE}. */
    public long nextDeadline(EntityState state) {
        long next = Long.MAX_VALUE;
        for (Rule rule : rules.rules()) {
            Occurrence current = state.occurrences.get(rule.name());
            if (current == null) {
                continue;
            }
            long openAt = current.sinceMillis() + rule.holdFor().toMillis();
            if (current.status() == Status.PENDING) {
                next = Math.min(next, openAt);
            } else if (current.status() == Status.OPEN && rule.escalateAfter() != null) {
                next = Math.min(next, openAt + rule.escalateAfter().toMillis());
            }
        }
        return next;
    }

    /** A stable id for an occurrence: the same input gives the same id, across restarts and replays. */
    public static String alertId(String type, String entityId, long sinceMillis) {
        return UUID.nameUUIDFromBytes((type + "|" + entityId + "|" + sinceMillis).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<String, String> valuesOf(Rule rule, Map<String, String> all) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String path : rule.fieldPaths()) {
            String value = all.get(path);
            if (value != null) {
                values.put(path, value);
            }
        }
        return values;
    }

    private Alert alert(Rule rule, Occurrence occurrence, String status, long observedAtMillis, String eventId) {
        boolean hasVehicle = occurrence.vehicleId() != null;
        String entityId = hasVehicle ? occurrence.vehicleId() : occurrence.deviceId();
        String entity = (hasVehicle ? "vehicle " : "device ") + entityId;
        Duration heldFor = Duration.ofMillis(observedAtMillis - occurrence.sinceMillis());
        Map<String, String> values = new LinkedHashMap<>(occurrence.values());
        values.put("held_for", heldFor.toString());
        String severity = status.equals(ESCALATED) || occurrence.status() == Status.ESCALATED ? Rule.ALARM : rule.severity();
        String explanation = switch (status) {
            case OPENED -> rule.explanation() + " for " + heldFor + " (" + entity + ": " + describe(occurrence.values()) + ").";
            case ESCALATED -> rule.explanation() + ", now an alarm after " + heldFor + " (" + entity + ": " + describe(occurrence.values()) + ").";
            default -> rule.name().replace('_', ' ') + " cleared for " + entity + " after " + heldFor + ".";
        };
        return Alert.newBuilder()
                .setAlertId(alertId(rule.name(), entityId, occurrence.sinceMillis()))
                .setAlertType(rule.name())
                .setStatus(status)
                .setSeverity(severity)
                .setEntityType(hasVehicle ? "vehicle" : "device")
                .setEntityId(entityId)
                .setDeviceId(occurrence.deviceId())
                .setVehicleId(occurrence.vehicleId())
                .setConditionSince(Instant.ofEpochMilli(occurrence.sinceMillis()))
                .setObservedAt(Instant.ofEpochMilli(observedAtMillis))
                .setRule(rule.expression())
                .setThreshold(rule.threshold(status))
                .setObservedValues(values)
                .setExplanation(explanation)
                .setTriggerEventId(eventId)
                .build();
    }

    private static String describe(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key).append(" = ").append(value));
        return text.toString();
    }
}
