package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.PipelineConfig;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the job mid-stream (cancelled right after a checkpoint committed rows, while the
 * simulator is still sending) and resumes it from its last retained checkpoint. Afterwards
 * every reading is in Iceberg exactly once and in the enriched topic exactly once (read_committed).
 */
class RestartExactlyOnceTest {
    @TempDir
    Path lakeDirectory;

    @Test
    void aJobResumedFromItsCheckpointLandsEveryReadingExactlyOnce() throws Exception {
        try (LocalStack stack = LocalStack.start(lakeDirectory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("checkpoint.interval", "1s", "enrichment.max-wait", "30s"));
            PipelineRuns runs = new PipelineRuns(stack, config);
            SimulatorConfig simulator = SimulatorConfig.defaults(50, 30_000).withRate(2_500).withCollectedIds().withBadInput(6, 4);
            CompletableFuture<SimulationReport> sending = CompletableFuture.supplyAsync(() -> {
                try {
                    return runs.produce(simulator);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TableIdentifier table = TelemetryTable.identifier(config.lake());
            try (LakeInspector lake = new LakeInspector(config.lake())) {
                JobID first = runs.submit();
                await(() -> lake.committedRecords(table) > 0, Duration.ofMinutes(2), "a first commit to the lake");
                stack.flink().cancel(first);
                long committedBeforeRestart = lake.committedRecords(table);
                Optional<Path> checkpoint = stack.flink().latestCheckpoint(first);
                assertThat(checkpoint).as("a retained checkpoint").isPresent();

                JobID second = runs.submit(checkpoint.get());
                SimulationReport report = sending.get();
                assertThat(committedBeforeRestart).as("the job stopped mid-stream").isLessThan(report.valid());
                await(() -> lake.committedRecords(table) >= report.valid(), Duration.ofMinutes(3), "every reading in the lake");
                await(() -> Topics.countCommitted(stack.kafka().bootstrapServers(), config.enrichedTopic()) >= report.valid(),
                        Duration.ofSeconds(30), "every reading in the enriched topic");
                // Anything duplicated would be committed by the next checkpoints.
                stack.flink().awaitMoreCheckpoints(second, 2, Duration.ofMinutes(1));
                stack.flink().cancel(second);

                LakeInspector.Counts counts = lake.count(table, "event_id");
                assertThat(counts.rows()).isEqualTo(report.valid());
                assertThat(counts.values()).isEqualTo(new HashSet<Object>(report.validEventIds()));

                Map<String, Integer> enriched = new HashMap<>();
                Topics.readAll(stack.kafka().bootstrapServers(), config.enrichedTopic(), IsolationLevel.READ_COMMITTED, record -> {
                    try {
                        enriched.merge(JsonAvroReader.mapper().readTree(record.value()).get("event_id").asText(), 1, Integer::sum);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(enriched.keySet()).isEqualTo(report.validEventIds());
                assertThat(enriched.values()).allMatch(count -> count == 1);
                assertThat(Topics.countCommitted(stack.kafka().bootstrapServers(), config.deadLetterTopic())).isEqualTo(report.invalid());
            }
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
