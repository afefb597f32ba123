package dev.tributary.e2e;

import dev.tributary.config.PipelineConfig;
import dev.tributary.local.AlertTail;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Producers;
import dev.tributary.simulator.Fleet;
import dev.tributary.simulator.FleetSimulator;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.TelemetryJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Steps the end-to-end tests share: create topics, publish the fleet and its telemetry, run the job. */
final class PipelineRuns {
    private final LocalStack stack;
    private final PipelineConfig config;

    PipelineRuns(LocalStack stack, PipelineConfig config) throws Exception {
        this(stack, config, 4);
    }

    PipelineRuns(LocalStack stack, PipelineConfig config, int telemetryPartitions) throws Exception {
        this.stack = stack;
        this.config = config;
        stack.createTopics(config, telemetryPartitions);
        List<LocalKafka.TopicSpec> cdc = new ArrayList<>();
        for (String table : Fleet.tables()) {
            cdc.add(LocalKafka.TopicSpec.of(Fleet.topic("fleet", table), 1));
        }
        stack.kafka().createTopics(cdc);
    }

    /** Publishes the fleet's tables as CDC events, then all its telemetry; returns what was sent. */
    SimulationReport produce(SimulatorConfig simulatorConfig) throws Exception {
        return produce(simulatorConfig, Instant.now());
    }

    /** {@link #produce(SimulatorConfig)} with the simulated telemetry ending at {@code now} (a week ago, say). */
    SimulationReport produce(SimulatorConfig simulatorConfig, Instant now) throws Exception {
        FleetSimulator simulator = new FleetSimulator(simulatorConfig);
        try (KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers())) {
            Instant start = simulator.startTime(now);
            new Fleet(simulatorConfig.vehicles(), simulatorConfig.seed()).publishSnapshot(producer, "fleet", start.minus(Duration.ofHours(1)), start.plus(Duration.ofDays(1)));
            return simulator.run(producer, config.telemetryTopic(), now);
        }
    }

    JobID submit() throws Exception {
        return submit(null);
    }

    JobID submit(java.nio.file.Path restoreFrom) throws Exception {
        StreamExecutionEnvironment env = stack.flink().newEnvironment();
        TelemetryJob.configure(env, config);
        new TelemetryJob(config).build(env);
        return stack.flink().submit(env, TelemetryJob.NAME, restoreFrom);
    }

    /** Runs the job over what the topics hold now, to its end (config must have source.bounded=true). */
    void runBounded(Duration timeout) throws Exception {
        JobID job = submit();
        stack.flink().awaitResult(job, timeout);
    }

    /** Asserts that the lake's telemetry table holds each valid reading the simulator sent exactly once (ids compared). */
    static void assertEveryValidReadingInTheLakeOnce(dev.tributary.config.LakeConfig lake, SimulationReport report) throws java.io.IOException {
        try (dev.tributary.local.LakeInspector inspector = new dev.tributary.local.LakeInspector(lake)) {
            dev.tributary.local.LakeInspector.Counts counts = inspector.count(dev.tributary.lake.TelemetryTable.identifier(lake), "event_id");
            org.assertj.core.api.Assertions.assertThat(counts.rows()).isEqualTo(report.valid());
            org.assertj.core.api.Assertions.assertThat(counts.distinct()).isEqualTo(report.valid());
            org.assertj.core.api.Assertions.assertThat(counts.values()).isEqualTo(new java.util.HashSet<Object>(report.validEventIds()));
        }
    }

    /**
     * After a run has ended: waits until {@code alerts} has read {@code distinctAlerts} opened and
     * resolved alerts and everything else the alert topic holds, so that an alert beyond the
     * expected count is in {@code alerts} too (the job wrote its last alert before it ended).
     */
    void awaitAlerts(AlertTail alerts, long distinctAlerts, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alerts.received("opened").size() + alerts.received("resolved").size() < distinctAlerts && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        alerts.awaitEverythingRead(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(10).toNanos())));
    }
}
