package dev.tributary.anomaly;

/**
 * What the detector made of one value.
 *
 * @param anomalous whether the value is reported as an anomaly
 * @param signalled whether a signal crossed its threshold, reported or not (during a rest
 *     period it is not reported again, but an incident still going on shows here)
 * @param reason what fired: {@code likelihood} (the forest's scores became unusual),
 *     {@code novelty} (a transition never seen), both joined by {@code +}, or empty
 * @param forestScore the Random Cut Forest's anomaly score of the value (about 1 is usual)
 * @param likelihood the log-scaled likelihood of the forest's recent scores, in [0, 1]
 * @param novelty the share of the value's descriptions never seen after the previous value, in [0, 1]
 */
public record Detection(boolean anomalous, boolean signalled, String reason, double forestScore, double likelihood, double novelty) {
    public Detection {
        java.util.Objects.requireNonNull(reason, "reason is null");
    }

    /** One score in [0, 1] for tools that threshold a score: 1 when anomalous, else below 0.5. */
    public double score() {
        return anomalous ? 1.0 : 0.49 * Math.max(likelihood, novelty);
    }
}
