package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalStack;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trap DESIGN.md names: with Flink 1.20.3, Iceberg's sink-v2 sinks lose the rows written
 * after the last regular checkpoint when a bounded job ends. Neither of our lake writers may: the
 * Dynamic Iceberg Sink with {@code EndOfInputCommittables}, and Iceberg's FlinkSink.
 * The checkpoint interval here is longer than the whole run takes to process, so every row
 * is written after the last regular checkpoint and reaches the table only through the
 * end-of-input commit.
 */
class BoundedTailTest {
    @TempDir
    Path lakeDirectory;

    @ParameterizedTest(name = "lake.writer={0}")
    @ValueSource(strings = {"dynamic-sink", "flink-sink"})
    void aBoundedRunLandsTheRowsWrittenAfterTheLastCheckpoint(String writer) throws Exception {
        try (LocalStack stack = LocalStack.start(lakeDirectory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("source.bounded", "true", "checkpoint.interval", "20s", "lake.writer", writer,
                    "drift.on-field-added", writer.equals("flink-sink") ? "quarantine" : "evolve"));
            PipelineRuns runs = new PipelineRuns(stack, config);
            SimulationReport report = runs.produce(SimulatorConfig.defaults(20, 4_000).withCollectedIds().withBadInput(0, 0));
            runs.runBounded(Duration.ofMinutes(3));
            try (LakeInspector lake = new LakeInspector(config.lake())) {
                LakeInspector.Counts counts = lake.count(TelemetryTable.identifier(config.lake()), "event_id");
                assertThat(counts.rows()).isEqualTo(report.valid()).isEqualTo(4_000);
                assertThat(counts.values()).isEqualTo(new HashSet<Object>(report.validEventIds()));
                Table table = lake.load(TelemetryTable.identifier(config.lake()));
                Snapshot last = table.currentSnapshot();
                // Iceberg's committer marks the commit it makes at end of input with checkpoint id Long.MAX_VALUE.
                assertThat(last.summary()).containsEntry("flink.max-committed-checkpoint-id", Long.toString(Long.MAX_VALUE))
                        .containsEntry("total-records", "4000");
                long addedAtEndOfInput = Long.parseLong(last.summary().getOrDefault("added-records", "0"));
                assertThat(addedAtEndOfInput).as("rows that reached the table only through the end-of-input commit").isPositive();
            }
        }
    }
}
