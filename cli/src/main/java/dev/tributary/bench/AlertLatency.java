package dev.tributary.bench;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.PipelineConfig;
import dev.tributary.local.AlertTail;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Producers;
import dev.tributary.simulator.Fleet;
import dev.tributary.simulator.FleetSimulator;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.TelemetryJob;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Alert latency inside the whole telemetry job (rules and statistical detection, lake,
 * enriched topic): the simulator in real time (event time = wall clock), well below
 * saturation; each alert's latency runs from the moment its condition became decidable to
 * the moment a consumer of the alert topic received it.
 */
public final class AlertLatency {
    private final PrintStream out;

    public AlertLatency(PrintStream out) {
        this.out = requireNonNull(out, "out is null");
    }

    /** Runs the whole telemetry job on {@code stack} and adds the latency figures to {@code figures}. */
    public void measure(LocalStack stack, Map<String, Object> figures) throws Exception {
        int latencyVehicles = 200;
        Duration interval = Duration.ofSeconds(1);
        Duration ruleDuration = Duration.ofSeconds(3);
        long latencyEvents = latencyVehicles * 40L;
        PipelineConfig config = stack.pipelineConfig(Map.of(
                "topic.prefix", "latency",
                "checkpoint.interval", "5s",
                "rules.headlights.min-duration", ruleDuration.toMillis() + "ms"));
        stack.createTopics(config, 4);
        List<LocalKafka.TopicSpec> cdc = new ArrayList<>();
        for (String table : Fleet.tables()) {
            cdc.add(LocalKafka.TopicSpec.of(Fleet.topic("latency", table), 1));
        }
        stack.kafka().createTopics(cdc);
        SimulatorConfig simulator = SimulatorConfig.defaults(latencyVehicles, latencyEvents).withBadInput(0, 0)
                .withDisorder(0, 0).withHeadlightsMinDuration(ruleDuration).withRealTime(interval);
        out.printf("Alert latency: %d vehicles, one reading each per %ss in real time (%,d ev/s), rule duration %s ...%n",
                latencyVehicles, interval.toSeconds(), latencyVehicles / interval.toSeconds(), ruleDuration);
        StreamExecutionEnvironment env = stack.flink().newEnvironment();
        TelemetryJob.configure(env, config);
        new TelemetryJob(config).build(env);
        try (KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers());
                AlertTail alerts = new AlertTail(stack.kafka().bootstrapServers(), config.alertsTopic())) {
            Instant now = Instant.now();
            new Fleet(latencyVehicles, simulator.seed()).publishSnapshot(producer, "latency", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
            JobID job = stack.flink().submit(env, TelemetryJob.NAME + "-latency");
            stack.flink().awaitRunning(job, Duration.ofMinutes(1));
            Thread.sleep(3000);
            SimulationReport report = new FleetSimulator(simulator).run(producer, config.telemetryTopic(), Instant.now());
            long expected = report.scenarios(Scenario.HEADLIGHTS_LEFT_ON);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (headlights(alerts).size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            stack.flink().cancel(job);
            List<Long> latencies = new ArrayList<>();
            for (AlertTail.Received received : headlights(alerts)) {
                // Event time runs on the wall clock: the alert is decidable at condition start + duration.
                long decidable = received.alert().getConditionSince().toEpochMilli() + ruleDuration.toMillis();
                latencies.add(received.receivedAtMillis() - decidable);
            }
            latencies.sort(Long::compare);
            long bound = config.outOfOrderness().toMillis();
            figures.put("alerts_expected", expected);
            figures.put("alerts_measured", latencies.size());
            figures.put("watermark_out_of_orderness_ms", bound);
            if (!latencies.isEmpty()) {
                long p50 = percentile(latencies, 0.50);
                long p99 = percentile(latencies, 0.99);
                figures.put("alert_latency_ms_p50", p50);
                figures.put("alert_latency_ms_p99", p99);
                figures.put("alert_latency_beyond_watermark_bound_ms_p50", p50 - bound);
                figures.put("alert_latency_beyond_watermark_bound_ms_p99", p99 - bound);
                out.printf("alert_latency_ms       p50 %,d  p99 %,d  (%d alerts; includes the %d ms watermark bound: p50 %,d ms beyond it)%n",
                        p50, p99, latencies.size(), bound, p50 - bound);
            }
        }
    }

    private static List<AlertTail.Received> headlights(AlertTail alerts) {
        return alerts.received("opened").stream().filter(received -> received.alert().getAlertType().equals(Scenario.HEADLIGHTS_LEFT_ON)).toList();
    }

    static long percentile(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
