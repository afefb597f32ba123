package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.alerts.RecordingHttpServer;
import dev.tributary.alerts.RetryingDelivery;
import dev.tributary.alerts.SnsNotifier;
import dev.tributary.deadletter.DeadLetter;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Schema changes to SNS: the exact Publish request the AWS SDK sends, retries, and the dead letter of a refused change. */
class SchemaChangeNotifierTest {
    private static final String ARN = "arn:aws:sns:eu-west-1:123456789012:fleet-schema-changes";
    private static final SchemaChangeEvent RETYPED = new SchemaChangeEvent(
            new SchemaChange("fleet.widgets", SchemaChange.Kind.TYPE_CHANGED, "size", "int", "string"),
            1_741_942_800_000L, "fleet.cdc.public.widgets", 0, 42, 3, "dead-lettered");

    private final List<RecordingHttpServer> servers = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(RecordingHttpServer::close);
    }

    @Test
    void snsGetsAStructuredCloudEventWithAttributesForFilterPolicies() throws Exception {
        List<RecordingHttpServer.Request> received = new CopyOnWriteArrayList<>();
        Optional<DeadLetter> letter;
        try (SchemaChangeNotifier notifier = notifier(received, 200)) {
            letter = notifier.publish(RETYPED);
        }
        assertThat(letter).isEmpty();
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
            assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/sns/aws4_request");
            Map<String, String> form = RecordingHttpServer.form(request.body());
            assertThat(form).containsEntry("Action", "Publish").containsEntry("TopicArn", ARN)
                    .containsEntry("Subject", "Schema change fleet.widgets: type_changed at size (int -> string)");
            assertThat(RecordingHttpServer.stringAttributes(form)).isEqualTo(Map.of(
                    "ce_type", "dev.tributary.schema.changed",
                    "changekind", "type_changed",
                    "subject", "fleet.widgets",
                    "action", "dead-lettered"));

            CloudEvent event = AlertCloudEvents.fromStructuredJson(form.get("Message").getBytes(StandardCharsets.UTF_8));
            assertThat(event.getId()).isEqualTo(SchemaChangeCloudEvents.id(RETYPED.change()));
            assertThat(event.getType()).isEqualTo("dev.tributary.schema.changed");
            assertThat(event.getSource()).hasToString("/tributary/fleet/lake-mirror");
            assertThat(event.getSubject()).isEqualTo("fleet.widgets");
            assertThat(event.getTime()).hasToString("2025-03-14T09:00Z");
            assertThat(event.getExtension("changekind")).isEqualTo("type_changed");
            JsonNode data = JsonMapper.builder().build().readTree(event.getData().toBytes());
            assertThat(data.get("count").asLong()).isEqualTo(3);
            assertThat(data.at("/example/offset").asLong()).isEqualTo(42);
            assertThat(data.get("first_seen").asText()).isEqualTo("2025-03-14T09:00:00Z");
        });
    }

    @Test
    void throttlingIsRetriedWithTheAlertsBackoff() throws Exception {
        List<RecordingHttpServer.Request> received = new CopyOnWriteArrayList<>();
        try (SchemaChangeNotifier notifier = notifier(received, 429, 500, 200)) {
            assertThat(notifier.publish(RETYPED)).isEmpty();
        }
        assertThat(received).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aChangeSnsRefusesBecomesADeadLetterWithTheCloudEventAndTheReason() throws Exception {
        List<RecordingHttpServer.Request> received = new CopyOnWriteArrayList<>();
        DeadLetter letter;
        try (SchemaChangeNotifier notifier = notifier(received, 400)) {
            letter = notifier.publish(RETYPED).orElseThrow();
        }
        assertThat(received).as("a refused request is not retried").hasSize(1);
        assertThat(letter.sourceTopic()).isEqualTo("sns " + ARN);
        assertThat(letter.reason()).isEqualTo("not delivered after 1 attempt: sns " + ARN + ": InvalidParameter (HTTP 400) (not retried)");
        assertThat(letter.stage()).isEqualTo("notify");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("fleet.widgets");
        assertThat(letter.value()).as("the CloudEvent as it was sent")
                .isEqualTo(RecordingHttpServer.form(received.get(0).body()).get("Message").getBytes(StandardCharsets.UTF_8));
        assertThat(AlertCloudEvents.fromStructuredJson(letter.value()).getId()).isEqualTo(SchemaChangeCloudEvents.id(RETYPED.change()));
    }

    @Test
    void aChangeSnsKeepsFailingIsDeadLetteredAfterTheLastAttempt() throws Exception {
        List<RecordingHttpServer.Request> received = new CopyOnWriteArrayList<>();
        DeadLetter letter;
        try (SchemaChangeNotifier notifier = notifier(received, 500)) {
            letter = notifier.publish(RETYPED).orElseThrow();
        }
        assertThat(received).hasSize(5);
        assertThat(letter.reason()).isEqualTo("not delivered after 5 attempts: sns " + ARN + ": InternalError (HTTP 500)");
    }

    private SchemaChangeNotifier notifier(List<RecordingHttpServer.Request> received, int... statuses) throws Exception {
        RecordingHttpServer server = RecordingHttpServer.start(received, "text/xml", RecordingHttpServer.SNS_PUBLISHED, statuses);
        servers.add(server);
        URI endpoint = server.endpoint();
        SnsNotifier sns = new SnsNotifier(ARN, "eu-west-1", endpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
        // The alerts' default delivery settings (alerts.delivery.*): 5 attempts, 1s doubling up to 30s; no real sleeping here.
        RetryingDelivery delivery = new RetryingDelivery(5, Duration.ofSeconds(1), Duration.ofSeconds(30), slept::add);
        return new SchemaChangeNotifier(sns, delivery, new SchemaChangeCloudEvents("fleet", "lake-mirror"));
    }
}
