package dev.tributary.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.telemetry.TestReadings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeadlightsRuleTest {
    private static final Duration MIN_DURATION = Duration.ofMinutes(5);
    private static final long T0 = Instant.parse("2025-03-14T21:00:00Z").toEpochMilli();

    private final HeadlightsRule rule = new HeadlightsRule(MIN_DURATION);

    @Test
    void conditionHeldExactlyMinDurationRaisesOnceAtTheDeadline() {
        HeadlightsRule.Occurrence occurrence = apply(null, observation("e1", T0, 1, true)).next();
        occurrence = apply(occurrence, observation("e2", T0 + 60_000, 2, true)).next();
        long deadline = T0 + MIN_DURATION.toMillis();

        HeadlightsRule.Step early = rule.onTime(occurrence, deadline - 1);
        HeadlightsRule.Step atDeadline = rule.onTime(early.next(), deadline);
        HeadlightsRule.Step later = rule.onTime(atDeadline.next(), deadline + 60_000);

        assertThat(rule.deadline(occurrence)).isEqualTo(deadline);
        assertThat(early.alert()).isNull();
        assertThat(early.next().raised()).isFalse();
        Alert raised = atDeadline.alert();
        assertThat(raised).isNotNull();
        assertThat(raised.getStatus()).isEqualTo("raised");
        assertThat(raised.getAlertType()).isEqualTo(HeadlightsRule.TYPE);
        assertThat(raised.getConditionSince()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(raised.getObservedAt()).isEqualTo(Instant.ofEpochMilli(deadline));
        assertThat(raised.getTriggerEventId()).isEqualTo("e1");
        assertThat(raised.getThreshold()).isEqualTo(MIN_DURATION.toString());
        assertThat(raised.getObservedValues()).containsEntry("held_for", MIN_DURATION.toString());
        assertThat(atDeadline.next().raised()).isTrue();
        assertThat(later.alert()).as("raised once per occurrence").isNull();
    }

    @Test
    void conditionClearedBeforeTheDeadlineRaisesNothing() {
        HeadlightsRule.Step start = apply(null, observation("e1", T0, 1, true));
        HeadlightsRule.Step cleared = apply(start.next(), observation("e2", T0 + MIN_DURATION.toMillis() - 1, 2, false));
        HeadlightsRule.Step afterDeadline = rule.onTime(cleared.next(), T0 + MIN_DURATION.toMillis());

        assertThat(cleared.next()).isNull();
        assertThat(cleared.alert()).as("nothing to resolve: it was never raised").isNull();
        assertThat(afterDeadline.alert()).isNull();
    }

    @Test
    void occurrenceIsResolvedWhenTheConditionClearsAfterTheRaise() {
        HeadlightsRule.Occurrence occurrence = apply(null, observation("e1", T0, 1, true)).next();
        HeadlightsRule.Step raise = rule.onTime(occurrence, T0 + MIN_DURATION.toMillis());
        long clearedAt = T0 + MIN_DURATION.toMillis() + 150_000;

        HeadlightsRule.Step resolve = apply(raise.next(), observation("e9", clearedAt, 9, false));

        assertThat(resolve.next()).isNull();
        Alert resolved = resolve.alert();
        assertThat(resolved.getStatus()).isEqualTo("resolved");
        assertThat(resolved.getAlertId()).isEqualTo(raise.alert().getAlertId());
        assertThat(resolved.getObservedAt()).isEqualTo(Instant.ofEpochMilli(clearedAt));
        assertThat(resolved.getConditionSince()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(resolved.getTriggerEventId()).isEqualTo("e9");
        assertThat(resolved.getObservedValues()).containsEntry("held_for", Duration.ofMillis(clearedAt - T0).toString());
    }

    @Test
    void alertIdIsStableForTheSameEntityAndStart() {
        Alert first = raise(new HeadlightsRule(MIN_DURATION), "veh-7", T0);
        Alert replayed = raise(new HeadlightsRule(MIN_DURATION), "veh-7", T0);
        Alert laterOccurrence = raise(rule, "veh-7", T0 + 1);
        Alert otherVehicle = raise(rule, "veh-8", T0);

        assertThat(replayed.getAlertId()).isEqualTo(first.getAlertId());
        assertThat(first.getAlertId()).isEqualTo(HeadlightsRule.alertId(HeadlightsRule.TYPE, "veh-7", T0));
        assertThat(laterOccurrence.getAlertId()).isNotEqualTo(first.getAlertId());
        assertThat(otherVehicle.getAlertId()).isNotEqualTo(first.getAlertId());
    }

    @Test
    void entityIsTheVehicleWhenKnownElseTheDevice() {
        Alert forVehicle = raise(rule, "veh-7", T0);
        Alert forDevice = raise(rule, null, T0);

        assertThat(forVehicle.getEntityType()).isEqualTo("vehicle");
        assertThat(forVehicle.getEntityId()).isEqualTo("veh-7");
        assertThat(forVehicle.getVehicleId()).isEqualTo("veh-7");
        assertThat(forVehicle.getDeviceId()).isEqualTo("dev-1");
        assertThat(forDevice.getEntityType()).isEqualTo("device");
        assertThat(forDevice.getEntityId()).isEqualTo("dev-1");
        assertThat(forDevice.getVehicleId()).isNull();
        assertThat(forDevice.getAlertId()).isNotEqualTo(forVehicle.getAlertId());
    }

    @Test
    void observationHoldsOnlyWithEngineOffDoorsClosedAndHeadlightsOn() {
        Instant at = Instant.ofEpochMilli(T0);

        assertThat(HeadlightsRule.observe(TestReadings.reading("dev-1", 1, at).headlightsOn(true).parsed(1)).holds()).isTrue();
        assertThat(HeadlightsRule.observe(TestReadings.reading("dev-1", 1, at).headlightsOn(false).parsed(1)).holds()).isFalse();
        assertThat(HeadlightsRule.observe(TestReadings.reading("dev-1", 1, at).headlightsOn(true).engineOn(true).parsed(1)).holds()).isFalse();
        assertThat(HeadlightsRule.observe(TestReadings.reading("dev-1", 1, at).headlightsOn(true).frontLeftOpen(true).parsed(1)).holds()).isFalse();

        HeadlightsRule.Observation observation = HeadlightsRule.observe(TestReadings.reading("dev-1", 4, at).headlightsOn(true).parsedForVehicle("veh-7", 1));
        assertThat(observation.eventId()).isEqualTo("dev-1-4");
        assertThat(observation.vehicleId()).isEqualTo("veh-7");
        assertThat(observation.eventTimeMillis()).isEqualTo(T0);
        assertThat(observation.sequence()).isEqualTo(4L);
    }

    private HeadlightsRule.Step apply(HeadlightsRule.Occurrence current, HeadlightsRule.Observation observation) {
        return rule.onObservation(current, observation);
    }

    private static HeadlightsRule.Observation observation(String eventId, long time, long sequence, boolean holds) {
        return new HeadlightsRule.Observation(eventId, "dev-1", "veh-7", time, sequence, holds);
    }

    private static Alert raise(HeadlightsRule rule, String vehicleId, long since) {
        HeadlightsRule.Occurrence occurrence = rule.onObservation(null,
                new HeadlightsRule.Observation("e1", "dev-1", vehicleId, since, 1, true)).next();
        Alert alert = rule.onTime(occurrence, rule.deadline(occurrence)).alert();
        assertThat(alert).isNotNull();
        return alert;
    }
}
