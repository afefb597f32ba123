package dev.tributary.telemetry;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for change streams that feed state: they never hold event time back. The stream
 * declares itself idle, so an operator that joins it with telemetry follows the telemetry's
 * watermark alone. (Emitting the maximum watermark instead would be wrong: when the telemetry
 * goes idle too, the operator would jump to the end of time and fire every timer.)
 */
public final class StateStreamWatermarks {
    private StateStreamWatermarks() {}

    /**
     * For a bounded run: no watermark until the change stream ends (then the maximum), so that
     * the joins release the readings still waiting only once every change has arrived, whichever
     * source finishes first.
     */
    public static <T> WatermarkStrategy<T> untilTheEnd() {
        return WatermarkStrategy.noWatermarks();
    }

    public static <T> WatermarkStrategy<T> alwaysIdle() {
        return context -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        };
    }
}
