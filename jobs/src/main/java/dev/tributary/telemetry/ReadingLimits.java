package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a raw reading may be and still pass validation, so that every output can write whatever
 * passes: its size, how far its event time may be from processing time, and how long its ids
 * may be.
 *
 * @param maxEventBytes {@code telemetry.max-event-bytes}: larger records are dead letters
 * @param maxFutureSkew {@code telemetry.max-future-skew}: a reading dated further ahead of processing
 *     time (a device with a wrong clock) is a dead letter ({@code event_time_in_future}), so it cannot
 *     push event time ahead and make every later reading late for the rules
 * @param maxEventAge {@code telemetry.max-event-age}: a reading dated further back (a clock reset to
 *     1970, say) is a dead letter ({@code event_time_too_old})
 */
public record ReadingLimits(int maxEventBytes, Duration maxFutureSkew, Duration maxEventAge) implements java.io.Serializable {
    /**
     * The longest {@code event_id} and {@code device_id}, in characters: the device id is the
     * partition key of Kinesis records, which Kinesis limits to 256 Unicode characters.
     */
    public static final int MAX_ID_LENGTH = 256;
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(365);

    public ReadingLimits {
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
        requireNonNull(maxFutureSkew, "maxFutureSkew is null");
        requireNonNull(maxEventAge, "maxEventAge is null");
    }

    /** {@code maxEventBytes} with the default time bounds. */
    public static ReadingLimits ofSize(int maxEventBytes) {
        return new ReadingLimits(maxEventBytes, DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_EVENT_AGE);
    }
}
