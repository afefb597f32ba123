package dev.tributary.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.alerts.RecordingHttpServer.Request;
import dev.tributary.schemas.alerts.Alert;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class NotifierTest {
    private final List<RecordingHttpServer> servers = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();
    private final RetryingDelivery delivery = new RetryingDelivery(5, Duration.ofSeconds(1), Duration.ofSeconds(3), slept::add);

    @AfterEach
    void stop() {
        servers.forEach(RecordingHttpServer::close);
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("3f1c8f4e-0000-3000-8000-000000000001").setAlertType("battery_low").setStatus("opened").setSeverity("warning")
                .setEntityType("vehicle").setEntityId("veh-00005").setDeviceId("dev-00005").setVehicleId("veh-00005")
                .setConditionSince(Instant.parse("2025-03-14T09:00:00Z")).setObservedAt(Instant.parse("2025-03-14T09:02:00Z"))
                .setRule("battery.voltage_v < 11.8 for at least PT2M").setThreshold("battery.voltage_v < 11.8 for PT2M")
                .setObservedValues(Map.of("battery.voltage_v", "11.6")).setExplanation("Battery voltage low while parked")
                .setTriggerEventId("e1").build();
    }

    /** A server that answers each request with the next status (the last one repeating) and records it. */
    private URI server(List<Request> received, String contentType, String body, int... statuses) throws IOException {
        RecordingHttpServer server = RecordingHttpServer.start(received, contentType, body, statuses);
        servers.add(server);
        return server.url();
    }

    @Test
    void theWebhookReceivesAStructuredCloudEvent() throws Exception {
        List<Request> received = new CopyOnWriteArrayList<>();
        URI url = server(received, "text/plain", "", 200);
        RetryingDelivery.Outcome outcome = delivery.deliver(new WebhookNotifier(url, Duration.ofSeconds(5)), structured(), alert());

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.contentType()).startsWith("application/cloudevents+json");
            CloudEvent event = AlertCloudEvents.fromStructuredJson(request.body());
            assertThat(event.getId()).isEqualTo(alert().getAlertId() + ".opened");
            assertThat(event.getType()).isEqualTo("dev.tributary.alert.opened");
            assertThat(event.getSource()).hasToString("/tributary/fleet/rules/battery_low");
            assertThat(event.getDataSchema()).isEqualTo(AlertCloudEvents.DATA_SCHEMA);
            assertThat(event.getExtension("severity")).isEqualTo("warning");
            assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).contains("\"entity_id\":\"veh-00005\"");
        });
    }

    @Test
    void aFailingWebhookIsRetriedWithBackoffUntilItAnswers() throws Exception {
        List<Request> received = new CopyOnWriteArrayList<>();
        URI url = server(received, "text/plain", "", 503, 503, 200);
        RetryingDelivery.Outcome outcome = delivery.deliver(new WebhookNotifier(url, Duration.ofSeconds(5)), structured(), alert());

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(received).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aWebhookThatKeepsFailingGivesUpAfterTheLastAttemptWithTheReason() throws Exception {
        List<Request> received = new CopyOnWriteArrayList<>();
        URI url = server(received, "text/plain", "", 500);
        RetryingDelivery.Outcome outcome = delivery.deliver(new WebhookNotifier(url, Duration.ofSeconds(5)), structured(), alert());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(5);
        assertThat(outcome.error()).contains("HTTP 500").contains("webhook http://127.0.0.1:" + url.getPort() + "/******").doesNotContain(url.getPath());
        assertThat(received).hasSize(5);
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void aRefusedRequestIsNotRetried() throws Exception {
        List<Request> received = new CopyOnWriteArrayList<>();
        URI url = server(received, "text/plain", "", 400);
        RetryingDelivery.Outcome outcome = delivery.deliver(new WebhookNotifier(url, Duration.ofSeconds(5)), structured(), alert());

        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.error()).contains("HTTP 400").contains("not retried");
        assertThat(slept).isEmpty();
    }

    @Test
    void anUnreachableWebhookIsRetried() throws Exception {
        URI url = server(new ArrayList<>(), "text/plain", "", 200);
        servers.get(0).close();
        RetryingDelivery.Outcome outcome = delivery.deliver(new WebhookNotifier(url, Duration.ofSeconds(2)), structured(), alert());
        assertThat(outcome.attempts()).isEqualTo(5);
        assertThat(outcome.error()).contains("ConnectException");
    }

    @Test
    void snsGetsThePublishRequestTheSdkWouldSendToAws() throws Exception {
        List<Request> received = new CopyOnWriteArrayList<>();
        URI endpoint = server(received, "text/xml", RecordingHttpServer.SNS_PUBLISHED, 200);
        String arn = "arn:aws:sns:eu-west-1:123456789012:fleet-alerts";
        try (SnsNotifier sns = new SnsNotifier(arn, "eu-west-1", URI.create("http://127.0.0.1:" + endpoint.getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))) {
            RetryingDelivery.Outcome outcome = delivery.deliver(sns, structured(), alert());
            assertThat(outcome.delivered()).as(String.valueOf(outcome.error())).isTrue();
        }
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
            // Signed for SNS in the topic's region.
            assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/sns/aws4_request");
            Map<String, String> form = RecordingHttpServer.form(request.body());
            assertThat(form).containsEntry("Action", "Publish").containsEntry("TopicArn", arn)
                    .containsEntry("Subject", "[warning] battery_low opened: vehicle veh-00005");
            CloudEvent event = AlertCloudEvents.fromStructuredJson(form.get("Message").getBytes(StandardCharsets.UTF_8));
            assertThat(event.getId()).isEqualTo(alert().getAlertId() + ".opened");
            Map<String, String> attributes = RecordingHttpServer.stringAttributes(form);
            assertThat(attributes).containsEntry("ce_type", "dev.tributary.alert.opened").containsEntry("alerttype", "battery_low")
                    .containsEntry("severity", "warning").containsEntry("status", "opened");
        });
    }

    @Test
    void snsThrottlingIsRetriedAndAnInvalidParameterIsNot() throws Exception {
        String arn = "arn:aws:sns:eu-west-1:123456789012:fleet-alerts";
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        List<Request> throttled = new CopyOnWriteArrayList<>();
        URI busy = server(throttled, "text/xml", "", 500);
        try (SnsNotifier sns = new SnsNotifier(arn, "eu-west-1", URI.create("http://127.0.0.1:" + busy.getPort()), credentials)) {
            RetryingDelivery.Outcome outcome = delivery.deliver(sns, structured(), alert());
            assertThat(outcome.attempts()).isEqualTo(5);
            assertThat(outcome.error()).contains("InternalError");
        }
        assertThat(throttled).hasSize(5);
        List<Request> refused = new CopyOnWriteArrayList<>();
        URI strict = server(refused, "text/xml", "", 400);
        try (SnsNotifier sns = new SnsNotifier(arn, "eu-west-1", URI.create("http://127.0.0.1:" + strict.getPort()), credentials)) {
            RetryingDelivery.Outcome outcome = delivery.deliver(sns, structured(), alert());
            assertThat(outcome.attempts()).isEqualTo(1);
            assertThat(outcome.error()).contains("InvalidParameter").contains("not retried");
        }
        assertThat(refused).hasSize(1);
    }

    @Test
    void aDeadLetterKeepsTheEventBytesTheDestinationAndTheReason() throws Exception {
        URI url = server(new ArrayList<>(), "text/plain", "", 500);
        WebhookNotifier webhook = new WebhookNotifier(url, Duration.ofSeconds(5));
        byte[] json = structured();
        RetryingDelivery.Outcome outcome = delivery.deliver(webhook, json, alert());
        dev.tributary.deadletter.DeadLetter letter = NotificationFunction.deadLetter(alert(), json, webhook, outcome);
        assertThat(letter.value()).isEqualTo(json);
        String shown = "webhook http://127.0.0.1:" + url.getPort() + "/******";
        assertThat(letter.sourceTopic()).isEqualTo(shown);
        assertThat(letter.reason()).isEqualTo("not delivered after 5 attempts: " + shown + ": HTTP 500");
        assertThat(letter.stage()).isEqualTo(NotificationFunction.STAGE);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("veh-00005");
    }

    @Test
    void aDeadLetterOfAWebhookWithATokenInItsUrlHoldsNeitherItsPathNorItsQuery() throws Exception {
        URI base = server(new ArrayList<>(), "text/plain", "", 503);
        URI url = base.resolve("/services/T0PATH-SECRET/B0PATH?token=tok-QUERY-SECRET&channel=alerts");
        URI unreachable;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            unreachable = URI.create("http://127.0.0.1:" + closed.getLocalPort() + "/hook/T0PATH-SECRET?token=tok-QUERY-SECRET");
        }
        for (URI hook : List.of(url, unreachable)) {
            WebhookNotifier webhook = new WebhookNotifier(hook, Duration.ofSeconds(5));
            byte[] json = structured();
            RetryingDelivery.Outcome outcome = new RetryingDelivery(2, Duration.ZERO, Duration.ZERO, slept::add).deliver(webhook, json, alert());
            assertThat(outcome.delivered()).isFalse();
            dev.tributary.deadletter.DeadLetter letter = NotificationFunction.deadLetter(alert(), json, webhook, outcome);
            org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record =
                    new dev.tributary.deadletter.DeadLetterSerializer("fleet.alerts.dlq").serialize(letter, null, null);
            StringBuilder everything = new StringBuilder(webhook.name()).append('\n').append(outcome.reason()).append('\n');
            record.headers().forEach(header -> everything.append(header.key()).append('=')
                    .append(new String(header.value(), StandardCharsets.UTF_8)).append('\n'));
            everything.append(new String(record.key(), StandardCharsets.UTF_8));
            assertThat(everything.toString()).doesNotContain("T0PATH-SECRET").doesNotContain("tok-QUERY-SECRET").doesNotContain("B0PATH")
                    .contains("webhook http://127.0.0.1:" + hook.getPort() + "/******");
            assertThat(dev.tributary.deadletter.DeadLetterSerializer.header(record.headers(), dev.tributary.deadletter.DeadLetterSerializer.HEADER_REASON))
                    .startsWith("not delivered after 2 attempts: webhook http://127.0.0.1:" + hook.getPort() + "/******: ")
                    .contains(hook == url ? "HTTP 503" : "ConnectException");
        }
    }

    private static byte[] structured() {
        return new AlertCloudEvents("fleet").toStructuredJson(alert());
    }
}
