package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

import com.amazon.randomcutforest.RandomCutForest;

/**
 * The project's streaming anomaly detector for one series, fed one value at a time in time
 * order. Two detectors vote:
 * <ul>
 *   <li>a Random Cut Forest over shingles of the last {@code shingleSize} values, whose
 *       scores go through an {@link AnomalyLikelihood}: a value is anomalous when the recent
 *       scores are far above the usual ones;
 *   <li>a {@link ContextNovelty}: a value is anomalous when it never followed the previous
 *       value before, at any resolution.
 * </ul>
 * Either can report, after {@code outputAfter} values, and a report starts a rest period of
 * {@code restPeriod} values without another (one incident, one alert).
 *
 * <p>Mutable and not thread-safe: one instance per series (per entity and metric in a job).
 */
public final class StreamingAnomalyDetector {
    private final DetectorSettings settings;
    private final RandomCutForest forest;
    private final AnomalyLikelihood likelihood;
    private final ContextNovelty novelty;
    private final double[] point = new double[1];
    private long count;
    private long lastReport = Long.MIN_VALUE;

    public StreamingAnomalyDetector(DetectorSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.forest = RandomCutForest.builder()
                .dimensions(settings.shingleSize())
                .shingleSize(settings.shingleSize())
                .internalShinglingEnabled(true)
                .numberOfTrees(settings.numberOfTrees())
                .sampleSize(settings.sampleSize())
                .outputAfter(Math.max(1, settings.sampleSize() / 4))
                .timeDecay(settings.timeDecay())
                .randomSeed(settings.randomSeed())
                .build();
        this.likelihood = new AnomalyLikelihood(settings.likelihoodWindow(), settings.likelihoodShortWindow());
        this.novelty = new ContextNovelty(settings.noveltyLevels(), settings.noveltyWarmUp());
    }

    public DetectorSettings settings() {
        return settings;
    }

    /** How many values the detector has seen. */
    public long count() {
        return count;
    }

    /** Adds the next value of the series and says whether it is anomalous. */
    public Detection update(double value) {
        double forestScore = 0;
        double unlikely = 0;
        if (settings.signals() != DetectorSettings.Signals.NOVELTY) {
            point[0] = value;
            forestScore = forest.getAnomalyScore(point);
            forest.update(point);
            unlikely = likelihood.update(forestScore);
        }
        double novel = settings.signals() == DetectorSettings.Signals.FOREST ? 0 : novelty.update(value);
        count++;
        boolean byLikelihood = unlikely >= settings.likelihoodThreshold();
        boolean byNovelty = novel > 0 && novel >= settings.noveltyThreshold() - 1e-9;
        boolean candidate = count > settings.outputAfter() && (byLikelihood || byNovelty);
        boolean resting = lastReport != Long.MIN_VALUE && count - lastReport <= settings.restPeriod();
        if (!candidate || resting) {
            return new Detection(false, "", forestScore, unlikely, novel);
        }
        lastReport = count;
        String reason = byLikelihood && byNovelty ? "likelihood+novelty" : byLikelihood ? "likelihood" : "novelty";
        return new Detection(true, reason, forestScore, unlikely, novel);
    }
}
