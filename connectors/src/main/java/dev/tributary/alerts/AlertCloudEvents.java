package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.format.AvroJsonWriter;
import dev.tributary.format.InvalidRecordException;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.alerts.Alert;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts as CloudEvents 1.0, built and read with the CloudEvents Java SDK.
 *
 * <ul>
 *   <li>{@code id}: the alert id and its status ({@code <alert_id>.opened}); with {@code source}
 *       it is the idempotency key, stable across replays of the same input.
 *   <li>{@code source}: {@code /tributary/<pipeline>/rules/<alert_type>}.
 *   <li>{@code type}: {@code dev.tributary.alert.opened}, {@code .escalated} or {@code .resolved}.
 *   <li>{@code subject}: the entity id; {@code time}: the event time it was opened, escalated or resolved.
 *   <li>{@code dataschema}: the alert schema; data: the {@link Alert} as JSON.
 *   <li>extensions {@code alerttype}, {@code severity}, {@code entityid}, for routing and filters.
 * </ul>
 *
 * On Kafka they travel in binary mode: attributes in {@code ce_} headers, the data as the value.
 */
public final class AlertCloudEvents {
    /**
     * The alert schema's place in the repository, as a URI reference; a deployment that
     * publishes the schema elsewhere (S3, a schema registry) sets {@code alerts.dataschema}.
     */
    public static final URI DATA_SCHEMA = URI.create("schemas/src/main/avro/alert.avsc");
    public static final String TYPE_PREFIX = "dev.tributary.alert.";
    /** The media type of a structured-mode CloudEvent in JSON. */
    public static final String STRUCTURED_CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private final String pipeline;
    private final URI dataSchema;
    private final JsonAvroReader reader = new JsonAvroReader(SpecificData.getForClass(Alert.class));
    private final JsonFormat structured = new JsonFormat();

    public AlertCloudEvents(String pipeline) {
        this(pipeline, DATA_SCHEMA);
    }

    public AlertCloudEvents(String pipeline, URI dataSchema) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.dataSchema = requireNonNull(dataSchema, "dataSchema is null");
    }

    public CloudEvent toCloudEvent(Alert alert) {
        return CloudEventBuilder.v1()
                .withId(alert.getAlertId() + "." + alert.getStatus())
                .withSource(URI.create("/tributary/" + pipeline + "/rules/" + alert.getAlertType()))
                .withType(TYPE_PREFIX + alert.getStatus())
                .withSubject(alert.getEntityId())
                .withTime(alert.getObservedAt().atOffset(ZoneOffset.UTC))
                .withDataSchema(dataSchema)
                .withDataContentType("application/json")
                .withExtension("alerttype", alert.getAlertType())
                .withExtension("severity", alert.getSeverity())
                .withExtension("entityid", alert.getEntityId())
                .withData(AvroJsonWriter.toJsonBytes(alert))
                .build();
    }

    /** The alert as a structured-mode CloudEvent ({@code application/cloudevents+json}), for SNS and webhooks. */
    public byte[] toStructuredJson(Alert alert) {
        return structured.serialize(toCloudEvent(alert));
    }

    /** Reads a structured-mode CloudEvent. */
    public static CloudEvent fromStructuredJson(byte[] json) {
        return new JsonFormat().deserialize(json);
    }

    /** A binary-mode Kafka record, keyed by the entity so that one entity's alerts stay in order. */
    public ProducerRecord<byte[], byte[]> toKafkaRecord(String topic, Alert alert) {
        byte[] key = alert.getEntityId().getBytes(StandardCharsets.UTF_8);
        return KafkaMessageFactory.createWriter(topic, null, alert.getObservedAt().toEpochMilli(), key)
                .writeBinary(toCloudEvent(alert));
    }

    /** Reads a CloudEvent from a Kafka record in either binary or structured mode. */
    public static CloudEvent fromKafkaRecord(ConsumerRecord<byte[], byte[]> record) {
        MessageReader reader = KafkaMessageFactory.createReader(record);
        return reader.toEvent();
    }

    public Alert alertOf(CloudEvent event) throws InvalidRecordException {
        if (event.getData() == null) {
            throw new InvalidRecordException("", "alert event " + event.getId() + " has no data");
        }
        return reader.read(event.getData().toBytes(), Alert.getClassSchema());
    }
}
