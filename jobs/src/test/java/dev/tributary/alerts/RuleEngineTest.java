package dev.tributary.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.telemetry.TestReadings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEngineTest {
    static final Instant T0 = Instant.parse("2025-03-14T21:00:00Z");

    private final RuleEngine engine = new RuleEngine(RuleSet.bundled());
    private final RuleEngine.EntityState state = RuleEngine.EntityState.empty();
    private long sequence;

    /** Feeds one reading the way the function does: deadlines up to just before it, then the reading. */
    private List<Alert> feed(TestReadings reading) {
        EnrichedTelemetry parsed = reading.parsedForVehicle("veh-7", sequence);
        List<Alert> alerts = new ArrayList<>(engine.onTime(state, parsed.getEventTime().toEpochMilli() - 1));
        alerts.addAll(engine.onObservation(state, engine.observe(parsed)));
        return alerts;
    }

    private TestReadings at(Duration offset) {
        return TestReadings.reading("dev-1", ++sequence, T0.plus(offset));
    }

    private List<Alert> feedEvery(Duration from, Duration to, Duration step, java.util.function.UnaryOperator<TestReadings> shape) {
        List<Alert> alerts = new ArrayList<>();
        for (Duration offset = from; offset.compareTo(to) <= 0; offset = offset.plus(step)) {
            alerts.addAll(feed(shape.apply(at(offset))));
        }
        return alerts;
    }

    @Test
    void headlightsOpenAfterFiveMinutesEscalateAfterTwentyFiveMoreAndResolveWhenSwitchedOff() {
        List<Alert> alerts = feedEvery(Duration.ZERO, Duration.ofMinutes(31), Duration.ofMinutes(1), reading -> reading.headlightsOn(true));
        alerts.addAll(feed(at(Duration.ofMinutes(32)).headlightsOn(false)));

        assertThat(alerts).extracting(Alert::getStatus).containsExactly("opened", "escalated", "resolved");
        Alert opened = alerts.get(0);
        assertThat(opened.getAlertType()).isEqualTo("headlights_left_on");
        assertThat(opened.getSeverity()).isEqualTo("warning");
        assertThat(opened.getConditionSince()).isEqualTo(T0);
        assertThat(opened.getObservedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(opened.getTriggerEventId()).isEqualTo("dev-1-1");
        assertThat(opened.getEntityId()).isEqualTo("veh-7");
        assertThat(opened.getObservedValues()).containsEntry("lights.headlights.on", "true").containsEntry("engine.on", "false")
                .containsEntry("doors.trunk.open", "false").containsEntry("held_for", "PT5M");
        assertThat(opened.getRule()).startsWith("engine.on = false AND doors.*.open = false AND lights.headlights.on = true for at least PT5M");
        assertThat(opened.getExplanation()).contains("veh-7").contains("PT5M");
        Alert escalated = alerts.get(1);
        assertThat(escalated.getSeverity()).isEqualTo("alarm");
        assertThat(escalated.getObservedAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(alerts.get(2).getSeverity()).isEqualTo("alarm");
        assertThat(alerts.get(2).getObservedAt()).isEqualTo(T0.plus(Duration.ofMinutes(32)));
        assertThat(alerts).extracting(Alert::getAlertId).containsOnly(opened.getAlertId());
    }

    @Test
    void aConditionThatClearsBeforeItsDurationSendsNothing() {
        List<Alert> alerts = feedEvery(Duration.ZERO, Duration.ofMinutes(4), Duration.ofMinutes(1), reading -> reading.headlightsOn(true));
        alerts.addAll(feed(at(Duration.ofMinutes(4).plusSeconds(59)).headlightsOn(true).frontLeftOpen(true)));
        alerts.addAll(engine.onTime(state, T0.plus(Duration.ofHours(1)).toEpochMilli()));
        assertThat(alerts).isEmpty();
        assertThat(engine.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDrainingBatteryOpensAWarningThenEscalatesWhenItCrossesTheAlarmThreshold() {
        List<Alert> alerts = feedEvery(Duration.ZERO, Duration.ofMinutes(3), Duration.ofSeconds(30), reading -> reading.voltage(11.6));
        alerts.addAll(feed(at(Duration.ofMinutes(4)).voltage(11.2)));
        alerts.addAll(feed(at(Duration.ofMinutes(5)).voltage(11.1)));
        alerts.addAll(feed(at(Duration.ofMinutes(6)).voltage(12.6)));

        assertThat(alerts).extracting(Alert::getStatus).containsExactly("opened", "escalated", "resolved");
        assertThat(alerts).extracting(Alert::getAlertType).containsOnly("battery_low");
        assertThat(alerts.get(0).getObservedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(alerts.get(0).getThreshold()).isEqualTo("battery.voltage_v < 11.8 for PT2M");
        assertThat(alerts.get(0).getObservedValues()).containsEntry("battery.voltage_v", "11.6");
        assertThat(alerts.get(1).getSeverity()).isEqualTo("alarm");
        assertThat(alerts.get(1).getThreshold()).isEqualTo("battery.voltage_v < 11.3");
        assertThat(alerts.get(1).getObservedValues()).containsEntry("battery.voltage_v", "11.2");
        assertThat(alerts.get(1).getTriggerEventId()).isEqualTo("dev-1-8");
    }

    @Test
    void anOverheatingEngineOpensAfterThirtySeconds() {
        List<Alert> alerts = feedEvery(Duration.ZERO, Duration.ofSeconds(40), Duration.ofSeconds(5), reading -> reading.engineOn(true).coolant(108));
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertType()).isEqualTo("coolant_overheat");
            assertThat(alert.getObservedAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(alert.getObservedValues()).containsEntry("engine.coolant_temp_c", "108");
        });
    }

    @Test
    void aRepeatWithinTheQuietPeriodIsSuppressedAndOneAfterItIsSent() {
        feedEvery(Duration.ZERO, Duration.ofMinutes(6), Duration.ofMinutes(1), reading -> reading.headlightsOn(true));
        List<Alert> resolved = feed(at(Duration.ofMinutes(7)));
        assertThat(resolved).extracting(Alert::getStatus).containsExactly("resolved");

        // Starts 3 minutes after it resolved: inside the bundled 15 minutes of quiet.
        List<Alert> repeat = feedEvery(Duration.ofMinutes(10), Duration.ofMinutes(17), Duration.ofMinutes(1), reading -> reading.headlightsOn(true));
        repeat.addAll(feed(at(Duration.ofMinutes(18))));
        assertThat(repeat).isEmpty();
        assertThat(state.takeSuppressed()).isEqualTo(1);

        List<Alert> later = feedEvery(Duration.ofMinutes(30), Duration.ofMinutes(36), Duration.ofMinutes(1), reading -> reading.headlightsOn(true));
        assertThat(later).extracting(Alert::getStatus).containsExactly("opened");
        assertThat(later.get(0).getConditionSince()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void anEntityOpensAtMostTheHourlyLimitAcrossRules() {
        String yaml = """
                defaults: {suppress_for: 0s}
                limits: {max_alerts_per_entity_per_hour: 2}
                rules:
                  - name: lights
                    when: [{field: lights.headlights.on, equals: true}]
                    for: 1m
                """;
        RuleEngine limited = new RuleEngine(RuleSet.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test"));
        RuleEngine.EntityState entity = RuleEngine.EntityState.empty();
        List<Alert> alerts = new ArrayList<>();
        for (int occurrence = 0; occurrence < 3; occurrence++) {
            for (int minute = 0; minute <= 2; minute++) {
                EnrichedTelemetry reading = at(Duration.ofMinutes(occurrence * 10L + minute)).headlightsOn(minute < 2).parsedForVehicle("veh-7", sequence);
                alerts.addAll(limited.onTime(entity, reading.getEventTime().toEpochMilli() - 1));
                alerts.addAll(limited.onObservation(entity, limited.observe(reading)));
            }
        }
        assertThat(alerts).filteredOn(alert -> alert.getStatus().equals("opened")).hasSize(2);
        assertThat(entity.takeSuppressed()).isEqualTo(1);
    }

    @Test
    void alertIdsAreStableAndAnUnknownVehicleFallsBackToTheDevice() {
        EnrichedTelemetry first = TestReadings.reading("dev-1", 1, T0).headlightsOn(true).parsed(1);
        EnrichedTelemetry later = TestReadings.reading("dev-1", 2, T0.plus(Duration.ofMinutes(6))).headlightsOn(true).parsed(2);
        List<String> ids = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            RuleEngine.EntityState entity = RuleEngine.EntityState.empty();
            RuleEngine fresh = new RuleEngine(RuleSet.bundled());
            fresh.onObservation(entity, fresh.observe(first));
            List<Alert> alerts = fresh.onTime(entity, later.getEventTime().toEpochMilli());
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.getEntityType()).isEqualTo("device");
                assertThat(alert.getEntityId()).isEqualTo("dev-1");
                assertThat(alert.getVehicleId()).isNull();
            });
            ids.add(alerts.get(0).getAlertId());
        }
        assertThat(ids.get(0)).isEqualTo(ids.get(1)).isEqualTo(RuleEngine.alertId("headlights_left_on", "dev-1", T0.toEpochMilli()));
    }

    @Test
    void alertsCarryNoPersonalData() {
        List<Alert> alerts = feedEvery(Duration.ZERO, Duration.ofMinutes(6), Duration.ofMinutes(1), reading -> reading.headlightsOn(true));
        assertThat(alerts).isNotEmpty();
        for (Alert alert : alerts) {
            assertThat(alert.toString()).doesNotContain("cus-").doesNotContain("customer");
        }
    }
}
