package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs {@link HeadlightsRule} per vehicle in event time. Readings are buffered until the
 * watermark passes them, then applied in event-time order (and by sequence within one
 * millisecond), so out-of-order arrival inside the watermark's bound changes nothing. A key
 * keeps one small list and one timer for its buffer (not one per reading), plus a timer at the
 * deadline of an occurrence in progress; whichever fires, everything the watermark has passed
 * is applied in order, with the deadline checked between readings.
 * A reading that arrives behind the watermark is late: it still reaches the lake and the
 * enriched topic, but the rule skips it (counted in the {@code lateReadingsSkipped} metric).
 *
 * <p>When a bounded input ends, the watermark jumps to the end of time. The rule does not
 * take that as time passing: it stops at the newest reading this subtask has seen, so an
 * occurrence younger than the rule's duration at that point is not raised. That newest event
 * time is checkpointed (as union operator state; after a restore, the newest of all subtasks),
 * so a restore does not forget how far the readings got.
 */
public final class EventTimeRuleFunction extends KeyedProcessFunction<String, EnrichedTelemetry, Alert> implements CheckpointedFunction {
    private final HeadlightsRule rule;
    private transient ValueState<List<HeadlightsRule.Observation>> buffer;
    private transient ValueState<Long> bufferTimer;
    private transient ValueState<HeadlightsRule.Occurrence> occurrence;
    private transient Counter lateReadings;
    private transient Counter alertsRaised;
    private transient long newestEventTime;
    private transient ListState<Long> newestEventTimeState;

    public EventTimeRuleFunction(HeadlightsRule rule) {
        this.rule = requireNonNull(rule, "rule is null");
    }

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getState(new ValueStateDescriptor<>("buffer",
                new ListTypeInfo<>(TypeInformation.of(HeadlightsRule.Observation.class))));
        bufferTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("buffer-timer", Long.class));
        occurrence = getRuntimeContext().getState(new ValueStateDescriptor<>("occurrence", TypeInformation.of(HeadlightsRule.Occurrence.class)));
        lateReadings = getRuntimeContext().getMetricGroup().counter("lateReadingsSkipped");
        alertsRaised = getRuntimeContext().getMetricGroup().counter("alertsRaised");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        newestEventTimeState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("newest-event-time", Long.class));
        newestEventTime = Long.MIN_VALUE;
        for (Long restored : newestEventTimeState.get()) {
            newestEventTime = Math.max(newestEventTime, restored);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        newestEventTimeState.update(List.of(newestEventTime));
    }

    @Override
    public void processElement(EnrichedTelemetry reading, Context context, Collector<Alert> out) throws Exception {
        long eventTime = reading.getEventTime().toEpochMilli();
        newestEventTime = Math.max(newestEventTime, eventTime);
        if (eventTime <= context.timerService().currentWatermark()) {
            lateReadings.inc();
            return;
        }
        List<HeadlightsRule.Observation> buffered = buffer.value();
        if (buffered == null) {
            buffered = new ArrayList<>(4);
        }
        buffered.add(HeadlightsRule.observe(reading));
        buffer.update(buffered);
        Long timer = bufferTimer.value();
        if (timer == null || eventTime < timer) {
            // An earlier timer left registered just fires with nothing to do.
            context.timerService().registerEventTimeTimer(eventTime);
            bufferTimer.update(eventTime);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out) throws Exception {
        long watermark = context.timerService().currentWatermark();
        // When a bounded input ends, time stops at the newest reading seen, not at the end of time.
        long now = watermark == Long.MAX_VALUE ? Math.min(watermark, newestEventTime) : watermark;
        HeadlightsRule.Occurrence current = occurrence.value();
        List<HeadlightsRule.Observation> buffered = buffer.value();
        if (buffered != null) {
            List<HeadlightsRule.Observation> ready = new ArrayList<>(buffered.size());
            List<HeadlightsRule.Observation> waiting = new ArrayList<>();
            for (HeadlightsRule.Observation observation : buffered) {
                (observation.eventTimeMillis() <= watermark ? ready : waiting).add(observation);
            }
            ready.sort(Comparator.comparingLong(HeadlightsRule.Observation::eventTimeMillis).thenComparingLong(HeadlightsRule.Observation::sequence));
            for (HeadlightsRule.Observation observation : ready) {
                // The deadline counts if it passed before this reading; a reading exactly at it wins.
                HeadlightsRule.Step due = rule.onTime(current, observation.eventTimeMillis() - 1);
                current = due.next();
                emit(due.alert(), out);
                HeadlightsRule.Occurrence before = current;
                HeadlightsRule.Step step = rule.onObservation(current, observation);
                current = step.next();
                emit(step.alert(), out);
                if (before == null && current != null) {
                    context.timerService().registerEventTimeTimer(rule.deadline(current));
                }
            }
            if (waiting.isEmpty()) {
                buffer.clear();
                bufferTimer.clear();
            } else {
                buffer.update(waiting);
                long next = waiting.stream().mapToLong(HeadlightsRule.Observation::eventTimeMillis).min().getAsLong();
                context.timerService().registerEventTimeTimer(next);
                bufferTimer.update(next);
            }
        }
        HeadlightsRule.Step step = rule.onTime(current, now);
        current = step.next();
        emit(step.alert(), out);
        if (current == null) {
            occurrence.clear();
        } else {
            occurrence.update(current);
        }
    }

    private void emit(Alert alert, Collector<Alert> out) {
        if (alert != null) {
            if (alert.getStatus().equals("raised")) {
                alertsRaised.inc();
            }
            out.collect(alert);
        }
    }
}
