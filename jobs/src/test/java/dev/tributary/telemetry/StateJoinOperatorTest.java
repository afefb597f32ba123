package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cdc.ChangeRouter;
import dev.tributary.cdc.RowChange;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * A reading that waits for its state must not fall behind the watermark: the operator holds
 * its output watermark below the oldest waiting reading, also after a restore.
 */
class StateJoinOperatorTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:00:00Z");

    @Test
    void theWatermarkWaitsForTheReadingsThatWait() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness = harness()) {
            harness.open();
            EnrichedTelemetry waiting = reading("dev-1", 1);
            harness.processElement1(waiting, waiting.getEventTime().toEpochMilli());
            harness.processWatermark1(new Watermark(T0.plusSeconds(60).toEpochMilli()));
            harness.processWatermark2(new Watermark(Long.MAX_VALUE));
            assertThat(watermarks(harness)).containsExactly(waiting.getEventTime().toEpochMilli() - 1);

            harness.processElement2(new RowChange(ChangeRouter.DEVICES, "dev-1", false, "{\"id\":\"dev-1\",\"vehicle_id\":\"veh-1\"}"), 0);
            harness.processWatermark1(new Watermark(T0.plusSeconds(61).toEpochMilli()));
            List<Object> output = new ArrayList<>(harness.getOutput());
            int released = indexOfRecord(output);
            int advanced = output.indexOf(new Watermark(T0.plusSeconds(61).toEpochMilli()));
            assertThat(released).as("the reading is released").isNotNegative();
            assertThat(advanced).as("then event time moves past it").isGreaterThan(released);
        }
    }

    @Test
    void readingsWaitingAtACheckpointHoldTheWatermarkAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        EnrichedTelemetry waiting = reading("dev-2", 5);
        try (KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness = harness()) {
            harness.open();
            harness.processElement1(waiting, waiting.getEventTime().toEpochMilli());
            snapshot = harness.snapshot(1, 1_000);
        }
        try (KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark1(new Watermark(T0.plusSeconds(600).toEpochMilli()));
            restored.processWatermark2(new Watermark(Long.MAX_VALUE - 1));
            assertThat(watermarks(restored)).containsExactly(waiting.getEventTime().toEpochMilli() - 1);
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness() throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new StateJoinOperator(new DeviceJoin(Duration.ofSeconds(10))), EnrichedTelemetry::getDeviceId, RowChange::key, Types.STRING);
        harness.setProcessingTime(1_000);
        return harness;
    }

    private static List<Long> watermarks(KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness) {
        List<Long> marks = new ArrayList<>();
        for (Object element : harness.getOutput()) {
            if (element instanceof Watermark watermark) {
                marks.add(watermark.getTimestamp());
            }
        }
        return marks;
    }

    private static int indexOfRecord(List<Object> output) {
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i) instanceof StreamRecord) {
                return i;
            }
        }
        return -1;
    }

    private static EnrichedTelemetry reading(String deviceId, long sequence) {
        return TestReadings.reading(deviceId, sequence, T0.plusSeconds(sequence)).parsed(sequence);
    }
}
