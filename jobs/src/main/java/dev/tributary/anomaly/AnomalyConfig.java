package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Statistical detection in the telemetry job: which metrics, over which windows, with which
 * detector settings. Keys ({@code anomaly.*}) and defaults are in README.md ("Configuration").
 */
public record AnomalyConfig(boolean enabled, MetricPaths metrics, Duration window, DetectorSettings settings, int maxAlertsPerEntityPerHour)
        implements java.io.Serializable {
    public static final Set<String> KEYS = Set.of("anomaly.enabled", "anomaly.metrics", "anomaly.window", "anomaly.output-after",
            "anomaly.rest-period", "anomaly.likelihood-threshold", "anomaly.rcf.shingle-size", "anomaly.rcf.number-of-trees",
            "anomaly.rcf.sample-size", "anomaly.max-alerts-per-entity-per-hour");

    /**
     * The per-entity defaults. A smaller forest than the NAB evaluation's (20 trees of 32
     * points over shingles of 4 windows), so that an entity's detectors stay a few tens of
     * kilobytes (measured by {@code ./tributary bench detect}); warm-up and rest period counted
     * in windows. The forest votes alone, at a
     * stricter likelihood: a vehicle's signals switch regimes (driving, parked) at random, and
     * the novelty detector, which earns NAB points on single series, flags those switches
     * 316 times in 20 vehicle-days of the simulated fleet, where the forest alone raised
     * 2 alerts in 20 vehicle-days, both on vehicles whose engine overheated ({@code FleetAnomalyDetectionTest}).
     */
    public static final DetectorSettings PER_ENTITY = new DetectorSettings(DetectorSettings.Signals.FOREST,
            4, 20, 32, 1.0 / 320, 42, 60, 1440, 2, 0.9, 8, 60, 1.0, 30);

    public AnomalyConfig {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(window, "window is null");
        requireNonNull(settings, "settings is null");
    }

    public static AnomalyConfig from(ConfigValues reader) {
        List<String> metrics = reader.list("anomaly.metrics");
        DetectorSettings defaults = PER_ENTITY;
        int shingleSize = reader.positiveInt("anomaly.rcf.shingle-size", defaults.shingleSize());
        int sampleSize = reader.positiveInt("anomaly.rcf.sample-size", defaults.sampleSize());
        if (sampleSize < 16) {
            throw new ConfigException("anomaly.rcf.sample-size", Integer.toString(sampleSize), "expected at least 16");
        }
        int outputAfter = reader.positiveInt("anomaly.output-after", defaults.outputAfter());
        DetectorSettings settings = new DetectorSettings(defaults.signals(), shingleSize,
                reader.positiveInt("anomaly.rcf.number-of-trees", defaults.numberOfTrees()), sampleSize, 1.0 / (10.0 * sampleSize),
                defaults.randomSeed(), outputAfter, defaults.likelihoodWindow(), defaults.likelihoodShortWindow(),
                reader.fraction("anomaly.likelihood-threshold", defaults.likelihoodThreshold()), defaults.noveltyLevels(),
                Math.min(outputAfter, defaults.noveltyWarmUp()), defaults.noveltyThreshold(),
                reader.positiveInt("anomaly.rest-period", defaults.restPeriod()));
        return new AnomalyConfig(
                reader.bool("anomaly.enabled", true),
                MetricPaths.resolve("anomaly.metrics", metrics.isEmpty() ? MetricPaths.defaults() : metrics),
                reader.positiveDuration("anomaly.window", "1m"),
                settings,
                reader.positiveInt("anomaly.max-alerts-per-entity-per-hour", EntityDetectors.DEFAULT_MAX_OPENED_PER_HOUR));
    }
}
