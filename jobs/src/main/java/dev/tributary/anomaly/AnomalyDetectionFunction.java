package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs {@link EntityDetectors} per entity over its window aggregates (which arrive in
 * event-time order: a window fires when the watermark passes its end). The detectors live in
 * keyed state; their memory per entity is bounded by the detector settings.
 */
public final class AnomalyDetectionFunction extends KeyedProcessFunction<String, WindowAggregate, Alert> {
    private final DetectorSettings settings;
    private final MetricPaths metrics;
    private final Duration window;
    private final int maxAlertsPerHour;
    private transient ValueState<EntityDetectors> detectors;
    private transient Counter opened;
    private transient Counter suppressed;

    public AnomalyDetectionFunction(DetectorSettings settings, MetricPaths metrics, Duration window, int maxAlertsPerHour) {
        this.settings = requireNonNull(settings, "settings is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.window = requireNonNull(window, "window is null");
        this.maxAlertsPerHour = maxAlertsPerHour;
    }

    @Override
    public void open(OpenContext openContext) {
        detectors = getRuntimeContext().getState(new ValueStateDescriptor<>("detectors", EntityDetectorsSerializer.INSTANCE));
        opened = getRuntimeContext().getMetricGroup().counter("anomaliesOpened");
        suppressed = getRuntimeContext().getMetricGroup().counter("anomaliesSuppressed");
    }

    @Override
    public void processElement(WindowAggregate aggregate, Context context, Collector<Alert> out) throws Exception {
        EntityDetectors entity = detectors.value();
        if (entity == null) {
            entity = new EntityDetectors(settings, metrics.size(), maxAlertsPerHour);
        }
        for (Alert alert : entity.observe(aggregate, metrics, window)) {
            if (alert.getStatus().equals(dev.tributary.alerts.RuleEngine.OPENED)) {
                opened.inc();
            }
            out.collect(alert);
        }
        suppressed.inc(entity.takeSuppressed());
        detectors.update(entity);
    }
}
