package dev.tributary.anomaly;

/**
 * The settings of a {@link StreamingAnomalyDetector}. The names follow Random Cut Forest's
 * (and Amazon OpenSearch Ingestion's {@code anomaly_detector} processor's) where they exist.
 *
 * @param signals which detectors vote: both (the default), or one alone for comparison
 * @param shingleSize how many consecutive values the forest sees as one point
 * @param numberOfTrees trees in the forest
 * @param sampleSize points each tree keeps
 * @param timeDecay how fast the forest forgets (1 / how many values it remembers)
 * @param randomSeed the forest's seed: the same input gives the same detections
 * @param outputAfter values seen before the detector may report anything (warm-up)
 * @param likelihoodWindow how many recent forest scores make the "usual" distribution
 * @param likelihoodShortWindow how many of the newest scores are averaged and compared with it
 * @param likelihoodThreshold the (log-scaled) likelihood at or above which a value is anomalous;
 *     0.5 means a short-term mean this far out happens about once in 100,000 values
 * @param noveltyLevels how many levels the first values' range is cut into; novelty is also
 *     judged at one and a half times as many, and a value counts as novel only at both scales
 * @param noveltyWarmUp how many first values set that range
 * @param noveltyThreshold the share of a value's levels (at three resolutions) that nothing
 *     before predicted, at or above which the value is anomalous
 * @param restPeriod values after a detection during which no other is reported
 */
public record DetectorSettings(
        Signals signals,
        int shingleSize,
        int numberOfTrees,
        int sampleSize,
        double timeDecay,
        long randomSeed,
        int outputAfter,
        int likelihoodWindow,
        int likelihoodShortWindow,
        double likelihoodThreshold,
        int noveltyLevels,
        int noveltyWarmUp,
        double noveltyThreshold,
        int restPeriod) implements java.io.Serializable {

    /**
     * The settings chosen on the NAB subset shipped with the project (see README, "Anomaly
     * detection"), and the defaults for a pipeline.
     */
    public static final DetectorSettings DEFAULT = new DetectorSettings(Signals.FOREST_AND_NOVELTY, 16, 50, 256, 1.0 / 2560, 42, 250, 8000, 5, 0.6, 8, 250, 1.0, 150);

    /** Which detectors vote. */
    public enum Signals { FOREST_AND_NOVELTY, FOREST, NOVELTY }

    public DetectorSettings {
        java.util.Objects.requireNonNull(signals, "signals is null");
        positive("shingleSize", shingleSize);
        positive("numberOfTrees", numberOfTrees);
        positive("sampleSize", sampleSize);
        positive("likelihoodWindow", likelihoodWindow);
        positive("likelihoodShortWindow", likelihoodShortWindow);
        positive("noveltyLevels", noveltyLevels);
        positive("noveltyWarmUp", noveltyWarmUp);
        if (noveltyLevels < 2 || noveltyLevels > 8) {
            throw new IllegalArgumentException("noveltyLevels must be from 2 to 8, was " + noveltyLevels);
        }
        if (!(timeDecay >= 0 && timeDecay < 1)) {
            throw new IllegalArgumentException("timeDecay must be in [0, 1), was " + timeDecay);
        }
        if (outputAfter < 0 || restPeriod < 0) {
            throw new IllegalArgumentException("outputAfter and restPeriod must not be negative");
        }
        if (!(likelihoodThreshold > 0 && likelihoodThreshold <= 1) || !(noveltyThreshold > 0 && noveltyThreshold <= 1)) {
            throw new IllegalArgumentException("thresholds must be in (0, 1]");
        }
    }

    public DetectorSettings withSignals(Signals newSignals) {
        return new DetectorSettings(newSignals, shingleSize, numberOfTrees, sampleSize, timeDecay, randomSeed, outputAfter,
                likelihoodWindow, likelihoodShortWindow, likelihoodThreshold, noveltyLevels, noveltyWarmUp, noveltyThreshold, restPeriod);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
