package dev.tributary.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import dev.tributary.schemas.alerts.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntityDetectorsTest {
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final MetricPaths METRICS = MetricPaths.resolve("anomaly.metrics", List.of("battery.voltage_v", "engine.coolant_temp_c"));

    static WindowAggregate window(int index, double voltage, double coolant) {
        long start = 1_700_000_000_000L + index * MINUTE.toMillis();
        return new WindowAggregate("vehicle", "veh-1", "dev-1", "veh-1", start, start + MINUTE.toMillis(), 12, new double[] {voltage, coolant});
    }

    /** Steady values with noise, then the coolant jumps for {@code faultLength} windows. */
    static List<Alert> run(EntityDetectors detectors, int from, int to, int faultStart, int faultLength, Random random) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            double coolant = i >= faultStart && i < faultStart + faultLength ? 130 : 90 + random.nextGaussian();
            alerts.addAll(detectors.observe(window(i, 12.5 + 0.05 * random.nextGaussian(), coolant), METRICS, MINUTE));
        }
        return alerts;
    }

    @Test
    void aFaultOpensEscalatesWhileItLastsAndResolvesWhenItEnds() {
        EntityDetectors detectors = new EntityDetectors(AnomalyConfig.PER_ENTITY, METRICS.size());
        List<Alert> alerts = run(detectors, 0, 400, 300, 4, new Random(1));
        assertThat(alerts).extracting(Alert::getStatus).containsExactly("opened", "escalated", "resolved");
        Alert opened = alerts.get(0);
        assertThat(opened.getSeverity()).isEqualTo("warning");
        assertThat(alerts.get(1).getSeverity()).isEqualTo("alarm");
        assertThat(alerts).extracting(Alert::getAlertId).containsOnly(opened.getAlertId());
        assertThat(opened.getObservedValues()).containsEntry("metric", "engine.coolant_temp_c").containsEntry("window_mean", "130");
        // Within the fault's first two windows (the likelihood averages the last two scores).
        assertThat(opened.getConditionSince().toEpochMilli()).isBetween(window(300, 0, 0).windowStart(), window(301, 0, 0).windowStart());
        assertThat(opened.getExplanation()).contains("engine.coolant_temp_c").contains("veh-1").contains("130");
        assertThat(opened.getRule()).contains("Random Cut Forest");
        assertThat(opened.getEntityId()).isEqualTo("veh-1");
    }

    @Test
    void anEntityOpensAtMostItsHourlyLimitAcrossMetrics() {
        EntityDetectors detectors = new EntityDetectors(AnomalyConfig.PER_ENTITY, METRICS.size(), 1);
        Random random = new Random(4);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean fault = i >= 300 && i < 304;
            alerts.addAll(detectors.observe(window(i, fault ? 9.0 : 12.5 + 0.05 * random.nextGaussian(), fault ? 130 : 90 + random.nextGaussian()), METRICS, MINUTE));
        }
        assertThat(alerts).filteredOn(alert -> alert.getStatus().equals("opened")).hasSize(1);
        assertThat(detectors.takeSuppressed()).isEqualTo(1);
        assertThat(detectors.takeSuppressed()).isZero();
        // The limit and what it has counted survive a checkpoint.
        EntityDetectors restored = EntityDetectors.fromBytes(detectors.toBytes());
        assertThat(restored.metrics()).isEqualTo(2);
    }

    @Test
    void stateCarriedThroughBytesContinuesExactlyAsTheOriginal() {
        EntityDetectors original = new EntityDetectors(AnomalyConfig.PER_ENTITY, METRICS.size());
        run(original, 0, 200, -1, 0, new Random(2));
        byte[] bytes = original.toBytes();
        EntityDetectors restored = EntityDetectors.fromBytes(bytes);
        EntityDetectors copied = EntityDetectorsSerializer.INSTANCE.copy(original);
        List<String> fromOriginal = lifecycle(run(original, 200, 400, 300, 3, new Random(3)));
        // The forest rebuilds its trees from the saved points: the same alerts, scores equal to rounding.
        assertThat(lifecycle(run(restored, 200, 400, 300, 3, new Random(3)))).isEqualTo(fromOriginal).isNotEmpty();
        assertThat(lifecycle(run(copied, 200, 400, 300, 3, new Random(3)))).isEqualTo(fromOriginal);
        // Bounded: the forest keeps at most numberOfTrees * sampleSize points, whatever the history.
        assertThat(bytes.length).isLessThan(64 * 1024);
    }

    static List<String> lifecycle(List<Alert> alerts) {
        return alerts.stream().map(alert -> alert.getAlertId() + " " + alert.getStatus() + " " + alert.getSeverity() + " " + alert.getObservedAt()
                + " " + alert.getObservedValues().get("metric") + "=" + alert.getObservedValues().get("window_mean")).toList();
    }

    @Test
    void metricPathsAreCheckedAgainstTheEnrichedSchema() {
        assertThatThrownBy(() -> MetricPaths.resolve("anomaly.metrics", List.of("battery.voltage")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("battery.voltage").hasMessageContaining("'voltage' is not a field of battery (did you mean battery.voltage_v?)");
        assertThatThrownBy(() -> MetricPaths.resolve("anomaly.metrics", List.of("engine.on")))
                .hasMessageContaining("expected a numeric field, found a boolean");
        assertThatThrownBy(() -> AnomalyConfig.from(new ConfigValues(Map.of("anomaly.likelihood-threshold", "2"))))
                .hasMessageContaining("anomaly.likelihood-threshold");
        AnomalyConfig defaults = AnomalyConfig.from(new ConfigValues(Map.of()));
        assertThat(defaults.metrics().names()).containsExactly("battery.voltage_v", "engine.coolant_temp_c");
        assertThat(defaults.window()).isEqualTo(MINUTE);
        assertThat(defaults.settings()).isEqualTo(AnomalyConfig.PER_ENTITY);
        assertThat(defaults.maxAlertsPerEntityPerHour()).isEqualTo(6);
    }
}
