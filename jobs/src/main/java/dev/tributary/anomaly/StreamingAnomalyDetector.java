package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * The project's streaming anomaly detector for one series, fed one value at a time in time
 * order. Two detectors vote:
 * <ul>
 *   <li>a Random Cut Forest over shingles of the last {@code shingleSize} values, whose
 *       scores go through an {@link AnomalyLikelihood}: a value is anomalous when the recent
 *       scores are far above the usual ones;
 *   <li>{@link ContextNovelty} at two scales ({@code noveltyLevels} and half as many again): a
 *       value is anomalous when, at both, it never followed the previous value before at any
 *       resolution.
 * </ul>
 * Either can report, after {@code outputAfter} values, and a report starts a rest period of
 * {@code restPeriod} values without another (one incident, one alert).
 *
 * <p>Mutable and not thread-safe: one instance per series (per entity and metric in a job).
 * Its memory is bounded by its settings (the forest keeps {@code numberOfTrees * sampleSize}
 * points; the rest is a few hundred bytes), and {@link #toBytes()} / {@link #fromBytes(byte[])}
 * carry it through checkpoints.
 */
public final class StreamingAnomalyDetector {
    private final DetectorSettings settings;
    private final RandomCutForest forest;
    private final AnomalyLikelihood likelihood;
    private final ContextNovelty novelty;
    private final ContextNovelty finerNovelty;
    private final double[] point = new double[1];
    private long count;
    private long lastReport;

    public StreamingAnomalyDetector(DetectorSettings settings) {
        this(settings, newForest(settings), new AnomalyLikelihood(settings.likelihoodWindow(), settings.likelihoodShortWindow()),
                new ContextNovelty(settings.noveltyLevels(), settings.noveltyWarmUp()),
                new ContextNovelty(finerLevels(settings), settings.noveltyWarmUp()), 0, Long.MIN_VALUE);
    }

    private StreamingAnomalyDetector(DetectorSettings settings, RandomCutForest forest, AnomalyLikelihood likelihood, ContextNovelty novelty,
            ContextNovelty finerNovelty, long count, long lastReport) {
        this.settings = requireNonNull(settings, "settings is null");
        this.forest = requireNonNull(forest, "forest is null");
        this.likelihood = requireNonNull(likelihood, "likelihood is null");
        this.novelty = requireNonNull(novelty, "novelty is null");
        this.finerNovelty = requireNonNull(finerNovelty, "finerNovelty is null");
        this.count = count;
        this.lastReport = lastReport;
    }

    private static int finerLevels(DetectorSettings settings) {
        return settings.noveltyLevels() + settings.noveltyLevels() / 2;
    }

    private static RandomCutForest newForest(DetectorSettings settings) {
        return RandomCutForest.builder()
                .dimensions(settings.shingleSize())
                .shingleSize(settings.shingleSize())
                .internalShinglingEnabled(true)
                .numberOfTrees(settings.numberOfTrees())
                .sampleSize(settings.sampleSize())
                .outputAfter(Math.max(1, settings.sampleSize() / 4))
                .timeDecay(settings.timeDecay())
                .randomSeed(settings.randomSeed())
                .precision(Precision.FLOAT_32)
                .boundingBoxCacheFraction(0)
                .build();
    }

    /** The detector's whole state: settings, forest (points and samplers, not trees, which are rebuilt), signals, counters. */
    public byte[] toBytes() {
        RandomCutForestMapper mapper = mapper();
        Snapshot snapshot = new Snapshot(settings, mapper.toState(forest), likelihood, novelty, finerNovelty, count, lastReport);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static StreamingAnomalyDetector fromBytes(byte[] bytes) {
        Snapshot snapshot;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            snapshot = (Snapshot) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("not a detector's state", e);
        }
        return new StreamingAnomalyDetector(snapshot.settings(), mapper().toModel(snapshot.forest()), snapshot.likelihood(), snapshot.novelty(),
                snapshot.finerNovelty(), snapshot.count(), snapshot.lastReport());
    }

    private static RandomCutForestMapper mapper() {
        RandomCutForestMapper mapper = new RandomCutForestMapper();
        mapper.setSaveExecutorContextEnabled(true);
        mapper.setCompressionEnabled(true);
        return mapper;
    }

    private record Snapshot(DetectorSettings settings, RandomCutForestState forest, AnomalyLikelihood likelihood, ContextNovelty novelty,
            ContextNovelty finerNovelty, long count, long lastReport) implements Serializable {}

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
        double novel = settings.signals() == DetectorSettings.Signals.FOREST ? 0 : Math.min(novelty.update(value), finerNovelty.update(value));
        count++;
        boolean byLikelihood = unlikely >= settings.likelihoodThreshold();
        boolean byNovelty = novel > 0 && novel >= settings.noveltyThreshold() - 1e-9;
        boolean candidate = count > settings.outputAfter() && (byLikelihood || byNovelty);
        boolean resting = lastReport != Long.MIN_VALUE && count - lastReport <= settings.restPeriod();
        String reason = !candidate ? "" : byLikelihood && byNovelty ? "likelihood+novelty" : byLikelihood ? "likelihood" : "novelty";
        if (!candidate || resting) {
            return new Detection(false, candidate, reason, forestScore, unlikely, novel);
        }
        lastReport = count;
        return new Detection(true, true, reason, forestScore, unlikely, novel);
    }
}
