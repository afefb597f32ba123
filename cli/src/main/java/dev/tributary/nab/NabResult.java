package dev.tributary.nab;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A detector's result over a corpus for one profile: the summed raw score, what the null
 * detector (never fires) and a perfect one (detects every window at its start) would score,
 * and NAB's normalized score {@code 100 * (raw - null) / (perfect - null)}.
 */
public record NabResult(NabProfile profile, double raw, double nullScore, double perfect, int files, int windows, int detectedWindows, int falsePositives,
        Map<String, NabScorer.FileScore> perFile) {
    public NabResult {
        requireNonNull(profile, "profile is null");
        perFile = Map.copyOf(perFile);
    }

    public double normalized() {
        double range = perfect - nullScore;
        return range == 0 ? 0 : 100.0 * (raw - nullScore) / range;
    }

    /** Adds up per-file scores into a corpus result. */
    public static NabResult of(NabProfile profile, Map<String, NabScorer.FileScore> perFile) {
        double raw = 0;
        int windows = 0;
        int detected = 0;
        int falsePositives = 0;
        for (NabScorer.FileScore score : perFile.values()) {
            raw += score.score();
            windows += score.windows();
            detected += score.detectedWindows();
            falsePositives += score.falsePositives();
        }
        return new NabResult(profile, raw, -profile.falseNegativeWeight() * windows, profile.truePositiveWeight() * windows,
                perFile.size(), windows, detected, falsePositives, new LinkedHashMap<>(perFile));
    }
}
