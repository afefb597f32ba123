package dev.tributary.anomaly;

/**
 * A contextual detector: is this value one that has followed the previous value before?
 *
 * <p>The range of the first {@code warmUp} values is cut into {@code levels} levels (values
 * outside that range get levels of their own, up to one range below and above). A value is
 * described at three resolutions: its level, its half-level pair and its quarter group. For
 * each level the detector remembers which descriptions have followed it. A new value's novelty
 * is the share of its three descriptions that never followed the previous value's level: 0 for
 * a familiar transition, 1 when even the coarse group is new (a value out of its usual range, a
 * jump, a pattern that stopped). The memory is fixed: one 64-bit mask per level.
 *
 * <p>Mutable: one instance per series.
 */
public final class ContextNovelty implements java.io.Serializable {
    private final int levels;
    private final double[] warmUpValues;
    private final long[] followers;
    private int seen;
    private double low;
    private double width;
    private int previousLevel;

    public ContextNovelty(int levels, int warmUp) {
        if (levels < 2 || levels > 12) {
            throw new IllegalArgumentException("levels must be from 2 to 12, was " + levels);
        }
        if (warmUp <= 0) {
            throw new IllegalArgumentException("warmUp must be positive");
        }
        this.levels = levels;
        this.warmUpValues = new double[warmUp];
        // Levels run from one range below to one range above the warm-up range.
        this.followers = new long[3 * levels];
    }

    /** Adds a value; returns its novelty in [0, 1] (0 during the warm-up). */
    public double update(double value) {
        if (seen < warmUpValues.length) {
            warmUpValues[seen++] = value;
            if (seen == warmUpValues.length) {
                learnWarmUp();
            }
            return 0;
        }
        seen++;
        return step(level(value));
    }

    private void learnWarmUp() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : warmUpValues) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        low = min;
        width = (max - min) / levels;
        if (!(width > 0)) {
            width = Math.max(Math.abs(max) * 0.01, 1e-6);
        }
        previousLevel = -1;
        for (double value : warmUpValues) {
            step(level(value));
        }
    }

    private double step(int level) {
        long descriptions = descriptions(level);
        double novelty = 0;
        if (previousLevel >= 0) {
            long known = followers[previousLevel];
            novelty = 1.0 - Long.bitCount(descriptions & known) / 3.0;
            followers[previousLevel] = known | descriptions;
        }
        previousLevel = level;
        return novelty;
    }

    /** The value's level, 0 .. 3 * levels - 1, the warm-up range being levels .. 2 * levels - 1. */
    int level(double value) {
        double offset = Math.floor((value - low) / width) + levels;
        if (Double.isNaN(offset)) {
            return levels;
        }
        return (int) Math.max(0, Math.min(3 * levels - 1, offset));
    }

    /** One bit per resolution: the level, the pair of levels, the group of four. */
    private long descriptions(int level) {
        int fine = 3 * levels;
        int pair = fine + level / 2;
        int group = fine + 3 * levels / 2 + level / 4;
        return (1L << level) | (1L << pair) | (1L << group);
    }
}
