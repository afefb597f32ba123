package dev.tributary.anomaly;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling event-time windows over the reading's own {@code event_time}, not the stream
 * record's timestamp: the enrichment joins release readings that waited for their state from a
 * processing-time timer, and such records carry no timestamp. The watermark still decides when
 * a window fires (the joins hold it back below every waiting reading).
 */
public final class ReadingTimeWindows extends WindowAssigner<Object, TimeWindow> {
    private final long size;

    public ReadingTimeWindows(Duration size) {
        if (size.isNegative() || size.isZero()) {
            throw new IllegalArgumentException("window size must be positive");
        }
        this.size = size.toMillis();
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, WindowAssignerContext context) {
        long eventTime = ((EnrichedTelemetry) element).getEventTime().toEpochMilli();
        long start = TimeWindow.getWindowStartWithOffset(eventTime, 0, size);
        return List.of(new TimeWindow(start, start + size));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Trigger<Object, TimeWindow> getDefaultTrigger(StreamExecutionEnvironment environment) {
        return getDefaultTrigger();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "ReadingTimeWindows(" + size + ")";
    }
}
