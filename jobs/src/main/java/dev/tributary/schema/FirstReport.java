package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each distinct schema change through once, keyed by its CloudEvents id: every subtask
 * that meets a new shape reports it, and a restart meets it again; people hear of it once.
 *
 * <p>A new change is held for {@code reportAfter} of processing time after its first sighting,
 * counting every sighting ({@link SchemaChangeEvent#plus}), then reported once with that count
 * and the first sighting's time and example; zero reports it at once. Sightings after the
 * report are dropped. The held change and the mark that a change was reported are keyed state:
 * a restart from a checkpoint neither loses a held change nor reports one twice. Processing-time
 * timers do not fire when a bounded input ends; {@link FirstReportOperator} reports what is
 * still held then.
 */
public final class FirstReport extends KeyedProcessFunction<String, SchemaChangeEvent, SchemaChangeEvent> {
    /** The name of the state that holds a change until it is reported. */
    static final String HELD = "held";

    private final Duration reportAfter;
    private transient ValueState<Boolean> reported;
    private transient ValueState<SchemaChangeEvent> held;

    public FirstReport(Duration reportAfter) {
        this.reportAfter = requireNonNull(reportAfter, "reportAfter is null");
        if (reportAfter.isNegative()) {
            throw new IllegalArgumentException("reportAfter is negative: " + reportAfter);
        }
    }

    @Override
    public void open(OpenContext context) {
        reported = getRuntimeContext().getState(new ValueStateDescriptor<>("reported", Types.BOOLEAN));
        held = getRuntimeContext().getState(new ValueStateDescriptor<>(HELD, TypeInformation.of(SchemaChangeEvent.class)));
    }

    @Override
    public void processElement(SchemaChangeEvent event, Context context, Collector<SchemaChangeEvent> out) throws Exception {
        if (reported.value() != null) {
            return;
        }
        SchemaChangeEvent before = held.value();
        SchemaChangeEvent tally = before == null ? event : before.plus(event);
        if (reportAfter.isZero()) {
            held.clear();
            report(tally, out);
            return;
        }
        held.update(tally);
        if (before == null) {
            context.timerService().registerProcessingTimeTimer(context.timerService().currentProcessingTime() + reportAfter.toMillis());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<SchemaChangeEvent> out) throws Exception {
        reportHeld(out);
    }

    /** Reports the current key's held change, if there is one. */
    void reportHeld(Collector<SchemaChangeEvent> out) throws IOException {
        SchemaChangeEvent tally = held.value();
        if (tally != null) {
            held.clear();
            report(tally, out);
        }
    }

    private void report(SchemaChangeEvent tally, Collector<SchemaChangeEvent> out) throws IOException {
        reported.update(Boolean.TRUE);
        out.collect(tally);
    }
}
