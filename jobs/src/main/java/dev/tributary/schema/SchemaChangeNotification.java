package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.NotificationConfig;
import dev.tributary.alerts.SnsTopic;
import dev.tributary.deadletter.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Publishes each reported schema change to SNS ({@link SchemaChangeNotifier}); what SNS still
 * refuses after the retries comes out as a dead letter, and the job goes on. At least once:
 * after a restart, a change reported since the last checkpoint is published again with the
 * same CloudEvent {@code id}.
 */
public final class SchemaChangeNotification extends ProcessFunction<SchemaChangeEvent, DeadLetter> {
    private final SnsTopic topic;
    private final NotificationConfig notifications;
    private final String pipeline;
    private final String stage;
    private transient SchemaChangeNotifier notifier;
    private transient Counter delivered;
    private transient Counter failed;

    /** {@code notifications} gives the attempts and backoffs ({@code alerts.delivery.*}). */
    public SchemaChangeNotification(SnsTopic topic, NotificationConfig notifications, String pipeline, String stage) {
        this.topic = requireNonNull(topic, "topic is null");
        this.notifications = requireNonNull(notifications, "notifications is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.stage = requireNonNull(stage, "stage is null");
    }

    @Override
    public void open(OpenContext openContext) {
        notifier = new SchemaChangeNotifier(topic.notifier(), notifications.retryingDelivery(), new SchemaChangeCloudEvents(pipeline, stage));
        delivered = getRuntimeContext().getMetricGroup().counter("schemaChangesPublished");
        failed = getRuntimeContext().getMetricGroup().counter("schemaChangesDeadLettered");
    }

    @Override
    public void processElement(SchemaChangeEvent event, Context context, Collector<DeadLetter> out) {
        notifier.publish(event).ifPresentOrElse(letter -> {
            failed.inc();
            out.collect(letter);
        }, delivered::inc);
    }

    @Override
    public void close() {
        if (notifier != null) {
            notifier.close();
        }
    }
}
