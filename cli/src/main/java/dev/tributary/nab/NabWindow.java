package dev.tributary.nab;

/** A labelled anomaly window of one series, both ends included, in epoch milliseconds. */
public record NabWindow(long startMillis, long endMillis) {
    public NabWindow {
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("window ends before it starts: " + startMillis + " > " + endMillis);
        }
    }

    public boolean contains(long timeMillis) {
        return timeMillis >= startMillis && timeMillis <= endMillis;
    }
}
