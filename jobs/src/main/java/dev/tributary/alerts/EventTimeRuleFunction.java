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
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * millisecond), so out-of-order arrival inside the watermark's bound changes nothing.
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
    private transient MapState<Long, List<HeadlightsRule.Observation>> buffer;
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
        buffer = getRuntimeContext().getMapState(new MapStateDescriptor<>("buffer", TypeInformation.of(Long.class),
                new ListTypeInfo<>(TypeInformation.of(HeadlightsRule.Observation.class))));
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
        List<HeadlightsRule.Observation> atTime = buffer.get(eventTime);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
            context.timerService().registerEventTimeTimer(eventTime);
        }
        atTime.add(HeadlightsRule.observe(reading));
        buffer.put(eventTime, atTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out) throws Exception {
        HeadlightsRule.Occurrence current = occurrence.value();
        List<HeadlightsRule.Observation> atTime = buffer.get(timestamp);
        if (atTime != null) {
            atTime.sort(Comparator.comparingLong(HeadlightsRule.Observation::sequence));
            for (HeadlightsRule.Observation observation : atTime) {
                HeadlightsRule.Occurrence before = current;
                HeadlightsRule.Step step = rule.onObservation(current, observation);
                current = step.next();
                emit(step.alert(), out);
                if (before == null && current != null) {
                    context.timerService().registerEventTimeTimer(rule.deadline(current));
                }
            }
            buffer.remove(timestamp);
        }
        boolean endOfInput = context.timerService().currentWatermark() == Long.MAX_VALUE;
        HeadlightsRule.Step step = rule.onTime(current, endOfInput ? Math.min(timestamp, newestEventTime) : timestamp);
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
