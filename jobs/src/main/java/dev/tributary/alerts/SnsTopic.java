package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.Arns;
import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * An Amazon SNS topic to publish to, as {@code <prefix>.topic-arn}, {@code <prefix>.region} and
 * {@code <prefix>.endpoint} configure it.
 *
 * @param region the region requests are signed for; by default the ARN's
 * @param endpoint an endpoint override (a VPC endpoint, a test server), or null for AWS's
 */
public record SnsTopic(String arn, String region, URI endpoint) implements java.io.Serializable {
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]+(\\.fifo)?");

    public SnsTopic {
        requireNonNull(arn, "arn is null");
        requireNonNull(region, "region is null");
    }

    /** The topic under {@code prefix}, or null when {@code <prefix>.topic-arn} is not set. */
    public static SnsTopic from(ConfigValues reader, String prefix) {
        String arn = arn(reader, prefix + ".topic-arn");
        if (arn == null) {
            return null;
        }
        return new SnsTopic(arn, reader.string(prefix + ".region", regionOf(arn)), NotificationConfig.uri(reader, prefix + ".endpoint", null, true));
    }

    /** The topic ARN under {@code key}, checked; null when the key is not set. */
    static String arn(ConfigValues reader, String key) {
        String arn = reader.string(key, null);
        if (arn != null && !ARN.matcher(arn).matches()) {
            throw new ConfigException(key, arn, "expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:fleet-alerts");
        }
        return arn;
    }

    /** The region of a checked topic ARN. */
    static String regionOf(String arn) {
        return Arns.region(arn);
    }

    /** A publisher to this topic, with credentials from the default AWS chain. */
    public SnsNotifier notifier() {
        return new SnsNotifier(arn, region, endpoint);
    }
}
