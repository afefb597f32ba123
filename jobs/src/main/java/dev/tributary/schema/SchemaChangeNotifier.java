package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.NotificationFunction;
import dev.tributary.alerts.RetryingDelivery;
import dev.tributary.alerts.SnsNotifier;
import dev.tributary.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes reported schema changes to SNS as structured-mode CloudEvents, with the alerts'
 * retries and backoff ({@link RetryingDelivery}). Message attributes for filter policies:
 * {@code ce_type} ({@value SchemaChangeCloudEvents#TYPE}), {@code changekind}
 * ({@code field_added}, {@code type_changed}, ...), {@code subject} (the table or record type)
 * and {@code action}. What SNS still refuses comes back as a dead letter holding the
 * CloudEvent's bytes and the reason.
 */
public final class SchemaChangeNotifier implements AutoCloseable {
    private final SnsNotifier sns;
    private final RetryingDelivery delivery;
    private final SchemaChangeCloudEvents events;

    public SchemaChangeNotifier(SnsNotifier sns, RetryingDelivery delivery, SchemaChangeCloudEvents events) {
        this.sns = requireNonNull(sns, "sns is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.events = requireNonNull(events, "events is null");
    }

    /** Publishes one change; empty when SNS took it, else its dead letter. */
    public Optional<DeadLetter> publish(SchemaChangeEvent event) {
        byte[] json = events.toStructuredJson(event);
        SchemaChange change = event.change();
        Map<String, String> attributes = Map.of(
                "ce_type", SchemaChangeCloudEvents.TYPE,
                "changekind", change.kind().code(),
                "subject", change.subject(),
                "action", event.action());
        RetryingDelivery.Outcome outcome = delivery.deliver(sns.name(), () -> sns.publish(json, "Schema change " + change.describe(), attributes));
        if (outcome.delivered()) {
            return Optional.empty();
        }
        return Optional.of(new DeadLetter(sns.name(), -1, -1, event.firstSeenMillis(), change.subject().getBytes(StandardCharsets.UTF_8), json,
                outcome.reason(), NotificationFunction.STAGE));
    }

    @Override
    public void close() {
        sns.close();
    }
}
