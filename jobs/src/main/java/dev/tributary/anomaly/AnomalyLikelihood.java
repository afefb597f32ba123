package dev.tributary.anomaly;

/**
 * How unlikely the newest raw anomaly scores are, given the scores seen so far: the mean of
 * the last few scores is compared with a normal distribution fitted to the history (a
 * cumulative mean and variance, exponentially weighted once the history is full, so memory
 * stays constant), and the tail probability is put on a log scale in [0, 1]:
 * {@code log(1 - likelihood) / log(1e-10)}. A detector that is usually surprised then has to
 * be surprised for longer, or more, to count.
 *
 * <p>Mutable: one instance per series.
 */
public final class AnomalyLikelihood implements java.io.Serializable {
    private static final double LOG_FLOOR = Math.log(1e-10);

    private final int window;
    private final double[] recent;
    private long count;
    private double mean;
    private double variance;
    private double recentSum;

    public AnomalyLikelihood(int window, int shortWindow) {
        if (window <= 0 || shortWindow <= 0) {
            throw new IllegalArgumentException("windows must be positive");
        }
        this.window = window;
        this.recent = new double[shortWindow];
    }

    /** Adds a raw score and returns the log-scaled likelihood of the newest short-term mean. */
    public double update(double rawScore) {
        int slot = (int) (count % recent.length);
        recentSum += rawScore - recent[slot];
        recent[slot] = rawScore;
        count++;
        double weight = 1.0 / Math.min(count, window);
        double delta = rawScore - mean;
        mean += weight * delta;
        variance = (1 - weight) * (variance + weight * delta * delta);
        double deviation = Math.max(Math.sqrt(variance), 1e-4);
        double shortMean = recentSum / Math.min(count, recent.length);
        double tail = 0.5 * Erfc.erfc((shortMean - mean) / deviation / Math.sqrt(2));
        return Math.log(tail + 1e-10) / LOG_FLOOR;
    }
}
