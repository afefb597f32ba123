package dev.tributary.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.telemetry.TestReadings;
import dev.tributary.telemetry.VehicleJoin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventTimeRuleFunctionTest {
    private static final Duration MIN_DURATION = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2025-03-14T21:00:00Z");
    private static final long DEADLINE = T0.plus(MIN_DURATION).toEpochMilli();

    private final List<KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert>> harnesses = new ArrayList<>();
    private long offset;

    @AfterEach
    void closeHarnesses() throws Exception {
        for (KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness : harnesses) {
            harness.close();
        }
    }

    @Test
    void outOfOrderReadingsOpenOnceWhenTheWatermarkPassesTheDeadlineAndResolveWhenLightsGoOff() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = open();

        send(harness, lightsOn(2, T0.plusSeconds(20)));
        send(harness, lightsOn(1, T0));
        send(harness, lightsOn(3, T0.plusSeconds(40)));
        harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
        List<Alert> beforeDeadline = new ArrayList<>(harness.extractOutputValues());
        harness.processWatermark(DEADLINE - 1);
        List<Alert> justBeforeDeadline = new ArrayList<>(harness.extractOutputValues());
        harness.processWatermark(DEADLINE);
        List<Alert> atDeadline = new ArrayList<>(harness.extractOutputValues());
        send(harness, lightsOn(4, T0.plusSeconds(330)));
        send(harness, lightsOff(5, T0.plusSeconds(400)));
        harness.processWatermark(T0.plusSeconds(500).toEpochMilli());
        List<Alert> all = harness.extractOutputValues();

        assertThat(beforeDeadline).isEmpty();
        assertThat(justBeforeDeadline).isEmpty();
        assertThat(atDeadline).singleElement().satisfies(alert -> {
            assertThat(alert.getStatus()).isEqualTo("opened");
            // The earliest reading started the occurrence, although it arrived second.
            assertThat(alert.getConditionSince()).isEqualTo(T0);
            assertThat(alert.getTriggerEventId()).isEqualTo("dev-1-1");
            assertThat(alert.getObservedAt()).isEqualTo(Instant.ofEpochMilli(DEADLINE));
            assertThat(alert.getEntityId()).isEqualTo("veh-7");
        });
        assertThat(all).extracting(Alert::getStatus).containsExactly("opened", "resolved");
        assertThat(all.get(1).getAlertId()).isEqualTo(all.get(0).getAlertId());
        assertThat(all.get(1).getObservedAt()).isEqualTo(T0.plusSeconds(400));
        assertThat(all.get(1).getTriggerEventId()).isEqualTo("dev-1-5");
    }

    @Test
    void clearingReadingThatArrivesOutOfOrderBeforeTheDeadlineCancelsTheOccurrence() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = open();

        send(harness, lightsOn(1, T0));
        send(harness, lightsOn(3, T0.plusSeconds(400)));
        // Arrives after a later reading, but within the watermark: it still ends the first occurrence.
        send(harness, lightsOff(2, T0.plusSeconds(120)));
        harness.processWatermark(T0.plusSeconds(600).toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(T0.plusSeconds(400).plus(MIN_DURATION).toEpochMilli());
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(alert -> assertThat(alert.getConditionSince()).isEqualTo(T0.plusSeconds(400)));
    }

    @Test
    void readingBehindTheWatermarkIsIgnored() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = open();

        send(harness, lightsOn(1, T0));
        harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
        // Late: had it counted, it would have cleared the condition before the deadline.
        send(harness, lightsOff(2, T0.plusSeconds(30)));
        send(harness, lightsOff(3, T0.plusSeconds(60)));
        harness.processWatermark(DEADLINE);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(alert -> {
            assertThat(alert.getStatus()).isEqualTo("opened");
            assertThat(alert.getConditionSince()).isEqualTo(T0);
        });
    }

    @Test
    void snapshotAndRestoreMidOccurrenceStillOpensExactlyOnce() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> first = open();
        send(first, lightsOn(1, T0));
        send(first, lightsOn(2, T0.plusSeconds(90)));
        send(first, lightsOn(3, T0.plusSeconds(200)));
        first.processWatermark(T0.plusSeconds(100).toEpochMilli());
        OperatorSubtaskState snapshot = first.snapshot(1L, T0.plusSeconds(100).toEpochMilli());
        List<Alert> beforeSnapshot = new ArrayList<>(first.extractOutputValues());

        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> restored = restore(snapshot);
        restored.processWatermark(DEADLINE);
        restored.processWatermark(DEADLINE + 60_000);
        List<Alert> afterRestore = new ArrayList<>(restored.extractOutputValues());
        OperatorSubtaskState afterRaise = restored.snapshot(2L, DEADLINE + 60_000);

        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> restoredAgain = restore(afterRaise);
        restoredAgain.processWatermark(DEADLINE + 120_000);
        send(restoredAgain, lightsOff(4, Instant.ofEpochMilli(DEADLINE + 180_000)));
        restoredAgain.processWatermark(DEADLINE + 240_000);
        List<Alert> afterSecondRestore = restoredAgain.extractOutputValues();

        assertThat(beforeSnapshot).isEmpty();
        assertThat(afterRestore).singleElement().satisfies(alert -> {
            assertThat(alert.getStatus()).isEqualTo("opened");
            assertThat(alert.getConditionSince()).isEqualTo(T0);
        });
        assertThat(afterSecondRestore).singleElement().satisfies(alert -> {
            assertThat(alert.getStatus()).isEqualTo("resolved");
            assertThat(alert.getAlertId()).isEqualTo(afterRestore.get(0).getAlertId());
        });
    }

    @Test
    void readingsOfOtherVehiclesDoNotInterfere() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = open();

        send(harness, lightsOn(1, T0));
        send(harness, TestReadings.reading("dev-2", 1, T0.plusSeconds(10)).parsedForVehicle("veh-8", offset++));
        send(harness, TestReadings.reading("dev-2", 2, T0.plusSeconds(20)).headlightsOn(true).parsedForVehicle("veh-8", offset++));
        harness.processWatermark(DEADLINE + 20_000);

        assertThat(harness.extractOutputValues()).extracting(Alert::getEntityId).containsExactly("veh-7", "veh-8");
    }

    @Test
    void endOfInputOpensOnlyWhatTheReadingsShow() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = open();

        send(harness, lightsOn(1, T0));
        send(harness, lightsOn(2, T0.plusSeconds(120)));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).as("the readings show two minutes, not five").isEmpty();
    }

    @Test
    void endOfInputAfterARestoreOpensWhatTheReadingsBeforeTheSnapshotShowed() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> first = open();
        send(first, lightsOn(1, T0));
        send(first, lightsOn(2, T0.plusSeconds(400)));
        first.processWatermark(T0.plusSeconds(60).toEpochMilli());
        OperatorSubtaskState snapshot = first.snapshot(1L, 0L);

        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> restored = restore(snapshot);
        restored.processWatermark(Long.MAX_VALUE);

        assertThat(restored.extractOutputValues()).as("the readings show more than five minutes")
                .singleElement().satisfies(alert -> assertThat(alert.getConditionSince()).isEqualTo(T0));
    }

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> create() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EventTimeRuleFunction(new RuleEngine(RuleSet.bundled().withHoldFor("headlights_left_on", MIN_DURATION)))), VehicleJoin::keyOf, Types.STRING);
        harnesses.add(harness);
        return harness;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> open() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = create();
        harness.open();
        return harness;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> restore(OperatorSubtaskState snapshot) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness = create();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }

    private EnrichedTelemetry lightsOn(long sequence, Instant at) {
        return TestReadings.reading("dev-1", sequence, at).headlightsOn(true).parsedForVehicle("veh-7", offset++);
    }

    private EnrichedTelemetry lightsOff(long sequence, Instant at) {
        return TestReadings.reading("dev-1", sequence, at).headlightsOn(false).parsedForVehicle("veh-7", offset++);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alert> harness, EnrichedTelemetry reading) throws Exception {
        harness.processElement(reading, reading.getEventTime().toEpochMilli());
    }
}
