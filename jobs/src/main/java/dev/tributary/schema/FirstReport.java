package dev.tributary.schema;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each distinct schema change through once, keyed by its CloudEvents id: every subtask
 * that meets a new shape reports it, and a restart meets it again; people hear of it once.
 */
public final class FirstReport extends KeyedProcessFunction<String, SchemaChangeEvent, SchemaChangeEvent> {
    private transient ValueState<Boolean> reported;

    @Override
    public void open(OpenContext context) {
        reported = getRuntimeContext().getState(new ValueStateDescriptor<>("reported", Types.BOOLEAN));
    }

    @Override
    public void processElement(SchemaChangeEvent event, Context context, Collector<SchemaChangeEvent> out) throws Exception {
        if (reported.value() == null) {
            reported.update(Boolean.TRUE);
            out.collect(event);
        }
    }
}
