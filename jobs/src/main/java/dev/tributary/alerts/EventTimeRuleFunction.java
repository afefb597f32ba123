package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Runs the {@link RuleEngine} per vehicle in event time. Readings are buffered until the
 * watermark passes them, then applied in event-time order (and by sequence within one
 * millisecond), so out-of-order arrival inside the watermark's bound changes nothing. A key
 * keeps one small list and one timer for its buffer (not one per reading), plus a timer at the
 * next deadline of its occurrences (to open or escalate); whichever fires, everything the
 * watermark has passed is applied in order, with deadlines checked between readings.
 * A reading that arrives behind the watermark is late: it still reaches the lake and the
 * enriched topic, but the rules skip it (counted in the {@code lateReadingsSkipped} metric).
 *
 * <p>When a bounded input ends, the watermark jumps to the end of time. The rule does not
 * take that as time passing: it stops at the newest reading this subtask has seen, so an
 * occurrence younger than its rule's duration at that point is not opened. That newest event
 * time is checkpointed (as union operator state; after a restore, the newest of all subtasks),
 * so a restore does not forget how far the readings got.
 */
public final class EventTimeRuleFunction extends KeyedProcessFunction<String, EnrichedTelemetry, Alert> implements CheckpointedFunction {
    private final RuleEngine engine;
    private transient ValueState<List<RuleEngine.Observation>> buffer;
    private transient ValueState<Long> bufferTimer;
    private transient MapState<String, RuleEngine.Occurrence> occurrences;
    private transient MapState<String, Long> quietUntil;
    private transient ValueState<List<Long>> openedAt;
    private transient Counter lateReadings;
    private transient Counter alertsOpened;
    private transient Counter alertsSuppressed;
    private transient long newestEventTime;
    private transient ListState<Long> newestEventTimeState;

    public EventTimeRuleFunction(RuleEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getState(new ValueStateDescriptor<>("buffer",
                new ListTypeInfo<>(TypeInformation.of(RuleEngine.Observation.class))));
        bufferTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("buffer-timer", Long.class));
        occurrences = getRuntimeContext().getMapState(new MapStateDescriptor<>("occurrences",
                TypeInformation.of(String.class), TypeInformation.of(RuleEngine.Occurrence.class)));
        quietUntil = getRuntimeContext().getMapState(new MapStateDescriptor<>("quiet-until", String.class, Long.class));
        openedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("opened-at", new ListTypeInfo<>(Long.class)));
        lateReadings = getRuntimeContext().getMetricGroup().counter("lateReadingsSkipped");
        alertsOpened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
        alertsSuppressed = getRuntimeContext().getMetricGroup().counter("alertsSuppressed");
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
        List<RuleEngine.Observation> buffered = buffer.value();
        if (buffered == null) {
            buffered = new ArrayList<>(4);
        }
        buffered.add(engine.observe(reading));
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
        RuleEngine.EntityState state = loadState();
        long deadlineBefore = engine.nextDeadline(state);
        List<RuleEngine.Observation> buffered = buffer.value();
        if (buffered != null) {
            List<RuleEngine.Observation> ready = new ArrayList<>(buffered.size());
            List<RuleEngine.Observation> waiting = new ArrayList<>();
            for (RuleEngine.Observation observation : buffered) {
                (observation.eventTimeMillis() <= watermark ? ready : waiting).add(observation);
            }
            ready.sort(Comparator.comparingLong(RuleEngine.Observation::eventTimeMillis).thenComparingLong(RuleEngine.Observation::sequence));
            for (RuleEngine.Observation observation : ready) {
                // A deadline counts if it passed before this reading; a reading exactly at it wins.
                emit(engine.onTime(state, observation.eventTimeMillis() - 1), out);
                emit(engine.onObservation(state, observation), out);
            }
            if (waiting.isEmpty()) {
                buffer.clear();
                bufferTimer.clear();
            } else {
                buffer.update(waiting);
                long next = waiting.stream().mapToLong(RuleEngine.Observation::eventTimeMillis).min().getAsLong();
                context.timerService().registerEventTimeTimer(next);
                bufferTimer.update(next);
            }
        }
        emit(engine.onTime(state, now), out);
        alertsSuppressed.inc(state.takeSuppressed());
        long deadline = engine.nextDeadline(state);
        if (deadline != Long.MAX_VALUE && deadline != deadlineBefore) {
            context.timerService().registerEventTimeTimer(deadline);
        }
        if (state.changed()) {
            saveState(state, now);
        }
    }

    private RuleEngine.EntityState loadState() throws Exception {
        Map<String, RuleEngine.Occurrence> current = new HashMap<>();
        for (Map.Entry<String, RuleEngine.Occurrence> entry : occurrences.entries()) {
            current.put(entry.getKey(), entry.getValue());
        }
        Map<String, Long> quiet = new HashMap<>();
        for (Map.Entry<String, Long> entry : quietUntil.entries()) {
            quiet.put(entry.getKey(), entry.getValue());
        }
        List<Long> opened = openedAt.value();
        return new RuleEngine.EntityState(current, quiet, opened == null ? List.of() : opened);
    }

    private void saveState(RuleEngine.EntityState state, long now) throws Exception {
        occurrences.clear();
        occurrences.putAll(state.occurrences());
        quietUntil.clear();
        for (Map.Entry<String, Long> entry : state.quietUntil().entrySet()) {
            // A quiet period the watermark has passed is forgotten: later readings of this key come after it.
            if (entry.getValue() > now) {
                quietUntil.put(entry.getKey(), entry.getValue());
            }
        }
        if (state.openedAt().isEmpty()) {
            openedAt.clear();
        } else {
            openedAt.update(new ArrayList<>(state.openedAt()));
        }
    }

    private void emit(List<Alert> alerts, Collector<Alert> out) {
        for (Alert alert : alerts) {
            if (alert.getStatus().equals(RuleEngine.OPENED)) {
                alertsOpened.inc();
            }
            out.collect(alert);
        }
    }
}
