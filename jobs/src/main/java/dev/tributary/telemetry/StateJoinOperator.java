package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import dev.tributary.cdc.RowChange;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs a {@link StateJoin} and holds its output watermark below the oldest reading the join
 * still holds, so that readings released after waiting for their state are never late
 * downstream. Watermarks it held back go out with the next one that arrives (at the latest
 * at end of input, when every waiting reading is released).
 */
public final class StateJoinOperator extends KeyedCoProcessOperator<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> {
    private final StateJoin join;
    private transient long lastEmitted;

    public StateJoinOperator(StateJoin join) {
        super(join);
        this.join = requireNonNull(join, "join is null");
    }

    @Override
    public void open() throws Exception {
        super.open();
        lastEmitted = Long.MIN_VALUE;
        // After a restore, the readings still waiting hold the watermark back again.
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, StateJoin.pendingDescriptor(),
                (key, state) -> {
                    for (PendingReading waiting : state.get()) {
                        join.hold(waiting.reading());
                    }
                });
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (timeServiceManager != null) {
            timeServiceManager.advanceWatermark(mark);
        }
        long oldestWaiting = join.oldestWaitingEventTime();
        long next = oldestWaiting == Long.MAX_VALUE ? mark.getTimestamp() : Math.min(mark.getTimestamp(), oldestWaiting - 1);
        if (next > lastEmitted) {
            lastEmitted = next;
            output.emitWatermark(new Watermark(next));
        }
    }
}
