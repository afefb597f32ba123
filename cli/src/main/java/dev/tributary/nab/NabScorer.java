package dev.tributary.nab;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * NAB's scoring of one series, as NAB's own scorer computes it.
 *
 * <ul>
 *   <li>Every row gets a weight from a scaled sigmoid of its place relative to the windows:
 *       inside a window, {@code sigmoid(position) * tpWeight / sigmoid(-1)} where the position
 *       runs from -1 at the window's start towards 0 at its end, so early detections are worth
 *       nearly tpWeight; outside, {@code sigmoid(distance) * fpWeight}, the distance counted in
 *       window widths after the preceding window (beyond 3 widths, or before any window, the
 *       full -fpWeight).
 *   <li>A detection is a row whose score is at or above the threshold. The first detection in a
 *       window earns that row's weight, later ones nothing; a window with none costs fnWeight;
 *       every detection outside the windows adds its (negative) weight.
 *   <li>Rows of the probationary period (the first 15% of the series, at most 750 rows) are
 *       not scored.
 * </ul>
 */
public final class NabScorer {
    static final double PROBATIONARY_PERCENT = 0.15;

    private NabScorer() {}

    /** What one series scored, and NAB's counts of rows (TP, FP, FN, TN are counted per row, as NAB reports them). */
    public record FileScore(double score, int truePositives, int falsePositives, int falseNegatives, int trueNegatives, int windows, int detectedWindows) {}

    /** The probationary length NAB uses for a series of {@code rows} rows. */
    public static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(PROBATIONARY_PERCENT * rows), PROBATIONARY_PERCENT * 5000);
    }

    /** NAB's scaled sigmoid: 1 far before, -1 far after (and beyond 3). */
    static double scaledSigmoid(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }

    /**
     * Scores one series.
     *
     * @param timestamps the rows' times, ascending
     * @param detections whether each row is a detection (score at or above the threshold)
     * @param windows the series' labelled windows, in time order, not overlapping
     */
    public static FileScore score(long[] timestamps, boolean[] detections, List<NabWindow> windows, NabProfile profile) {
        requireNonNull(timestamps, "timestamps is null");
        requireNonNull(detections, "detections is null");
        requireNonNull(windows, "windows is null");
        requireNonNull(profile, "profile is null");
        if (timestamps.length != detections.length) {
            throw new IllegalArgumentException("timestamps and detections differ in length");
        }
        int rows = timestamps.length;
        int probation = probationaryLength(rows);
        // Each window's last row index and width in rows.
        int[] rightIndex = new int[windows.size()];
        int[] width = new int[windows.size()];
        for (int w = 0; w < windows.size(); w++) {
            NabWindow window = windows.get(w);
            int first = -1;
            int last = -1;
            for (int i = 0; i < rows; i++) {
                if (window.contains(timestamps[i])) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            rightIndex[w] = last;
            width[w] = first < 0 ? 0 : last - first + 1;
        }
        double maxTruePositive = scaledSigmoid(-1.0);
        double[] windowScore = new double[windows.size()];
        boolean[] windowScored = new boolean[windows.size()];
        boolean[] windowDetected = new boolean[windows.size()];
        double falsePositiveScore = 0;
        int truePositives = 0;
        int falsePositives = 0;
        int falseNegatives = 0;
        int trueNegatives = 0;
        int current = 0;
        int previous = -1;
        for (int i = 0; i < rows; i++) {
            long time = timestamps[i];
            while (current < windows.size() && time > windows.get(current).endMillis()) {
                previous = current;
                current++;
            }
            boolean inWindow = current < windows.size() && windows.get(current).contains(time);
            double weight;
            if (inWindow) {
                double position = -(rightIndex[current] - i + 1) / (double) width[current];
                weight = scaledSigmoid(position) * profile.truePositiveWeight() / maxTruePositive;
            } else if (previous < 0) {
                weight = -profile.falsePositiveWeight();
            } else {
                double positionPast = Math.abs(rightIndex[previous] - i) / (double) (width[previous] - 1);
                weight = scaledSigmoid(positionPast) * profile.falsePositiveWeight();
            }
            if (i < probation) {
                continue;
            }
            if (inWindow) {
                windowScored[current] = true;
                if (detections[i]) {
                    truePositives++;
                    if (!windowDetected[current]) {
                        windowDetected[current] = true;
                        windowScore[current] = weight;
                    }
                } else {
                    falseNegatives++;
                }
            } else if (detections[i]) {
                falsePositives++;
                falsePositiveScore += weight;
            } else {
                trueNegatives++;
            }
        }
        double total = falsePositiveScore;
        int scoredWindows = 0;
        int detectedWindows = 0;
        for (int w = 0; w < windows.size(); w++) {
            if (!windowScored[w]) {
                continue;
            }
            scoredWindows++;
            if (windowDetected[w]) {
                detectedWindows++;
                total += windowScore[w];
            } else {
                total -= profile.falseNegativeWeight();
            }
        }
        return new FileScore(total, truePositives, falsePositives, falseNegatives, trueNegatives, scoredWindows, detectedWindows);
    }
}
