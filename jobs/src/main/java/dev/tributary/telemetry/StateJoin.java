package dev.tributary.telemetry;

import dev.tributary.cdc.RowChange;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins readings with the latest state of an operational table, held in keyed Flink state
 * and fed by that table's change stream (input 2); no database is queried per event.
 *
 * <p>A reading whose state has not arrived yet waits, in order with the key's other readings,
 * until the state arrives or {@code maxWait} of processing time passes; then it goes on
 * without that state, flagged by {@link #missingStatus()}. At the end of a bounded input every
 * waiting reading is released. No reading is dropped.
 *
 * <p>While a reading waits, event time must not pass it downstream, or the readings this join
 * releases late would arrive behind the watermark (and event-time rules would skip them).
 * The function therefore keeps the event times of this subtask's waiting readings, and
 * {@link StateJoinOperator} holds its output watermark just below the oldest of them.
 */
public abstract class StateJoin extends KeyedCoProcessFunction<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> {
    private final long maxWaitMillis;
    private transient ListState<PendingReading> pending;
    private transient ValueState<Long> pendingTimer;
    /** Event times of this subtask's waiting readings, all keys together (a multiset). */
    private transient TreeMap<Long, Integer> heldEventTimes;

    protected StateJoin(Duration maxWait) {
        this.maxWaitMillis = maxWait.toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getListState(pendingDescriptor());
        if (heldEventTimes == null) {
            heldEventTimes = new TreeMap<>();
        }
        pendingTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-timer", Long.class));
        openState();
    }

    static ListStateDescriptor<PendingReading> pendingDescriptor() {
        return new ListStateDescriptor<>("pending", TypeInformation.of(PendingReading.class));
    }

    /** The event time of the oldest reading waiting in this subtask, or {@code Long.MAX_VALUE} if none waits. */
    public long oldestWaitingEventTime() {
        return heldEventTimes == null || heldEventTimes.isEmpty() ? Long.MAX_VALUE : heldEventTimes.firstKey();
    }

    /** Counts a waiting reading restored from a checkpoint. */
    void hold(EnrichedTelemetry reading) {
        if (heldEventTimes == null) {
            heldEventTimes = new TreeMap<>();
        }
        heldEventTimes.merge(reading.getEventTime().toEpochMilli(), 1, Integer::sum);
    }

    private void release(EnrichedTelemetry reading) {
        heldEventTimes.computeIfPresent(reading.getEventTime().toEpochMilli(), (time, count) -> count == 1 ? null : count - 1);
    }

    /** Creates the subclass's state handles. */
    protected abstract void openState() throws Exception;

    /** Whether this reading needs the state at all; those that do not pass straight through. */
    protected abstract boolean needsState(EnrichedTelemetry reading);

    /** Whether the current key's state has arrived. */
    protected abstract boolean stateKnown() throws Exception;

    /** Adds the current key's state to the reading. */
    protected abstract void enrich(EnrichedTelemetry reading) throws Exception;

    /** Applies a change of the operational table to the current key's state. */
    protected abstract void apply(RowChange change) throws Exception;

    /** The status of a reading that waited in vain. */
    protected abstract EnrichmentStatus missingStatus();

    @Override
    public void processElement1(EnrichedTelemetry reading, Context context, Collector<EnrichedTelemetry> out) throws Exception {
        if (!needsState(reading)) {
            out.collect(reading);
            return;
        }
        if (pendingTimer.value() == null && stateKnown()) {
            enrich(reading);
            out.collect(reading);
            return;
        }
        long now = context.timerService().currentProcessingTime();
        pending.add(new PendingReading(reading, now));
        hold(reading);
        if (pendingTimer.value() == null) {
            long deadline = now + maxWaitMillis;
            context.timerService().registerProcessingTimeTimer(deadline);
            // Fires when a bounded input ends (the watermark reaches its maximum): release everything.
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            pendingTimer.update(deadline);
        }
    }

    @Override
    public void processElement2(RowChange change, Context context, Collector<EnrichedTelemetry> out) throws Exception {
        apply(change);
        if (pendingTimer.value() != null && stateKnown()) {
            long now = context.timerService().currentProcessingTime();
            for (PendingReading waiting : pending.get()) {
                EnrichedTelemetry reading = waiting.reading();
                reading.setEnrichmentWaitMs(now - waiting.arrivedAtMillis());
                enrich(reading);
                release(reading);
                out.collect(reading);
            }
            clearPending(context);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<EnrichedTelemetry> out) throws Exception {
        Long deadline = pendingTimer.value();
        if (deadline == null) {
            return;
        }
        boolean endOfInput = context.timeDomain() == TimeDomain.EVENT_TIME;
        long now = context.timerService().currentProcessingTime();
        List<PendingReading> stillWaiting = new ArrayList<>();
        for (PendingReading waiting : pending.get()) {
            if (endOfInput || waiting.arrivedAtMillis() + maxWaitMillis <= now) {
                EnrichedTelemetry reading = waiting.reading();
                reading.setEnrichmentWaitMs(now - waiting.arrivedAtMillis());
                reading.setEnrichmentStatus(missingStatus().value());
                release(reading);
                out.collect(reading);
            } else {
                stillWaiting.add(waiting);
            }
        }
        if (stillWaiting.isEmpty()) {
            clearPending(context);
        } else {
            pending.update(stillWaiting);
            long next = stillWaiting.get(0).arrivedAtMillis() + maxWaitMillis;
            if (context.timeDomain() == TimeDomain.PROCESSING_TIME) {
                context.timerService().registerProcessingTimeTimer(next);
                pendingTimer.update(next);
            }
        }
    }

    private void clearPending(Context context) throws Exception {
        Long deadline = pendingTimer.value();
        if (deadline != null) {
            context.timerService().deleteProcessingTimeTimer(deadline);
            context.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        }
        pending.clear();
        pendingTimer.clear();
    }
}
