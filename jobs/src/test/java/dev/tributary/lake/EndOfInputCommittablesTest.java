package dev.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** End-of-input committables re-tagged with the final checkpoint's id, merged with that checkpoint's own summary. */
class EndOfInputCommittablesTest {
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private static OneInputStreamOperatorTestHarness<CommittableMessage<String>, CommittableMessage<String>> harness(boolean checkpointing)
            throws Exception {
        OneInputStreamOperatorTestHarness<CommittableMessage<String>, CommittableMessage<String>> harness =
                new OneInputStreamOperatorTestHarness<>(new EndOfInputCommittables<>());
        harness.getStreamConfig().setCheckpointingEnabled(checkpointing);
        harness.open();
        return harness;
    }

    private static List<String> emitted(OneInputStreamOperatorTestHarness<CommittableMessage<String>, CommittableMessage<String>> harness) {
        return harness.extractOutputValues().stream().map(message -> message instanceof CommittableSummary<String> summary
                ? "summary " + summary.getCheckpointIdOrEOI() + " subtask " + summary.getSubtaskId() + " x" + summary.getNumberOfCommittables()
                : "committable " + message.getCheckpointIdOrEOI() + " " + ((CommittableWithLineage<String>) message).getCommittable()).toList();
    }

    @Test
    void messagesOfRegularCheckpointsPassUnchanged() throws Exception {
        var harness = harness(true);
        harness.processElement(new StreamRecord<>(new CommittableSummary<>(0, 1, 3, 1, 0, 0)));
        harness.processElement(new StreamRecord<>(new CommittableWithLineage<>("files-3", 3, 0)));
        assertThat(emitted(harness)).containsExactly("summary 3 subtask 0 x1", "committable 3 files-3");
        harness.close();
    }

    @Test
    void endOfInputMessagesWaitForTheFinalCheckpointAndJoinItsSummary() throws Exception {
        var harness = harness(true);
        harness.processElement(new StreamRecord<>(new CommittableSummary<>(0, 1, END_OF_INPUT, 1, 0, 0)));
        harness.processElement(new StreamRecord<>(new CommittableWithLineage<>("tail-files", END_OF_INPUT, 0)));
        assertThat(emitted(harness)).as("held until the final checkpoint").isEmpty();

        // The aggregator's own (empty) summary of the final checkpoint arrives: one summary per subtask and checkpoint goes on.
        harness.processElement(new StreamRecord<>(new CommittableSummary<>(0, 1, 8, 0, 0, 0)));

        assertThat(emitted(harness)).containsExactly("summary 8 subtask 0 x1", "committable 8 tail-files");
        harness.close();
    }

    @Test
    void withoutAFollowingMessageTheBarrierReleasesThemAndWithoutCheckpointingNothingIsHeld() throws Exception {
        var held = harness(true);
        held.processElement(new StreamRecord<>(new CommittableSummary<>(1, 2, END_OF_INPUT, 1, 0, 0)));
        held.processElement(new StreamRecord<>(new CommittableWithLineage<>("tail-files", END_OF_INPUT, 1)));
        held.prepareSnapshotPreBarrier(9);
        assertThat(emitted(held)).containsExactly("summary 9 subtask 1 x1", "committable 9 tail-files");
        held.close();

        var unchecked = harness(false);
        unchecked.processElement(new StreamRecord<>(new CommittableWithLineage<>("tail-files", END_OF_INPUT, 0)));
        assertThat(emitted(unchecked)).containsExactly("committable " + END_OF_INPUT + " tail-files");
        unchecked.close();
    }
}
