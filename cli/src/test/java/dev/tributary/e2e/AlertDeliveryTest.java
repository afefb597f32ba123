package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.cli.CommandRunner;
import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.schemas.alerts.Alert;
import dev.tributary.telemetry.TelemetryJob;
import io.cloudevents.CloudEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's alert sinks against the real broker and a real HTTP server: routing by severity and
 * by type, binary-mode CloudEvents on Kafka, a webhook that keeps failing (retries, then the
 * alert dead-letter topic with the event's bytes), and {@code ./tributary alerts tail} reading
 * the routed topics with filters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertDeliveryTest {
    @TempDir
    static Path lakeDirectory;

    private LocalStack stack;
    private HttpServer failingWebhook;
    private final AtomicInteger webhookRequests = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        stack = LocalStack.start(lakeDirectory, 0, 2);
        failingWebhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failingWebhook.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhookRequests.incrementAndGet();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        failingWebhook.start();
    }

    @AfterAll
    void stop() throws Exception {
        failingWebhook.stop(0);
        stack.close();
    }

    static List<Alert> alerts() {
        return List.of(
                alert("a-1", "battery_low", "opened", "warning", "veh-00005"),
                alert("a-1", "battery_low", "escalated", "alarm", "veh-00005"),
                alert("a-2", "coolant_overheat", "opened", "warning", "veh-00007"));
    }

    static Alert alert(String id, String type, String status, String severity, String vehicle) {
        return Alert.newBuilder().setAlertId(id).setAlertType(type).setStatus(status).setSeverity(severity)
                .setEntityType("vehicle").setEntityId(vehicle).setDeviceId("dev-" + vehicle.substring(4)).setVehicleId(vehicle)
                .setConditionSince(Instant.parse("2025-03-14T09:00:00Z")).setObservedAt(Instant.parse("2025-03-14T09:02:00Z"))
                .setRule(type).setThreshold("t").setObservedValues(Map.of()).setExplanation(type + " on " + vehicle).setTriggerEventId(null).build();
    }

    private void run(PipelineConfig config) throws Exception {
        stack.createTopics(config, 1);
        StreamExecutionEnvironment env = stack.flink().newEnvironment();
        env.setParallelism(1);
        new TelemetryJob(config).sinkAlerts(env.fromData(TypeInformation.of(Alert.class), alerts().toArray(new Alert[0])));
        JobID job = stack.flink().submit(env, "alert-delivery-" + config.pipelineName());
        stack.flink().awaitResult(job, Duration.ofMinutes(2));
    }

    @Test
    void bySeverityOnKafkaAndAFailingWebhookEndsInTheDeadLetterTopic() throws Exception {
        String url = "http://127.0.0.1:" + failingWebhook.getAddress().getPort() + "/alerts";
        PipelineConfig config = stack.pipelineConfig(Map.of("pipeline.name", "severity", "topic.prefix", "sev", "alerts.routing", "severity",
                "alerts.webhook.url", url, "alerts.delivery.max-attempts", "3", "alerts.delivery.initial-backoff", "10ms",
                "alerts.delivery.max-backoff", "20ms"));
        assertThat(config.alertTopics()).containsExactly("sev.alerts.warning", "sev.alerts.alarm");
        run(config);

        String kafka = stack.kafka().bootstrapServers();
        List<ConsumerRecord<byte[], byte[]>> warnings = Topics.readAll(kafka, "sev.alerts.warning", IsolationLevel.READ_COMMITTED);
        List<ConsumerRecord<byte[], byte[]>> alarms = Topics.readAll(kafka, "sev.alerts.alarm", IsolationLevel.READ_COMMITTED);
        assertThat(warnings).extracting(record -> AlertCloudEvents.fromKafkaRecord(record).getId()).containsExactlyInAnyOrder("a-1.opened", "a-2.opened");
        assertThat(alarms).singleElement().satisfies(record -> {
            // Binary mode: the attributes travel as ce_ headers, the alert JSON is the value.
            assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)).isEqualTo("dev.tributary.alert.escalated");
            assertThat(new String(record.headers().lastHeader("ce_dataschema").value(), StandardCharsets.UTF_8)).isEqualTo("schemas/src/main/avro/alert.avsc");
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"severity\":\"alarm\"");
        });

        List<ConsumerRecord<byte[], byte[]>> dead = Topics.readAll(kafka, "sev.alerts.dlq", IsolationLevel.READ_COMMITTED);
        assertThat(dead).hasSize(3);
        assertThat(webhookRequests.get()).isEqualTo(9);
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
            CloudEvent event = AlertCloudEvents.fromStructuredJson(letter.value());
            assertThat(event.getType()).startsWith("dev.tributary.alert.");
            assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_REASON))
                    .isEqualTo("not delivered after 3 attempts: webhook http://127.0.0.1:" + failingWebhook.getAddress().getPort() + "/******: HTTP 503");
            assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_STAGE)).isEqualTo("notify");
        }

        CommandRunner.Result alarmsOnly = CommandRunner.run("alerts", "tail", "--bootstrap-servers", kafka, "--topic", "sev.alerts",
                "--from-beginning", "--duration", "PT6S", "--severity", "alarm");
        assertThat(alarmsOnly.exitCode()).isZero();
        assertThat(alarmsOnly.out().lines().filter(line -> line.contains("vehicle "))).singleElement().satisfies(line ->
                assertThat(line).contains("alarm").contains("escalated").contains("battery_low").contains("vehicle veh-00005"));
    }

    @Test
    void byTypeEachRuleHasItsTopicAndTailFiltersByType() throws Exception {
        PipelineConfig config = stack.pipelineConfig(Map.of("pipeline.name", "type", "topic.prefix", "typ", "alerts.routing", "type"));
        assertThat(config.alertTopics()).contains("typ.alerts.battery_low", "typ.alerts.coolant_overheat", "typ.alerts.metric_anomaly");
        run(config);

        String kafka = stack.kafka().bootstrapServers();
        assertThat(Topics.readAll(kafka, "typ.alerts.battery_low", IsolationLevel.READ_COMMITTED)).hasSize(2);
        assertThat(Topics.readAll(kafka, "typ.alerts.coolant_overheat", IsolationLevel.READ_COMMITTED)).hasSize(1);

        CommandRunner.Result overheats = CommandRunner.run("alerts", "tail", "--bootstrap-servers", kafka, "--topic", "typ.alerts",
                "--from-beginning", "--duration", "PT6S", "--type", "coolant_overheat");
        assertThat(overheats.out().lines().filter(line -> line.contains("vehicle "))).singleElement()
                .satisfies(line -> assertThat(line).contains("coolant_overheat").contains("veh-00007").contains("warning").contains("opened"));
        CommandRunner.Result everything = CommandRunner.run("alerts", "tail", "--bootstrap-servers", kafka, "--topic", "typ.alerts",
                "--from-beginning", "--duration", "PT6S");
        assertThat(everything.out().lines().filter(line -> line.contains("vehicle "))).hasSize(3);
    }
}
