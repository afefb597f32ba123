package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The once-per-change step: a new change is held for a while after its first sighting, counting
 * sightings, then reported once; what is held when a bounded input ends is reported then; a
 * restart from a checkpoint neither loses a held change nor reports one twice.
 */
class FirstReportTest {
    private static final SchemaChange RETYPED = new SchemaChange("fleet.widgets", SchemaChange.Kind.TYPE_CHANGED, "size", "int", "string");
    private static final SchemaChange ADDED = new SchemaChange("fleet.widgets", SchemaChange.Kind.FIELD_ADDED, "color", null, "string");

    @Test
    void aNewChangeIsHeldCountedAndReportedOnceWithItsFirstSighting() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> harness = harness(Duration.ofSeconds(5))) {
            harness.open();
            harness.setProcessingTime(1_000);
            harness.processElement(sighting(RETYPED, 900, 7, 1), 0);
            harness.setProcessingTime(2_000);
            harness.processElement(sighting(RETYPED, 1_500, 9, 1), 0);
            // From another subtask, an earlier sighting that arrives later: its time and example are the first.
            harness.processElement(sighting(RETYPED, 800, 3, 2), 0);
            harness.processElement(sighting(ADDED, 1_900, 10, 1), 0);
            harness.setProcessingTime(5_999);
            assertThat(harness.extractOutputValues()).as("nothing before reportAfter has passed").isEmpty();

            harness.setProcessingTime(6_000);
            assertThat(harness.extractOutputValues()).containsExactly(new SchemaChangeEvent(RETYPED, 800, "fleet.cdc.public.widgets", 0, 3, 4, "dead-lettered"));

            harness.processElement(sighting(RETYPED, 6_500, 20, 1), 0);
            harness.setProcessingTime(7_000);
            assertThat(harness.extractOutputValues()).as("the second change, 5s after its own first sighting; nothing more of the first")
                    .extracting(event -> event.change().kind()).containsExactly(SchemaChange.Kind.TYPE_CHANGED, SchemaChange.Kind.FIELD_ADDED);
            harness.setProcessingTime(60_000);
            harness.processElement(sighting(ADDED, 59_000, 30, 1), 0);
            harness.endInput();
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void zeroReportsAtOnce() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> harness = harness(Duration.ZERO)) {
            harness.open();
            harness.processElement(sighting(RETYPED, 900, 7, 1), 0);
            assertThat(harness.extractOutputValues()).containsExactly(sighting(RETYPED, 900, 7, 1));
            harness.processElement(sighting(RETYPED, 950, 8, 1), 0);
            assertThat(harness.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void theEndOfABoundedInputReportsWhatIsStillHeld() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> harness = harness(Duration.ofMinutes(5))) {
            harness.open();
            harness.setProcessingTime(1_000);
            harness.processElement(sighting(RETYPED, 900, 7, 1), 0);
            harness.processElement(sighting(RETYPED, 950, 8, 1), 0);
            harness.processElement(sighting(ADDED, 990, 9, 1), 0);
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.endInput();
            assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder(
                    new SchemaChangeEvent(RETYPED, 900, "fleet.cdc.public.widgets", 0, 7, 2, "dead-lettered"),
                    new SchemaChangeEvent(ADDED, 990, "fleet.cdc.public.widgets", 0, 9, 1, "dead-lettered"));
            assertThat(harness.numKeyedStateEntries()).as("only the marks that both were reported are left").isEqualTo(2);
            // The timers are still registered; when they fire there is nothing left to report.
            harness.setProcessingTime(Duration.ofMinutes(10).toMillis());
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aChangeHeldAtACheckpointIsReportedOnceAfterTheRestoreWithItsCount() throws Exception {
        OperatorSubtaskState held;
        try (KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> harness = harness(Duration.ofSeconds(5))) {
            harness.open();
            harness.setProcessingTime(1_000);
            harness.processElement(sighting(RETYPED, 900, 7, 1), 0);
            harness.processElement(sighting(RETYPED, 950, 8, 1), 0);
            held = harness.snapshot(1, 1_500);
        }
        OperatorSubtaskState reported;
        try (KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> restored = harness(Duration.ofSeconds(5))) {
            restored.setProcessingTime(2_000);
            restored.initializeState(held);
            restored.open();
            // The sources replay what came after the checkpoint: here, nothing of it; one new sighting.
            restored.processElement(sighting(RETYPED, 1_900, 12, 1), 0);
            restored.setProcessingTime(6_000);
            assertThat(restored.extractOutputValues()).as("the restored timer fires at the first sighting's time + 5s")
                    .containsExactly(new SchemaChangeEvent(RETYPED, 900, "fleet.cdc.public.widgets", 0, 7, 3, "dead-lettered"));
            reported = restored.snapshot(2, 6_500);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> again = harness(Duration.ofSeconds(5))) {
            again.setProcessingTime(7_000);
            again.initializeState(reported);
            again.open();
            // A restart meets the change again (each subtask reports a shape it has not seen since it started).
            again.processElement(sighting(RETYPED, 7_000, 40, 1), 0);
            again.setProcessingTime(60_000);
            again.endInput();
            assertThat(again.extractOutputValues()).as("reported before the checkpoint: not again").isEmpty();
        }
    }

    @Test
    void onlyTheSameChangeAddsUp() {
        SchemaChangeEvent first = sighting(RETYPED, 900, 7, 1);
        assertThat(first.plus(sighting(RETYPED, 800, 3, 5))).isEqualTo(new SchemaChangeEvent(RETYPED, 800, "fleet.cdc.public.widgets", 0, 3, 6, "dead-lettered"));
        assertThat(first.plus(sighting(RETYPED, 900, 8, 1)).exampleOffset()).as("a tie keeps the one held").isEqualTo(7);
        assertThatThrownBy(() -> first.plus(sighting(ADDED, 900, 7, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the same change");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SchemaChangeEvent, SchemaChangeEvent> harness(Duration reportAfter) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new FirstReportOperator(new FirstReport(reportAfter)),
                event -> SchemaChangeCloudEvents.id(event.change()), Types.STRING, 1, 1, 0);
    }

    private static SchemaChangeEvent sighting(SchemaChange change, long seenMillis, long offset, long count) {
        return new SchemaChangeEvent(change, seenMillis, "fleet.cdc.public.widgets", 0, offset, count, "dead-lettered");
    }
}
