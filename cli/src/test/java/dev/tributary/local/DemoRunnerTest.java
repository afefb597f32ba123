package dev.tributary.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.lake.TelemetryTable;
import dev.tributary.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo twice on one lake directory: the catalog survives the first run's stack, the second
 * run appends to the same table, and each summary counts what its own run added.
 */
class DemoRunnerTest {
    @TempDir
    Path lakeDirectory;

    @Test
    void twoRunsOnOneLakeEachCountTheirOwnRows() throws Exception {
        SimulatorConfig simulator = SimulatorConfig.defaults(20, 3_000).withRate(0).withHeadlightsMinDuration(Duration.ofMinutes(1)).withBadInput(6, 2);
        DemoSummary first = run(simulator);
        DemoSummary second = run(simulator);
        for (DemoSummary summary : new DemoSummary[] {first, second}) {
            assertThat(summary.eventsValid()).isEqualTo(3_000);
            assertThat(summary.telemetryRowsInLake()).isEqualTo(3_000);
            assertThat(summary.distinctEventIdsInLake()).isEqualTo(3_000);
            assertThat(summary.enrichedRecords()).isEqualTo(3_000);
            assertThat(summary.dlqRecords()).isEqualTo(6);
            // Each injected scenario opened exactly one alert of the type the bundled rules give it.
            Map<String, Long> expected = new java.util.TreeMap<>();
            summary.injectedScenariosByType().entrySet().stream().filter(entry -> entry.getValue() > 0).forEach(entry -> expected.merge(
                    new dev.tributary.simulator.Scenario(entry.getKey(), "", "", java.time.Instant.EPOCH, java.time.Instant.EPOCH).alertType(), entry.getValue(), Long::sum));
            assertThat(summary.alertsOpenedByType()).isEqualTo(expected);
            assertThat(summary.lakeDir()).isEqualTo(lakeDirectory.toAbsolutePath().toString());
            // The operational tables went through PostgreSQL, Debezium and the mirror job into the lake.
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Long>> mirrored = (Map<String, Map<String, Long>>) summary.cdc().get("mirrored_tables");
            assertThat(mirrored.get("vehicles")).isEqualTo(Map.of("source_rows", 20L, "lake_rows", 20L));
            assertThat(mirrored.get("devices")).isEqualTo(Map.of("source_rows", 20L, "lake_rows", 20L));
            assertThat(mirrored.get("reservations")).isEqualTo(Map.of("source_rows", 10L, "lake_rows", 10L));
            assertThat((Long) summary.cdc().get("changes_captured")).isGreaterThanOrEqualTo(50L);
        }
        LocalLake lake = new LocalLake(lakeDirectory);
        try (LakeInspector inspector = new LakeInspector(lake.lakeConfig("fleet"))) {
            // The simulator is deterministic: the second run sends the same event ids again.
            LakeInspector.Counts all = inspector.count(TelemetryTable.identifier(lake.lakeConfig("fleet")), "event_id");
            assertThat(all.rows()).isEqualTo(6_000);
            assertThat(all.distinct()).isEqualTo(3_000);
        }
    }

    private DemoSummary run(SimulatorConfig simulator) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (LocalStack stack = LocalStack.start(lakeDirectory, 0, 3)) {
            DemoSummary summary = new DemoRunner(stack, new PrintStream(progress, true, StandardCharsets.UTF_8))
                    .run(simulator, Map.of(), Duration.ofMinutes(3));
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("rows committed").contains("alerts opened").contains("cdc ");
            return summary;
        }
    }
}
