package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Per entity and window: the sum and count of each metric (incrementally, one small
 * accumulator per window), then the means with the entity's ids and the window's bounds.
 */
public final class MetricWindowAggregator implements AggregateFunction<EnrichedTelemetry, MetricWindowAggregator.Accumulator, MetricWindowAggregator.Accumulator> {
    private final MetricPaths metrics;

    public MetricWindowAggregator(MetricPaths metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** Sums and counts per metric, and the ids of the entity. */
    public static final class Accumulator implements java.io.Serializable {
        public double[] sums;
        public long[] counts;
        public long readings;
        public String deviceId;
        public String vehicleId;

        public Accumulator() {}

        Accumulator(int size) {
            sums = new double[size];
            counts = new long[size];
        }
    }

    @Override
    public Accumulator createAccumulator() {
        return new Accumulator(metrics.size());
    }

    @Override
    public Accumulator add(EnrichedTelemetry reading, Accumulator accumulator) {
        for (int i = 0; i < metrics.size(); i++) {
            double value = metrics.read(reading, i);
            if (!Double.isNaN(value)) {
                accumulator.sums[i] += value;
                accumulator.counts[i]++;
            }
        }
        accumulator.readings++;
        accumulator.deviceId = reading.getDeviceId();
        accumulator.vehicleId = reading.getVehicleId();
        return accumulator;
    }

    @Override
    public Accumulator getResult(Accumulator accumulator) {
        return accumulator;
    }

    @Override
    public Accumulator merge(Accumulator left, Accumulator right) {
        for (int i = 0; i < left.sums.length; i++) {
            left.sums[i] += right.sums[i];
            left.counts[i] += right.counts[i];
        }
        left.readings += right.readings;
        if (right.deviceId != null) {
            left.deviceId = right.deviceId;
            left.vehicleId = right.vehicleId;
        }
        return left;
    }

    /** Attaches the entity and the window to the accumulated sums. */
    public static final class Emit extends ProcessWindowFunction<Accumulator, WindowAggregate, String, TimeWindow> {
        @Override
        public void process(String entityKey, Context context, Iterable<Accumulator> accumulators, Collector<WindowAggregate> out) {
            out.collect(aggregate(accumulators.iterator().next(), context.window().getStart(), context.window().getEnd()));
        }
    }

    /** The means of an accumulator, for the window {@code [start, end)}. */
    public static WindowAggregate aggregate(Accumulator accumulator, long start, long end) {
        double[] means = new double[accumulator.sums.length];
        for (int i = 0; i < means.length; i++) {
            means[i] = accumulator.counts[i] == 0 ? Double.NaN : accumulator.sums[i] / accumulator.counts[i];
        }
        boolean vehicle = accumulator.vehicleId != null;
        return new WindowAggregate(vehicle ? "vehicle" : "device", vehicle ? accumulator.vehicleId : accumulator.deviceId,
                accumulator.deviceId, accumulator.vehicleId, start, end, accumulator.readings, means);
    }
}
