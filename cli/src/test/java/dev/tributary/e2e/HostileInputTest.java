package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Producers;
import dev.tributary.local.Topics;
import dev.tributary.schemas.alerts.Alert;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus ({@link HostileTelemetry}) sent between the simulator's readings, through the
 * whole telemetry job as the demo runs it (drift evolving the lake, rules, statistical detection,
 * every output on). Each hostile message must end in exactly one place: in the lake and the
 * enriched topic, or on the dead-letter topic with its exact bytes and a reason. The job must
 * never fail or restart, and the simulator's readings and alerts must be unaffected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class HostileInputTest {
    private static final int MAX_EVENT_BYTES = 64 * 1024;
    private static final int PARTITIONS = 2;

    @TempDir
    static Path lakeDirectory;

    private LocalStack stack;
    private PipelineConfig config;
    private SimulationReport report;
    /** Every hostile message by where it was written: "partition/offset". */
    private final Map<String, HostileTelemetry.Message> sent = new LinkedHashMap<>();
    private JobID job;

    @BeforeAll
    void run() throws Exception {
        stack = LocalStack.start(lakeDirectory, 0, 2);
        SimulatorConfig simulator = SimulatorConfig.defaults(10, 3_000).withCollectedIds().withBadInput(0, 0);
        config = stack.pipelineConfig(Map.of(
                "source.bounded", "true",
                "checkpoint.interval", "2s",
                "enrichment.max-wait", "5s",
                "telemetry.max-event-bytes", Integer.toString(MAX_EVENT_BYTES),
                "rules.headlights.min-duration", simulator.headlightsMinDuration().toString()));
        PipelineRuns runs = new PipelineRuns(stack, config, PARTITIONS);
        Instant now = Instant.now();
        report = runs.produce(simulator, now);
        List<HostileTelemetry.Message> corpus = HostileTelemetry.corpus(now, MAX_EVENT_BYTES);
        try (KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers())) {
            for (int i = 0; i < corpus.size(); i++) {
                HostileTelemetry.Message message = corpus.get(i);
                RecordMetadata written = producer.send(new ProducerRecord<>(config.telemetryTopic(), i % PARTITIONS, null, message.bytes())).get();
                sent.put(written.partition() + "/" + written.offset(), message);
            }
        }
        job = runs.submit();
        stack.flink().awaitResult(job, Duration.ofMinutes(10));
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theJobNeverFailedNorRestarted() throws Exception {
        assertThat(stack.flink().status(job)).isEqualTo(JobStatus.FINISHED);
        assertThat(stack.flink().failures(job)).isEmpty();
    }

    @Test
    void everyHostileMessageIsWrittenOrDeadLetteredExactlyOnce() throws Exception {
        Map<String, Integer> inLake = lakePositions();
        Map<String, Integer> inEnriched = new HashMap<>();
        Topics.readAll(stack.kafka().bootstrapServers(), config.enrichedTopic(), IsolationLevel.READ_COMMITTED, record -> {
            JsonNode json = json(record.value());
            inEnriched.merge(json.at("/source/partition").asInt() + "/" + json.at("/source/offset").asLong(), 1, Integer::sum);
        });
        Map<String, Integer> deadLettered = new HashMap<>();
        Map<String, String> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : Topics.readAll(stack.kafka().bootstrapServers(), config.deadLetterTopic(), IsolationLevel.READ_COMMITTED)) {
            String position = DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_PARTITION) + "/"
                    + DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_OFFSET);
            deadLettered.merge(position, 1, Integer::sum);
            HostileTelemetry.Message message = sent.get(position);
            assertThat(message).as("dead letter at %s is a message we sent", position).isNotNull();
            assertThat(letter.value()).as("bytes of the dead letter of '%s'", message.name()).isEqualTo(message.bytes());
            String reason = DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_REASON);
            assertThat(reason).as("reason of '%s'", message.name()).isNotBlank();
            reasons.put(message.name(), reason);
        }
        List<String> problems = new ArrayList<>();
        sent.forEach((position, message) -> {
            int lake = inLake.getOrDefault(position, 0);
            int enriched = inEnriched.getOrDefault(position, 0);
            int dead = deadLettered.getOrDefault(position, 0);
            boolean written = lake == 1 && enriched == 1 && dead == 0;
            boolean refused = lake == 0 && enriched == 0 && dead == 1;
            if (!written && !refused) {
                problems.add(message.name() + " at " + position + ": lake " + lake + ", enriched " + enriched + ", dead letters " + dead);
            }
        });
        assertThat(problems).as("messages not in exactly one place").isEmpty();
        long accepted = sent.keySet().stream().filter(inLake::containsKey).count();
        System.out.printf("hostile corpus: %d messages, %d written, %d dead-lettered%n", sent.size(), accepted, sent.size() - accepted);
        reasons.forEach((name, reason) -> System.out.println("  dead letter: " + name + " -> " + reason));
        assertThat(accepted).as("the corpus holds valid oddities too").isPositive();
        assertThat(sent.size() - accepted).isPositive();
    }

    @Test
    void theSimulatorsReadingsAndAlertsAreUnaffected() throws Exception {
        Map<String, Integer> inLake = lakePositions();
        long simulated = inLake.keySet().stream().filter(position -> !sent.containsKey(position)).count();
        assertThat(simulated).isEqualTo(report.valid());
        assertThat(inLake.values()).allMatch(count -> count == 1);
        Set<String> opened = new java.util.HashSet<>();
        AlertCloudEvents events = new AlertCloudEvents(config.pipelineName());
        for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), config.alertsTopic(), IsolationLevel.READ_UNCOMMITTED)) {
            Alert alert = events.alertOf(AlertCloudEvents.fromKafkaRecord(record));
            if ("opened".equals(alert.getStatus())) {
                opened.add(alert.getVehicleId() + " " + alert.getAlertType());
            }
        }
        for (Scenario scenario : report.scenarios()) {
            assertThat(opened).as("alerts opened").contains(scenario.vehicleId() + " " + scenario.alertType());
        }
    }

    /** How often each source position ("partition/offset") is in the lake's telemetry table. */
    private Map<String, Integer> lakePositions() throws Exception {
        Map<String, Integer> positions = new HashMap<>();
        try (LakeInspector inspector = new LakeInspector(config.lake())) {
            Table table = inspector.load(TelemetryTable.identifier(config.lake()));
            try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select("source").build()) {
                for (Record row : rows) {
                    Record source = (Record) row.getField("source");
                    positions.merge(source.getField("partition") + "/" + source.getField("offset"), 1, Integer::sum);
                }
            }
        }
        return positions;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JsonAvroReader.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
