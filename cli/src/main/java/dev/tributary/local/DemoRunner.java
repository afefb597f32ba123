package dev.tributary.local;

import static java.util.Objects.requireNonNull;

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
 * The demo: on the local stack, publishes the fleet's operational tables as CDC events, runs
 * the simulator and the telemetry job side by side until every valid reading is committed to
 * the lake, shows progress while it runs, and then counts what really landed.
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
        settings.putAll(overrides);
        PipelineConfig config = stack.pipelineConfig(settings);
        String prefix = "fleet";
        stack.createTopics(config, 4);
        List<LocalKafka.TopicSpec> cdcTopics = new ArrayList<>();
        for (String table : Fleet.tables()) {
            cdcTopics.add(LocalKafka.TopicSpec.of(Fleet.topic(prefix, table), 1));
        }
        stack.kafka().createTopics(cdcTopics);

        FleetSimulator simulator = new FleetSimulator(simulatorConfig);
        Instant now = Instant.now();
        Instant start = simulator.startTime(now);
        try (KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers());
                AlertTail alerts = new AlertTail(stack.kafka().bootstrapServers(), config.alertsTopic());
                LakeInspector lake = new LakeInspector(config.lake())) {
            int changes = new Fleet(simulatorConfig.vehicles(), simulatorConfig.seed())
                    .publishSnapshot(producer, prefix, start.minus(Duration.ofHours(1)), start.plus(Duration.ofDays(1)));
            out.printf("Published %,d CDC snapshot events for %,d vehicles (%s)%n", changes, simulatorConfig.vehicles(), Fleet.topic(prefix, "*"));

            StreamExecutionEnvironment env = stack.flink().newEnvironment();
            TelemetryJob.configure(env, config);
            new TelemetryJob(config).build(env);
            // The lake may hold earlier runs: this run counts what it adds.
            TableIdentifier table = TelemetryTable.identifier(config.lake());
            Long startSnapshot = lake.currentSnapshotId(table);
            long rowsBefore = lake.committedRecords(table);
            if (rowsBefore > 0) {
                out.printf("The lake already holds %,d telemetry rows from earlier runs; this run adds to them.%n", rowsBefore);
            }
            JobID job = stack.flink().submit(env, TelemetryJob.NAME);
            stack.flink().awaitRunning(job, Duration.ofMinutes(2));
            out.printf("Telemetry job %s running; Flink web UI: %s%n", job, stack.flink().webUi());

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
                progress.print(simulator.sent(), lakeRows, deadLetters, alerts.raisedByType().values().stream().mapToLong(Long::longValue).sum(), status);
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
            long expectedAlerts = report.scenarios(Scenario.HEADLIGHTS_LEFT_ON);
            long alertDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (alerts.received("raised").size() < expectedAlerts && System.nanoTime() < alertDeadline) {
                Thread.sleep(200);
            }
            Thread.sleep(1000);
            stack.flink().cancel(job);

            LakeInspector.Counts counts = lake.count(table, "event_id", startSnapshot);
            long enriched = Topics.countCommitted(stack.kafka().bootstrapServers(), config.enrichedTopic());
            long deadLetters = Topics.countCommitted(stack.kafka().bootstrapServers(), config.deadLetterTopic());
            double seconds = (System.nanoTime() - started) / 1e9;
            return new DemoSummary(report.produced(), report.valid(), deadLetters, counts.rows(), counts.distinct(), enriched,
                    alerts.raisedByType(), alerts.received("resolved").size(), report.scenariosByType(), report.invalidByKind(),
                    report.unknownDeviceReadings(), report.outOfOrder(), report.late(), round(seconds),
                    round(report.valid() / seconds), stack.lake().directory().toString(), stack.flink().webUi().toString());
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /**
     * One progress line per second: what was sent and how fast, what is committed to the lake,
     * how far the lake is behind what was sent (sent, less committed rows and dead letters),
     * alerts raised, dead letters.
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

        void print(long sent, long lakeRows, long deadLetters, long alerts, JobStatus status) {
            long now = System.nanoTime();
            double rate = (sent - lastSent) / Math.max(1e-9, (now - lastNanos) / 1e9);
            lastSent = sent;
            lastNanos = now;
            out.printf("[%6.1fs] sent %,d (%,.0f ev/s) | lake %,d rows committed, %,d behind | alerts raised %,d | dead letters %,d | job %s%n",
                    (now - started) / 1e9, sent, rate, lakeRows, Math.max(0, sent - lakeRows - deadLetters), alerts, deadLetters, status);
        }
    }

    public static Path defaultLakeDirectory() {
        return Path.of("tributary-lake");
    }
}
