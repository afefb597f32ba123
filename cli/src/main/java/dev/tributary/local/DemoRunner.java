package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.AlertTable;
import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.CaptureService;
import dev.tributary.capture.CaptureStatus;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.simulator.Fleet;
import dev.tributary.simulator.FleetSimulator;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.TelemetryJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The demo: on the local stack, writes the fleet's operational tables into a real PostgreSQL,
 * captures them with Debezium into Kafka, mirrors them into the lake, and runs the simulator
 * and the telemetry job (enriching from the captured tables) side by side until every valid
 * reading is committed to the lake; shows progress while it runs, then counts what landed.
 */
public final class DemoRunner {
    private final LocalStack stack;
    private final PrintStream out;

    public DemoRunner(LocalStack stack, PrintStream out) {
        this.stack = requireNonNull(stack, "stack is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Pipeline settings for a demo run: fast checkpoints, the simulator's rule duration. */
    public static Map<String, String> demoSettings(SimulatorConfig simulator) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("checkpoint.interval", "2s");
        settings.put("rules.headlights.min-duration", simulator.headlightsMinDuration().toMillis() + "ms");
        settings.put("enrichment.max-wait", "5s");
        settings.put("watermark.idleness", "5s");
        return settings;
    }

    public DemoSummary run(SimulatorConfig simulatorConfig, Map<String, String> overrides, Duration timeout) throws Exception {
        long started = System.nanoTime();
        Map<String, String> settings = demoSettings(simulatorConfig);
        // One slot stays for the lake-mirror job.
        settings.put("job.parallelism", Integer.toString(Math.max(1, stack.flink().slots() - 1)));
        settings.putAll(overrides);
        PipelineConfig config = stack.pipelineConfig(settings);
        stack.createTopics(config, 4);
        PipelineConfig mirrorConfig = stack.pipelineConfig(mirrorSettings(settings));
        stack.createMirrorTopics(mirrorConfig);

        FleetSimulator simulator = new FleetSimulator(simulatorConfig);
        Instant now = Instant.now();
        Instant start = simulator.startTime(now);
        try (LocalPostgres postgres = LocalPostgres.start(0, stack.lake().directory().resolve("postgres"), "logical");
                KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers());
                AlertTail alerts = new AlertTail(stack.kafka().bootstrapServers(), config.alertsTopic());
                LakeInspector lake = new LakeInspector(config.lake())) {
            int rows;
            try (Connection connection = postgres.connect()) {
                rows = new Fleet(simulatorConfig.vehicles(), simulatorConfig.seed())
                        .writeTo(connection, start.minus(Duration.ofHours(1)), start.plus(Duration.ofDays(1)));
            }
            out.printf("Operational database: PostgreSQL at %s, %,d rows in %s%n", postgres.jdbcUrl(), rows, Fleet.tables());
            CaptureConfig captureConfig = postgres.captureConfig("demo", stack.kafka().bootstrapServers(), stack.lake().directory().resolve("capture"),
                    Fleet.tables(), Map.of("capture.heartbeat-interval", "5s"));
            try (CaptureService capture = new CaptureService(captureConfig, Clock.systemUTC())) {
                capture.start();
                CaptureStatus captured = capture.awaitStreaming(Duration.ofMinutes(2));
                if (!captured.healthy() || captured.phase() != CaptureStatus.Phase.STREAMING) {
                    throw new IllegalStateException("capture did not start streaming: " + captured);
                }
                out.printf("Capture (Debezium %s) streaming %s to %s.<schema>.<table>%n",
                        captureConfig.kind().configName(), captureConfig.tables(), captureConfig.debeziumTopicPrefix());
                JobID mirror = stack.submitMirror(mirrorConfig, null);
                out.printf("Lake-mirror job %s mirroring the tables into %s.<table>%n", mirror, mirrorConfig.mirror().namespace());
                DemoSummary summary = runTelemetry(config, simulator, simulatorConfig, now, producer, alerts, lake, capture, started, timeout);
                Map<String, Object> cdc = mirrorSummary(postgres, mirrorConfig, capture.status(), Duration.ofMinutes(1));
                stack.flink().cancel(mirror);
                return summary.withCdc(cdc);
            }
        }
    }

