package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes each alert to an Amazon SNS topic (AWS SDK for Java v2): the message is the
 * structured-mode CloudEvent; message attributes carry the CloudEvent type, the alert type,
 * the severity and the status, so subscriptions can filter (SNS filter policies) without
 * parsing the message. Other CloudEvents (schema changes) go out the same way through
 * {@link #publish}, with attributes of their own. The SDK itself does not retry:
 * {@link RetryingDelivery} does, the same way for every destination. Throttling and server
 * errors may be retried; other client errors are final.
 */
public final class SnsNotifier implements Notifier {
    private final String topicArn;
    private final SnsClient client;

    public SnsNotifier(String topicArn, String region, URI endpoint) {
        this(topicArn, region, endpoint, DefaultCredentialsProvider.builder().build());
    }

    public SnsNotifier(String topicArn, String region, URI endpoint, AwsCredentialsProvider credentials) {
        this.topicArn = requireNonNull(topicArn, "topicArn is null");
        SnsClientBuilder builder = SnsClient.builder()
                .region(Region.of(requireNonNull(region, "region is null")))
                .credentialsProvider(requireNonNull(credentials, "credentials is null"))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.client = builder.build();
    }

    @Override
    public String name() {
        return "sns " + topicArn;
    }

    @Override
    public void deliver(byte[] structuredJson, Alert alert) throws DeliveryException {
        publish(structuredJson, subject(alert), Map.of(
                "ce_type", AlertCloudEvents.TYPE_PREFIX + alert.getStatus(),
                "alerttype", alert.getAlertType(),
                "severity", alert.getSeverity(),
                "status", alert.getStatus()));
    }

    /**
     * Publishes one structured-mode CloudEvent or throws: {@code subject} is the subject line of
     * email subscriptions (cut to 100 characters), {@code attributes} become String message
     * attributes for filter policies.
     */
    public void publish(byte[] structuredJson, String subject, Map<String, String> attributes) throws DeliveryException {
        Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
        attributes.forEach((name, value) -> values.put(name, text(value)));
        PublishRequest request = PublishRequest.builder()
                .topicArn(topicArn)
                .message(new String(structuredJson, StandardCharsets.UTF_8))
                .subject(subjectLine(subject))
                .messageAttributes(values)
                .build();
        try {
            client.publish(request);
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            boolean retryable = e.isThrottlingException() || status == 408 || status / 100 == 5;
            throw new DeliveryException(name() + ": " + (e.awsErrorDetails() == null ? "HTTP " + status : e.awsErrorDetails().errorCode() + " (HTTP " + status + ")"), retryable, e);
        } catch (SdkException e) {
            throw new DeliveryException(name() + ": " + e.getMessage(), true, e);
        }
    }

    /** An email subscription's subject line: short, no personal data. */
    static String subject(Alert alert) {
        return "[" + alert.getSeverity() + "] " + alert.getAlertType() + " " + alert.getStatus() + ": " + alert.getEntityType() + " " + alert.getEntityId();
    }

    /** What SNS takes as a subject: no line breaks or control characters, at most 100 characters. */
    static String subjectLine(String subject) {
        String line = subject.replaceAll("\\p{Cntrl}", " ");
        return line.length() > 100 ? line.substring(0, 100) : line;
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
