package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.deadletter.DeadLetter;
import dev.tributary.schemas.alerts.Alert;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each alert to the configured webhook and SNS topic, as a structured-mode CloudEvent,
 * with retries and backoff ({@link RetryingDelivery}). What still fails comes out as a dead
 * letter: the CloudEvent's bytes, the destination, the attempts and the last error; the job
 * goes on. Delivery is at least once: after a restart, alerts since the last checkpoint are
 * sent again with the same CloudEvent {@code id} and {@code source}, which receivers use to drop
 * repeats.
 */
public final class NotificationFunction extends ProcessFunction<Alert, DeadLetter> {
    public static final String STAGE = "notify";

    private final NotificationConfig config;
    private final String pipeline;
    private transient List<Notifier> notifiers;
    private transient RetryingDelivery delivery;
    private transient AlertCloudEvents events;
    private transient Counter delivered;
    private transient Counter failed;

    public NotificationFunction(NotificationConfig config, String pipeline) {
        this.config = requireNonNull(config, "config is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
    }

    @Override
    public void open(OpenContext openContext) {
        notifiers = new ArrayList<>(2);
        if (config.webhookUrl() != null) {
            notifiers.add(new WebhookNotifier(config.webhookUrl(), config.webhookTimeout()));
        }
        if (config.snsTopicArn() != null) {
            notifiers.add(new SnsNotifier(config.snsTopicArn(), config.snsRegion(), config.snsEndpoint()));
        }
        delivery = config.retryingDelivery();
        events = new AlertCloudEvents(pipeline, config.dataSchema());
        delivered = getRuntimeContext().getMetricGroup().counter("notificationsDelivered");
        failed = getRuntimeContext().getMetricGroup().counter("notificationsDeadLettered");
    }

    @Override
    public void processElement(Alert alert, Context context, Collector<DeadLetter> out) {
        byte[] json = events.toStructuredJson(alert);
        for (Notifier notifier : notifiers) {
            RetryingDelivery.Outcome outcome = delivery.deliver(notifier, json, alert);
            if (outcome.delivered()) {
                delivered.inc();
            } else {
                failed.inc();
                out.collect(deadLetter(alert, json, notifier, outcome));
            }
        }
    }

    static DeadLetter deadLetter(Alert alert, byte[] json, Notifier notifier, RetryingDelivery.Outcome outcome) {
        return new DeadLetter(notifier.name(), -1, -1, alert.getObservedAt().toEpochMilli(), alert.getEntityId().getBytes(StandardCharsets.UTF_8), json,
                outcome.reason(), STAGE);
    }

    @Override
    public void close() {
        if (notifiers != null) {
            notifiers.forEach(Notifier::close);
        }
    }
}
