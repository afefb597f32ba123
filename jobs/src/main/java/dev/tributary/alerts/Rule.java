package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A declarative rule: while every condition holds for at least {@code holdFor} of event time,
 * an alert is open at {@code severity}; it escalates to alarm after {@code escalateAfter} more
 * (when set) or as soon as every escalation condition holds (when there are some); it resolves
 * when a condition stops holding. After an occurrence resolves, a new one of the same rule and
 * entity that starts within {@code suppressFor} is not sent.
 */
public record Rule(
        String name,
        List<Condition> conditions,
        Duration holdFor,
        String severity,
        Duration escalateAfter,
        List<Condition> escalateConditions,
        Duration suppressFor,
        String explanation) implements java.io.Serializable {

    public static final String WARNING = "warning";
    public static final String ALARM = "alarm";

    public Rule {
        requireNonNull(name, "name is null");
        conditions = List.copyOf(conditions);
        requireNonNull(holdFor, "holdFor is null");
        requireNonNull(severity, "severity is null");
        escalateConditions = List.copyOf(escalateConditions);
        requireNonNull(suppressFor, "suppressFor is null");
        requireNonNull(explanation, "explanation is null");
    }

    public boolean holds(EnrichedTelemetry reading) {
        return all(conditions, reading);
    }

    public boolean escalationHolds(EnrichedTelemetry reading) {
        return !escalateConditions.isEmpty() && all(escalateConditions, reading);
    }

    public boolean escalates() {
        return escalateAfter != null || !escalateConditions.isEmpty();
    }

    private static boolean all(List<Condition> conditions, EnrichedTelemetry reading) {
        for (Condition condition : conditions) {
            if (!condition.test(reading)) {
                return false;
            }
        }
        return true;
    }

    /** The rule as one readable line, for the alert's {@code rule}. */
    public String expression() {
        String when = conditions.stream().map(Condition::describe).collect(Collectors.joining(" AND "));
        StringBuilder text = new StringBuilder(when).append(" for at least ").append(holdFor);
        if (escalates()) {
            text.append("; alarm ");
            if (escalateAfter != null) {
                text.append("after ").append(escalateAfter).append(" more");
            }
            if (!escalateConditions.isEmpty()) {
                text.append(escalateAfter != null ? " or " : "").append("when ")
                        .append(escalateConditions.stream().map(Condition::describe).collect(Collectors.joining(" AND ")));
            }
        }
        return text.toString();
    }

    /** The thresholds, for the alert's {@code threshold}. */
    public String threshold(String status) {
        if (status.equals("escalated")) {
            return escalateConditions.isEmpty() ? holdFor.plus(escalateAfter).toString()
                    : escalateConditions.stream().map(Condition::describe).collect(Collectors.joining(" AND "));
        }
        return conditions.stream().filter(condition -> condition.comparison().ordering()).map(Condition::describe)
                .collect(Collectors.collectingAndThen(Collectors.joining(" AND "), text -> text.isEmpty() ? holdFor.toString() : text + " for " + holdFor));
    }

    /** The fields the rule reads, in order, without repeats. */
    public List<String> fieldPaths() {
        return java.util.stream.Stream.concat(conditions.stream(), escalateConditions.stream())
                .flatMap(condition -> condition.fields().stream()).map(Object::toString).distinct().toList();
    }

    public Rule withHoldFor(Duration duration) {
        return new Rule(name, conditions, duration, severity, escalateAfter, escalateConditions, suppressFor, explanation);
    }
}
