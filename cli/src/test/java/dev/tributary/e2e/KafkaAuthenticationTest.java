package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.CaptureService;
import dev.tributary.capture.CaptureStatus;
import dev.tributary.capture.KafkaChangeSink;
import dev.tributary.cli.CommandRunner;
import dev.tributary.config.PipelineConfig;
import dev.tributary.kafka.KafkaAuth;
import dev.tributary.kafka.KafkaAuthenticationException;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalMariaDb;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Producers;
import dev.tributary.local.Topics;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.TelemetryJob;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Kafka clients against a broker that, like Amazon MSK with SASL/SCRAM, only lets in
 * SCRAM-SHA-512 users over TLS: the telemetry job's sources and sinks, the capture service's
 * producer and Debezium's offset store and schema history in Kafka all authenticate with
 * {@code kafka.auth=scram-sha-512}; a wrong password stops them at start-up with a message naming
 * mechanism, user and brokers. Nothing logged in the meantime, at INFO and Kafka's SASL code at
 * DEBUG, nor any message or description, holds a password.
 */
class KafkaAuthenticationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "fleet-user";
    /** The part of each password searched for in logs: quotes and backslashes may be printed escaped. */
    private static final String PASSWORD_CORE = "Kq7scramPw";
    private static final String PASSWORD = PASSWORD_CORE + "-\"quoted\"\\;";
    private static final String WRONG_CORE = "Zx3wrongPw";

    @TempDir
    static Path directory;

    private static CapturedLog log;
    private static ScramTlsListener listener;
    private static LocalStack stack;
    private static String secured;

    @BeforeAll
    static void startBrokerWithScramOverTls() throws Exception {
        log = CapturedLog.start();
        listener = ScramTlsListener.create(directory.resolve("tls"));
        stack = LocalStack.start(directory.resolve("lake"), 0, 2, listener.brokerProperties());
        secured = stack.kafka().bootstrapServers(ScramTlsListener.NAME);
        KafkaAuth auth = new KafkaAuth(KafkaAuth.Mechanism.SCRAM_SHA_512, USER, PASSWORD, "the test", null, null, null, listener.certificate().toString());
        ScramTlsListener.addUser(stack.admin(), USER, PASSWORD, secured, auth.clientProperties(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            log.close();
        }
    }

    @AfterEach
    void nothingLoggedHoldsAPassword() {
        List<String> events = log.events();
        assertThat(events).as("events logged").hasSizeGreaterThan(100);
        // Kafka's clients print their configuration at INFO: the capture saw it, with the JAAS configuration hidden.
        assertThat(events).anySatisfy(event -> assertThat(event).contains("sasl.jaas.config = [hidden]").contains("sasl.mechanism = SCRAM-SHA-512"));
        for (String event : events) {
            assertThat(event).doesNotContain(PASSWORD_CORE).doesNotContain(WRONG_CORE);
        }
    }

    private static Map<String, String> scram() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.auth", "scram-sha-512");
        values.put("kafka.auth.username", USER);
        values.put("kafka.truststore.location", listener.certificate().toString());
        return values;
    }

    private static PipelineConfig pipeline(String password) {
        Map<String, String> values = new LinkedHashMap<>(stack.lake().configuration());
        values.put("kafka.bootstrap-servers", secured);
        values.put("job.parallelism", "2");
        values.put("source.bounded", "true");
        values.put("anomaly.enabled", "false");
        // A loaded machine may start the CDC source late: readings wait for their device and vehicle rows.
        values.put("enrichment.max-wait", "60s");
        values.putAll(scram());
        return PipelineConfig.from(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", password));
    }

    @Test
    void theTelemetryJobReadsAndWritesThroughScramOverTls() throws Exception {
        PipelineConfig config = pipeline(PASSWORD);
        assertThat(config.describe()).contains("kafka.bootstrap-servers = " + secured)
                .contains("kafka.auth = scram-sha-512: SCRAM-SHA-512 as user 'fleet-user' (password from environment variable TRIBUTARY_KAFKA_PASSWORD)")
                .doesNotContain(PASSWORD_CORE);

        // The devices and the CDC topics are fed on the plaintext listener; the job knows only the secured one.
        PipelineRuns runs = new PipelineRuns(stack, config);
        SimulationReport report = runs.produce(SimulatorConfig.defaults(5, 400).withBadInput(0, 0));
        runs.runBounded(Duration.ofMinutes(3));

        List<ConsumerRecord<byte[], byte[]>> enriched = Topics.readAll(secured, config.kafkaClientProperties(), config.enrichedTopic(), IsolationLevel.READ_COMMITTED);
        assertThat(enriched).hasSize((int) report.valid()).hasSize(400);
        long withVehicle = 0;
        for (ConsumerRecord<byte[], byte[]> record : enriched) {
            withVehicle += JSON.readTree(record.value()).at("/vehicle/vin").asText().startsWith("KMH") ? 1 : 0;
        }
        assertThat(withVehicle).as("readings enriched from the CDC topics").isPositive();
    }

    @Test
    void theCaptureServiceAndDebeziumsKafkaStoresWriteThroughScramOverTls() throws Exception {
        try (LocalMariaDb mariadb = LocalMariaDb.start(directory.resolve("mariadb"), 0, "ROW")) {
            mariadb.execute("CREATE TABLE vehicles (id VARCHAR(32) PRIMARY KEY, model VARCHAR(64))");
            mariadb.execute("INSERT INTO vehicles VALUES ('v1', 'Ioniq 5'), ('v2', 'Model 3')");
            Map<String, String> settings = scram();
            settings.put("capture.offset-store", "kafka");
            settings.put("capture.heartbeat-interval", "500ms");
            Map<String, String> environment = Map.of("TRIBUTARY_KAFKA_PASSWORD", PASSWORD);
            CaptureConfig config = mariadb.captureConfig("secured", secured, directory.resolve("capture"), List.of("vehicles"), settings, environment);
            assertThat(config.describe()).contains("SCRAM-SHA-512 as user 'fleet-user'").doesNotContain(PASSWORD_CORE);
            String topic = "fleet.cdc." + mariadb.tableNamespace() + ".vehicles";

            try (CaptureService capture = new CaptureService(config, Clock.systemUTC())) {
                capture.start();
                assertThat(capture.awaitStreaming(Duration.ofSeconds(60)).phase()).isEqualTo(CaptureStatus.Phase.STREAMING);
                mariadb.execute("UPDATE vehicles SET model = 'Ioniq 6' WHERE id = 'v1'");
                awaitRecords(config, topic, 3);
            }
            // Stopped and started again, the engine reads its offsets and schema history back from Kafka: no second snapshot.
            mariadb.execute("INSERT INTO vehicles VALUES ('v3', 'Zoe')");
            try (CaptureService capture = new CaptureService(config, Clock.systemUTC())) {
                capture.start();
                awaitRecords(config, topic, 4);
            }
            List<String> operations = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(secured, config.kafkaClientProperties(), topic, IsolationLevel.READ_UNCOMMITTED)) {
                operations.add(JSON.readTree(record.value()).path("payload").path("op").asText());
            }
            assertThat(operations).containsExactly("r", "r", "u", "c");
            assertThat(Topics.readAll(secured, config.kafkaClientProperties(), config.offsetsTopic(), IsolationLevel.READ_UNCOMMITTED)).isNotEmpty();
            assertThat(Topics.readAll(secured, config.kafkaClientProperties(), config.schemaHistoryTopic(), IsolationLevel.READ_UNCOMMITTED)).isNotEmpty();
        }
    }

    @Test
    void aWrongPasswordStopsTheJobAndTheCaptureAtStartWithAClearMessage() throws Exception {
        PipelineConfig config = pipeline(WRONG_CORE + "-x");
        assertThat(config.describe()).doesNotContain(WRONG_CORE);
        Throwable job = catchThrown(() -> new TelemetryJob(config).build(stack.flink().newEnvironment()));
        assertThat(job).isInstanceOf(KafkaAuthenticationException.class);
        assertClearAndSecret(job);

        Map<String, String> values = new LinkedHashMap<>(scram());
        values.put("capture.database.type", "mariadb");
        values.put("capture.database.user", "capture");
        values.put("capture.database.name", "fleet");
        values.put("capture.tables", "fleet.vehicles");
        values.put("capture.state-dir", directory.resolve("wrong").toString());
        values.put("kafka.bootstrap-servers", secured);
        CaptureConfig capture = CaptureConfig.from(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", WRONG_CORE + "-y"));
        Throwable sink = catchThrown(() -> new KafkaChangeSink(capture).close());
        assertThat(sink).isInstanceOf(KafkaAuthenticationException.class);
        assertClearAndSecret(sink);
    }

    @Test
    void alertsTailFollowsTheAlertTopicWithThePipelinesAuthentication() throws Exception {
        stack.kafka().createTopics(List.of(LocalKafka.TopicSpec.of("auth.alerts", 1)));
        try (KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers())) {
            producer.send(new AlertCloudEvents("auth").toKafkaRecord("auth.alerts",
                    AlertDeliveryTest.alert("a-9", "battery_low", "opened", "warning", "veh-00009"))).get();
        }
        Map<String, String> values = new LinkedHashMap<>(stack.lake().configuration());
        values.put("kafka.bootstrap-servers", secured);
        values.putAll(scram());
        Path file = directory.resolve("tail.properties");
        Properties properties = new Properties();
        properties.putAll(values);
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "the pipeline, as its jobs read it");
        }

        CommandRunner.Result tail = CommandRunner.runWith(Map.of("TRIBUTARY_KAFKA_PASSWORD", PASSWORD), "alerts", "tail", "--config", file.toString(),
                "--set", "topic.alerts=auth.alerts", "--from-beginning", "--duration", "PT5S");
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        assertThat(tail.out()).contains("Following auth.alerts and its routed topics on " + secured
                + " (kafka.auth = scram-sha-512: SCRAM-SHA-512 as user 'fleet-user'");
        assertThat(tail.out().lines().filter(line -> line.contains("vehicle veh-00009"))).singleElement()
                .satisfies(line -> assertThat(line).contains("battery_low").contains("opened"));

        CommandRunner.Result refused = CommandRunner.runWith(Map.of("TRIBUTARY_KAFKA_PASSWORD", WRONG_CORE + "-z"), "alerts", "tail", "--config", file.toString(),
                "--set", "topic.alerts=auth.alerts", "--from-beginning", "--duration", "PT5S");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: Kafka authentication failed: SCRAM-SHA-512 as user 'fleet-user'").doesNotContain(WRONG_CORE);
        assertThat(refused.out()).doesNotContain("veh-00009");
    }

    private static void assertClearAndSecret(Throwable failure) {
        assertThat(failure.getMessage())
                .startsWith("Kafka authentication failed: SCRAM-SHA-512 as user 'fleet-user' (password from environment variable TRIBUTARY_KAFKA_PASSWORD) at "
                        + secured + " was refused: ")
                .contains("invalid credentials");
        assertThat(CapturedLog.stackTrace(failure)).doesNotContain(WRONG_CORE).doesNotContain(PASSWORD_CORE);
    }

    private static Throwable catchThrown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).as("a failure").isNotNull();
        return thrown;
    }

    private static void awaitRecords(CaptureConfig config, String topic, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Topics.readAll(secured, config.kafkaClientProperties(), topic, IsolationLevel.READ_UNCOMMITTED).size() >= count) {
                    return;
                }
            } catch (RuntimeException notYetCreated) {
                // the topic appears with the first change
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " records on " + topic);
    }
}
