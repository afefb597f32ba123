package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.PipelineConfig;
import dev.tributary.local.AlertTail;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four devices write to a topic of eight partitions, so at least half the partitions stay
 * empty. In an unbounded run, event time must still advance (idle partitions stop holding the
 * watermark back) and the injected headlights occurrence must raise its alert.
 */
class IdlePartitionsTest {
    @TempDir
    Path lakeDirectory;

    @Test
    void quietPartitionsDoNotStallEventTime() throws Exception {
        try (LocalStack stack = LocalStack.start(lakeDirectory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("watermark.idleness", "1s", "checkpoint.interval", "2s"));
            PipelineRuns runs = new PipelineRuns(stack, config, 8);
            SimulationReport report = runs.produce(SimulatorConfig.defaults(4, 800).withBadInput(0, 0).withoutNullKeys());
            Set<Integer> partitions = new HashSet<>();
            Topics.readAll(stack.kafka().bootstrapServers(), config.telemetryTopic(), IsolationLevel.READ_UNCOMMITTED,
                    record -> partitions.add(record.partition()));
            assertThat(partitions).hasSizeLessThanOrEqualTo(4);
            assertThat(report.scenarios(Scenario.HEADLIGHTS_LEFT_ON)).isEqualTo(1);

            try (AlertTail alerts = new AlertTail(stack.kafka().bootstrapServers(), config.alertsTopic())) {
                JobID job = runs.submit();
                RestartExactlyOnceTest.await(() -> alerts.received("opened").size() == 1, Duration.ofMinutes(2), "the headlights alert");
                stack.flink().cancel(job);
                assertThat(alerts.received("opened").get(0).alert().getVehicleId()).isEqualTo("veh-00003");
            }
        }
    }
}
