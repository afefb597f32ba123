package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Alerts to Kafka as binary-mode CloudEvents ({@link AlertCloudEvents}), on the topic the routing picks. */
public final class AlertSerializer implements KafkaRecordSerializationSchema<Alert> {
    private final String topic;
    private final String pipeline;
    private final NotificationConfig notifications;
    private transient AlertCloudEvents events;

    public AlertSerializer(String topic, String pipeline, NotificationConfig notifications) {
        this.topic = requireNonNull(topic, "topic is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.notifications = requireNonNull(notifications, "notifications is null");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
        if (events == null) {
            events = new AlertCloudEvents(pipeline, notifications.dataSchema());
        }
        return events.toKafkaRecord(notifications.topicFor(topic, alert.getAlertType(), alert.getSeverity()), alert);
    }
}