    /** The lake mirror's settings for the demo: the fleet's tables, one subtask. */
    static Map<String, String> mirrorSettings(Map<String, String> settings) {
        Map<String, String> mirror = new LinkedHashMap<>(settings);
        mirror.put("job.parallelism", "1");
        mirror.put("mirror.tables", String.join(",", Fleet.tables().stream().map(table -> Fleet.DATABASE + "." + table).toList()));
        return mirror;
    }

    /** Waits until every mirrored table holds as many rows as its source, and says so. */
    private Map<String, Object> mirrorSummary(LocalPostgres postgres, PipelineConfig mirrorConfig, CaptureStatus capture, Duration timeout) throws Exception {
        Map<String, Object> tables = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String table : Fleet.tables()) {
            long sourceRows;
            try (Connection connection = postgres.connect(); var statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT count(*) FROM " + table)) {
                result.next();
                sourceRows = result.getLong(1);
            }
            TableIdentifier identifier = TableIdentifier.of(mirrorConfig.mirror().namespace(), table);
            long lakeRows = -1;
            try (LakeInspector lake = new LakeInspector(mirrorConfig.lake())) {
                while (System.nanoTime() < deadline) {
                    lakeRows = lake.liveRows(identifier);
                    if (lakeRows == sourceRows) {
                        break;
                    }
                    Thread.sleep(500);
                }
            }
            tables.put(table, Map.of("source_rows", sourceRows, "lake_rows", lakeRows));
        }
        Map<String, Object> cdc = new LinkedHashMap<>();
        cdc.put("changes_captured", capture.changesWritten());
        cdc.put("capture_lag_ms", capture.lagMillis());
        cdc.put("mirrored_tables", tables);
        return cdc;
    }

    private DemoSummary runTelemetry(PipelineConfig config, FleetSimulator simulator, SimulatorConfig simulatorConfig, Instant now,
                                     KafkaProducer<byte[], byte[]> producer, AlertTail alerts, LakeInspector lake, CaptureService capture,
                                     long started, Duration timeout) throws Exception {
        StreamExecutionEnvironment env = stack.flink().newEnvironment();
        TelemetryJob.configure(env, config);
        new TelemetryJob(config).build(env);
        // The lake may hold earlier runs: this run counts what it adds.
        TableIdentifier table = TelemetryTable.identifier(config.lake());
        // Readings are stamped with when they were parsed: this run's rows are those ingested from now on.
        long runStartMillis = System.currentTimeMillis();
        long rowsBefore = lake.committedRecords(table);
        TableIdentifier alertTable = AlertTable.identifier(config.lake(), config.notifications());
        long alertRowsBefore = lake.committedRecords(alertTable);
        if (rowsBefore > 0) {
            out.printf("The lake already holds %,d telemetry rows from earlier runs; this run adds to them.%n", rowsBefore);
        }
        JobID job = stack.flink().submit(env, TelemetryJob.NAME);
        stack.flink().awaitRunning(job, Duration.ofMinutes(2));
        out.printf("Telemetry job %s running; Flink web UI: %s%n", job, stack.flink().webUi());
        out.printf("Alerts as they arrive: ./tributary alerts tail --bootstrap-servers %s --topic %s --from-beginning%n",
                stack.kafka().bootstrapServers(), config.alertsTopic());

        CompletableFuture<SimulationReport> simulation = CompletableFuture.supplyAsync(() -> simulator.run(producer, config.telemetryTopic(), now));
        Progress progress = new Progress(out, started);
        long deadline = System.nanoTime() + timeout.toNanos();
        SimulationReport report = null;
        long lakeRows = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            if (report == null && simulation.isDone()) {
                report = simulation.join();
            }
            lakeRows = lake.committedRecords(table) - rowsBefore;
            JobStatus status = stack.flink().status(job);
            long deadLetters = Topics.countCommitted(stack.kafka().bootstrapServers(), config.deadLetterTopic());
            progress.print(simulator.sent(), lakeRows, deadLetters, alerts.openedByType().values().stream().mapToLong(Long::longValue).sum(), status, capture.status());
            if (status.isGloballyTerminalState()) {
                stack.flink().awaitResult(job, Duration.ofSeconds(10));
                throw new IllegalStateException("the telemetry job ended as " + status);
            }
            if (report != null && lakeRows >= report.valid()) {
                break;
            }
        }
        if (report == null || lakeRows < report.valid()) {
            throw new IllegalStateException("timed out after " + timeout + ": " + lakeRows + " rows in the lake"
                    + (report == null ? ", simulator still sending" : " of " + report.valid()));
        }
        long expectedAlerts = report.scenarios().size();
        long alertDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (alerts.received("opened").size() < expectedAlerts && System.nanoTime() < alertDeadline) {
            Thread.sleep(200);
        }
        // The alerts table commits at the checkpoint after an alert reaches the topic: stop the job only once it holds them.
        while (lake.committedRecords(alertTable) - alertRowsBefore < alerts.distinct() && System.nanoTime() < alertDeadline + Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(200);
        }
        Thread.sleep(1000);
        stack.flink().cancel(job);

        LakeInspector.Counts counts = lake.count(table, "event_id", org.apache.iceberg.expressions.Expressions.greaterThanOrEqual("ingested_at", runStartMillis * 1000));
        long enriched = Topics.countCommitted(stack.kafka().bootstrapServers(), config.enrichedTopic());
        long deadLetters = Topics.countCommitted(stack.kafka().bootstrapServers(), config.deadLetterTopic());
        List<String> schemaChanges = schemaChanges(config);
        schemaChanges.forEach(change -> out.printf("Schema change reported: %s%n", change));
        double seconds = (System.nanoTime() - started) / 1e9;
        return new DemoSummary(report.produced(), report.valid(), deadLetters, counts.rows(), counts.distinct(), enriched,
                alerts.openedByType(), alerts.received("resolved").size(), report.scenariosByType(), report.invalidByKind(),
                report.unknownDeviceReadings(), report.outOfOrder(), report.late(), round(seconds),
                round(report.valid() / seconds), stack.lake().directory().toString(), stack.flink().webUi().toString(), schemaChanges, Map.of());
    }

    /** The schema changes this run reported ({@code kind path -> action}), from the schema-change topic (the broker is this run's). */
    private List<String> schemaChanges(PipelineConfig config) throws java.io.IOException {
        List<String> changes = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (var record : Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(),
                org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)) {
            if (record.value() != null) {
                var data = json.readTree(record.value());
                changes.add(data.path("kind").asText() + " " + data.path("path").asText() + " -> " + data.path("action").asText());
            }
        }
        return changes;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /**
     * One progress line per second: what was sent and how fast, what is committed to the lake,
     * how far the lake is behind what was sent (sent, less committed rows and dead letters),
     * alerts opened, dead letters.
     */
    private static final class Progress {
        private final PrintStream out;
        private final long started;
        private long lastSent;
        private long lastNanos;

        Progress(PrintStream out, long started) {
            this.out = out;
            this.started = started;
            this.lastNanos = started;
        }

        void print(long sent, long lakeRows, long deadLetters, long alerts, JobStatus status, CaptureStatus capture) {
            long now = System.nanoTime();
            double rate = (sent - lastSent) / Math.max(1e-9, (now - lastNanos) / 1e9);
            lastSent = sent;
            lastNanos = now;
            out.printf("[%6.1fs] sent %,d (%,.0f ev/s) | lake %,d rows committed, %,d behind | alerts opened %,d | dead letters %,d | job %s | cdc %,d changes, %s%n",
                    (now - started) / 1e9, sent, rate, lakeRows, Math.max(0, sent - lakeRows - deadLetters), alerts, deadLetters, status,
                    capture.changesWritten(), capture.phase().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public static Path defaultLakeDirectory() {
        return Path.of("tributary-lake");
    }
}
