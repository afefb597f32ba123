package dev.tributary.lake;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gives the committables an Iceberg sink-v2 aggregator emits at end of input the id of the final
 * checkpoint, so that Flink's committer commits them.
 *
 * <p>Why: when a bounded streaming job ends, Iceberg's write-result aggregators (1.10, the
 * Flink 1.20 module) emit the files written since the last checkpoint tagged with the
 * end-of-input id ({@code Long.MAX_VALUE}). Flink 1.20.2 and later commit, on each completed
 * checkpoint, only the committables up to that checkpoint's id, so those files are never
 * committed: the rows after the last regular checkpoint are lost (DESIGN.md). This operator sits
 * between the aggregator and the committer, holds end-of-input messages back, and releases them
 * under the id of the checkpoint that comes next: the final one Flink takes once the tasks have
 * finished (FLIP-147). The aggregator's own summary for that checkpoint (it has nothing left to
 * report) is merged with the held one, since the committer accepts one summary per subtask and
 * checkpoint.
 *
 * <p>Without checkpointing Flink's committer commits end-of-input messages itself, so they pass
 * unchanged. Holds nothing across checkpoints: by the time this operator snapshots the final
 * checkpoint, what it held has gone downstream.
 */
public final class EndOfInputCommittables<CommT> extends AbstractStreamOperator<CommittableMessage<CommT>>
        implements OneInputStreamOperator<CommittableMessage<CommT>, CommittableMessage<CommT>> {
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final List<CommittableMessage<CommT>> held = new ArrayList<>();

    @Override
    public void processElement(StreamRecord<CommittableMessage<CommT>> element) {
        CommittableMessage<CommT> message = element.getValue();
        if (message.getCheckpointIdOrEOI() == END_OF_INPUT && getOperatorConfig().isCheckpointingEnabled()) {
            held.add(message);
            return;
        }
        if (held.isEmpty()) {
            output.collect(element);
            return;
        }
        // The first message of a real checkpoint after end of input belongs to the final checkpoint.
        release(message.getCheckpointIdOrEOI(), message);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (!held.isEmpty()) {
            release(checkpointId, null);
        }
    }

    /** Emits what is held under {@code checkpointId}, merged with {@code arriving} (a message of that checkpoint, or null). */
    private void release(long checkpointId, CommittableMessage<CommT> arriving) {
        List<CommittableMessage<CommT>> messages = new ArrayList<>(held);
        held.clear();
        if (arriving != null) {
            messages.add(arriving);
        }
        List<CommittableSummary<CommT>> summaries = new ArrayList<>();
        List<CommittableWithLineage<CommT>> committables = new ArrayList<>();
        for (CommittableMessage<CommT> message : messages) {
            if (message instanceof CommittableSummary<CommT> summary) {
                merge(summaries, summary, checkpointId);
            } else {
                CommittableWithLineage<CommT> committable = (CommittableWithLineage<CommT>) message;
                committables.add(new CommittableWithLineage<>(committable.getCommittable(), checkpointId, committable.getSubtaskId()));
            }
        }
        // Summaries first: the committer learns of a subtask's committables from its summary.
        summaries.forEach(summary -> output.collect(new StreamRecord<>(summary)));
        committables.forEach(committable -> output.collect(new StreamRecord<>(committable)));
    }

    private static <CommT> void merge(List<CommittableSummary<CommT>> summaries, CommittableSummary<CommT> summary, long checkpointId) {
        for (int i = 0; i < summaries.size(); i++) {
            CommittableSummary<CommT> existing = summaries.get(i);
            if (existing.getSubtaskId() == summary.getSubtaskId()) {
                summaries.set(i, new CommittableSummary<>(existing.getSubtaskId(), existing.getNumberOfSubtasks(), checkpointId,
                        existing.getNumberOfCommittables() + summary.getNumberOfCommittables(),
                        existing.getNumberOfPendingCommittables() + summary.getNumberOfPendingCommittables(),
                        existing.getNumberOfFailedCommittables() + summary.getNumberOfFailedCommittables()));
                return;
            }
        }
        summaries.add(new CommittableSummary<>(summary.getSubtaskId(), summary.getNumberOfSubtasks(), checkpointId,
                summary.getNumberOfCommittables(), summary.getNumberOfPendingCommittables(), summary.getNumberOfFailedCommittables()));
    }
}
