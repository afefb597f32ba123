package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Schema changes as CloudEvents 1.0 (SDK-built; binary mode on Kafka).
 *
 * <ul>
 *   <li>{@code type}: {@code dev.tributary.schema.changed};
 *   <li>{@code source}: {@code /tributary/<pipeline>/<stage>}, e.g. {@code /tributary/fleet/lake-mirror};
 *   <li>{@code id}: a name-based UUID of the subject, kind, path and types, so that the same
 *       change reported twice (after a restart) carries the same id;
 *   <li>{@code subject}: the table or record type; {@code time}: when it was first seen;
 *   <li>extensions {@code changekind} and {@code changepath}; data: the change as JSON.
 * </ul>
 */
public final class SchemaChangeCloudEvents {
    public static final String TYPE = "dev.tributary.schema.changed";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String pipeline;
    private final String stage;

    public SchemaChangeCloudEvents(String pipeline, String stage) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.stage = requireNonNull(stage, "stage is null");
    }

    public static String id(SchemaChange change) {
        String identity = change.subject() + '\n' + change.kind().code() + '\n' + change.path() + '\n' + change.expected() + '\n' + change.found();
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public CloudEvent toCloudEvent(SchemaChangeEvent event) {
        SchemaChange change = event.change();
        return CloudEventBuilder.v1()
                .withId(id(change))
                .withSource(URI.create("/tributary/" + pipeline + "/" + stage))
                .withType(TYPE)
                .withSubject(change.subject())
                .withTime(Instant.ofEpochMilli(event.firstSeenMillis()).atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension("changekind", change.kind().code())
                .withExtension("changepath", change.path())
                .withData(data(event))
                .build();
    }

    /** The change as a structured-mode CloudEvent ({@code application/cloudevents+json}), for SNS. */
    public byte[] toStructuredJson(SchemaChangeEvent event) {
        return new JsonFormat().serialize(toCloudEvent(event));
    }

    public ProducerRecord<byte[], byte[]> toKafkaRecord(String topic, SchemaChangeEvent event) {
        return KafkaMessageFactory.createWriter(topic, null, event.firstSeenMillis(), event.change().subject().getBytes(StandardCharsets.UTF_8))
                .writeBinary(toCloudEvent(event));
    }

    private static byte[] data(SchemaChangeEvent event) {
        SchemaChange change = event.change();
        ObjectNode data = JSON.createObjectNode();
        data.put("subject", change.subject());
        data.put("kind", change.kind().code());
        data.put("path", change.path());
        data.put("expected", change.expected());
        data.put("found", change.found());
        data.put("description", change.describe());
        data.put("first_seen", Instant.ofEpochMilli(event.firstSeenMillis()).toString());
        ObjectNode example = data.putObject("example");
        example.put("topic", event.exampleTopic());
        example.put("partition", event.examplePartition());
        example.put("offset", event.exampleOffset());
        data.put("count", event.count());
        data.put("action", event.action());
        try {
            return JSON.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
