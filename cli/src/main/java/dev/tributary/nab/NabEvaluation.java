package dev.tributary.nab;

import static java.util.Objects.requireNonNull;

import dev.tributary.anomaly.DetectorSettings;
import dev.tributary.anomaly.StreamingAnomalyDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the project's streaming detector over every series of a NAB corpus, one fresh
 * detector per series, fed row by row in time order (the detector never sees a later row
 * before an earlier one, nor the series' length or range), and scores its detections with
 * {@link NabScorer} under each profile.
 */
public final class NabEvaluation {
    private final NabCorpus corpus;
    private final DetectorSettings settings;

    public NabEvaluation(NabCorpus corpus, DetectorSettings settings) {
        this.corpus = requireNonNull(corpus, "corpus is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** The detections of one series: one flag per row. */
    public static boolean[] detect(NabSeries series, DetectorSettings settings) {
        StreamingAnomalyDetector detector = new StreamingAnomalyDetector(settings);
        boolean[] detections = new boolean[series.size()];
        double[] values = series.values();
        for (int row = 0; row < values.length; row++) {
            detections[row] = detector.update(values[row]).anomalous();
        }
        return detections;
    }

    /** Detects over every series (files in parallel), then scores. {@code progress} hears each finished series' name. */
    public Map<NabProfile, NabResult> run(Consumer<String> progress) {
        requireNonNull(progress, "progress is null");
        Map<String, boolean[]> detections = new TreeMap<>();
        Map<String, long[]> timestamps = new TreeMap<>();
        AtomicInteger done = new AtomicInteger();
        List<String> names = corpus.names();
        names.parallelStream().forEach(name -> {
            NabSeries series;
            try {
                series = corpus.series(name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            boolean[] flags = detect(series, settings);
            synchronized (detections) {
                detections.put(name, flags);
                timestamps.put(name, series.timestamps());
            }
            progress.accept(String.format("[%d/%d] %s", done.incrementAndGet(), names.size(), name));
        });
        Map<NabProfile, NabResult> results = new LinkedHashMap<>();
        for (NabProfile profile : NabProfile.ALL) {
            Map<String, NabScorer.FileScore> perFile = new LinkedHashMap<>();
            for (String name : detections.keySet()) {
                perFile.put(name, NabScorer.score(timestamps.get(name), detections.get(name), corpus.windows(name), profile));
            }
            results.put(profile, NabResult.of(profile, perFile));
        }
        return results;
    }

    /** The categories of a corpus's series, in order: the first path element of each name. */
    public static List<String> categories(Iterable<String> names) {
        List<String> categories = new ArrayList<>();
        for (String name : names) {
            String category = name.substring(0, name.indexOf('/'));
            if (!categories.contains(category)) {
                categories.add(category);
            }
        }
        return categories;
    }
}
