package dev.tributary.nab;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One of NAB's scoring profiles: the weight of a detected window (true positive), of a missed
 * window (false negative) and of a detection outside every window (false positive).
 */
public record NabProfile(String name, double truePositiveWeight, double falseNegativeWeight, double falsePositiveWeight) {
    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 1.0, 0.11);
    public static final NabProfile REWARD_LOW_FP_RATE = new NabProfile("reward_low_FP_rate", 1.0, 1.0, 0.22);
    public static final NabProfile REWARD_LOW_FN_RATE = new NabProfile("reward_low_FN_rate", 1.0, 2.0, 0.11);

    /** NAB's three profiles, in the order NAB reports them. */
    public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);

    public NabProfile {
        requireNonNull(name, "name is null");
    }
}
