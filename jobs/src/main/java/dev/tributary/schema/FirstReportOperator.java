package dev.tributary.schema;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;

/**
 * Runs {@link FirstReport}, and when a bounded input ends reports every change still held:
 * Flink does not fire processing-time timers at the end of input, so without this a bounded
 * run would drop the changes of its last {@code reportAfter}.
 */
public final class FirstReportOperator extends KeyedProcessOperator<String, SchemaChangeEvent, SchemaChangeEvent> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public FirstReportOperator(FirstReport report) {
        super(report);
    }

    @Override
    public void endInput() throws Exception {
        List<String> keys;
        try (Stream<String> held = this.<String>getKeyedStateBackend().getKeys(FirstReport.HELD, VoidNamespace.INSTANCE)) {
            keys = held.toList();
        }
        TimestampedCollector<SchemaChangeEvent> out = new TimestampedCollector<>(output);
        out.eraseTimestamp();
        FirstReport report = (FirstReport) getUserFunction();
        for (String key : keys) {
            setCurrentKey(key);
            report.reportHeld(out);
        }
    }
}
