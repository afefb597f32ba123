package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import dev.tributary.config.SecretKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * Where alerts go besides the alert topic, and how hard delivery tries. Keys ({@code alerts.*})
 * and defaults are in README.md ("Configuration").
 *
 * @param routing how alerts are spread over Kafka topics
 * @param dataSchema the CloudEvents {@code dataschema} of every alert
 * @param webhookUrl an HTTP endpoint that receives each alert as a structured CloudEvent, or null
 * @param snsTopicArn an SNS topic that receives each alert as a structured CloudEvent, or null
 * @param snsEndpoint an endpoint override for SNS (a VPC endpoint, a test server), or null
 * @param deadLetterTopic where an alert goes when a destination still fails after every attempt
 * @param lakeTable the Iceberg table (in the lake's namespace) every alert event is appended to
 */
public record NotificationConfig(
        Routing routing,
        URI dataSchema,
        URI webhookUrl,
        Duration webhookTimeout,
        String snsTopicArn,
        String snsRegion,
        URI snsEndpoint,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        String deadLetterTopic,
        String lakeTable) implements java.io.Serializable {

    public static final Set<String> KEYS = Set.of("alerts.routing", "alerts.dataschema", "alerts.webhook.url", "alerts.webhook.timeout",
            "alerts.sns.topic-arn", "alerts.sns.region", "alerts.sns.endpoint", "alerts.delivery.max-attempts",
            "alerts.delivery.initial-backoff", "alerts.delivery.max-backoff", "topic.alerts-dlq", "lake.alerts-table");

    /** How alerts are spread over topics: all on one, or one topic per alert type or per severity. */
    public enum Routing { SINGLE, TYPE, SEVERITY }

    public NotificationConfig {
        requireNonNull(routing, "routing is null");
        requireNonNull(dataSchema, "dataSchema is null");
        requireNonNull(webhookTimeout, "webhookTimeout is null");
        requireNonNull(snsRegion, "snsRegion is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        requireNonNull(lakeTable, "lakeTable is null");
    }

    public static NotificationConfig from(ConfigValues reader, String alertsTopic) {
        String arn = SnsTopic.arn(reader, "alerts.sns.topic-arn");
        String region = reader.string("alerts.sns.region", arn != null ? SnsTopic.regionOf(arn) : "us-east-1");
        Duration initial = reader.positiveDuration("alerts.delivery.initial-backoff", "1s");
        Duration max = reader.positiveDuration("alerts.delivery.max-backoff", "30s");
        if (max.compareTo(initial) < 0) {
            throw new ConfigException("alerts.delivery.max-backoff", max.toString(), "expected at least alerts.delivery.initial-backoff (" + initial + ")");
        }
        URI webhook = uri(reader, "alerts.webhook.url", null, true);
        if (webhook != null && !(webhook.getScheme().equals("http") || webhook.getScheme().equals("https"))) {
            throw new ConfigException("alerts.webhook.url", webhook.toString(), "expected an http or https URL");
        }
        return new NotificationConfig(
                reader.choice("alerts.routing", Routing.class, Routing.SINGLE),
                uri(reader, "alerts.dataschema", AlertCloudEvents.DATA_SCHEMA.toString(), false),
                webhook,
                reader.positiveDuration("alerts.webhook.timeout", "10s"),
                arn,
                region,
                uri(reader, "alerts.sns.endpoint", null, true),
                reader.positiveInt("alerts.delivery.max-attempts", 5),
                initial,
                max,
                reader.string("topic.alerts-dlq", alertsTopic + ".dlq"),
                reader.string("lake.alerts-table", "alerts"));
    }

    /** As a record's, with the webhook URL masked (its path and query often carry a token). */
    @Override
    public String toString() {
        return "NotificationConfig[routing=" + routing + ", dataSchema=" + dataSchema + ", webhookUrl=" + SecretKeys.maskUrl(webhookUrl)
                + ", webhookTimeout=" + webhookTimeout + ", snsTopicArn=" + snsTopicArn + ", snsRegion=" + snsRegion + ", snsEndpoint=" + snsEndpoint
                + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", deadLetterTopic=" + deadLetterTopic + ", lakeTable=" + lakeTable + "]";
    }

    static URI uri(ConfigValues reader, String key, String defaultValue, boolean absolute) {
        String text = reader.string(key, defaultValue);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (absolute && (!uri.isAbsolute() || uri.getHost() == null)) {
                throw new ConfigException(key, text, "expected an absolute URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key, text, "expected a URI (" + e.getReason() + ")");
        }
    }

    /** The topic an alert goes to. */
    public String topicFor(String alertsTopic, String alertType, String severity) {
        return switch (routing) {
            case SINGLE -> alertsTopic;
            case TYPE -> alertsTopic + "." + alertType;
            case SEVERITY -> alertsTopic + "." + severity;
        };
    }

    /** Delivery with these attempts and backoffs, sleeping between attempts. */
    public RetryingDelivery retryingDelivery() {
        return new RetryingDelivery(maxAttempts, initialBackoff, maxBackoff, duration -> Thread.sleep(duration.toMillis()));
    }

    public boolean notifiesOutsideKafka() {
        return webhookUrl != null || snsTopicArn != null;
    }
}
