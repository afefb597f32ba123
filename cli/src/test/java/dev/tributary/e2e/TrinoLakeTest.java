package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalRestCatalog;
import dev.tributary.local.LocalStack;
import dev.tributary.local.LocalTrino;
import dev.tributary.local.TrinoInstallation;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry job writes {@code fleet.telemetry} through the local Iceberg REST catalog, and the
 * real Trino 476 reads it through the same catalog, from the same files (no copy), with trino-jdbc:
 * counts, time travel by snapshot id and by timestamp, and the {@code $snapshots}, {@code $files}
 * and {@code $partitions} metadata tables. Trino comes from the project's own mechanism
 * ({@link TrinoInstallation}: Maven Central, cached); without a Java 24+ runtime this test fails
 * with the message that says how to provide one.
 *
 * <p>Two bounded runs, each from its own topic with its own simulator seed, leave two sets of
 * snapshots: the last one of the first run is the "older" table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrinoLakeTest {
    private static final long FIRST_RUN = 3_000;
    private static final long SECOND_RUN = 2_000;
    private static final DateTimeFormatter TRINO_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

    @TempDir
    static Path lakeDirectory;

    private LocalRestCatalog catalog;
    private LocalTrino trino;
    private LocalStack stack;
    private PipelineConfig firstConfig;
    private Set<String> validEventIds;
    private long firstRunSnapshot;
    private Instant betweenRuns;
    private Instant afterRuns;

    @BeforeAll
    void runTwoBoundedJobsThroughTheRestCatalog() throws Exception {
        java.io.PrintWriter progress = new java.io.PrintWriter(System.out, true);
        long started = System.nanoTime();
        catalog = LocalRestCatalog.start(lakeDirectory, 0, lakeDirectory.resolve("local/rest-catalog.log"));
        System.out.printf("REST catalog up in %.1f s, %d MB resident%n", (System.nanoTime() - started) / 1e9, dev.tributary.local.ChildProcesses.residentMegabytes(catalog.pid()));
        TrinoInstallation installation = TrinoInstallation.prepare(progress);
        started = System.nanoTime();
        trino = LocalTrino.start(installation, lakeDirectory, 0, catalog.uri(), progress);
        System.out.printf("Trino up in %.1f s, %d MB resident%n", (System.nanoTime() - started) / 1e9, dev.tributary.local.ChildProcesses.residentMegabytes(trino.pid()));
        stack = LocalStack.start(lakeDirectory, 0, 2);

        Map<String, String> settings = new HashMap<>(catalog.configuration());
        settings.put("source.bounded", "true");
        settings.put("checkpoint.interval", "2s");
        firstConfig = stack.pipelineConfig(settings);
        PipelineRuns first = new PipelineRuns(stack, firstConfig, 2);
        SimulationReport firstReport = first.produce(SimulatorConfig.defaults(20, FIRST_RUN).withCollectedIds().withBadInput(0, 0));
        first.runBounded(Duration.ofMinutes(3));
        try (LakeInspector lake = new LakeInspector(firstConfig.lake())) {
            firstRunSnapshot = lake.currentSnapshotId(TelemetryTable.identifier(firstConfig.lake()));
        }
        betweenRuns = Instant.now();
        Thread.sleep(50);

        settings.put("topic.telemetry", "fleet.telemetry.raw.second");
        settings.put("source.group-id", "tributary-trino-test-second");
        PipelineConfig secondConfig = stack.pipelineConfig(settings);
        PipelineRuns second = new PipelineRuns(stack, secondConfig, 2);
        SimulatorConfig defaults = SimulatorConfig.defaults(20, SECOND_RUN).withCollectedIds().withBadInput(0, 0);
        SimulationReport secondReport = second.produce(new SimulatorConfig(defaults.vehicles(), defaults.events(), defaults.ratePerSecond(), 4242,
                defaults.readingInterval(), defaults.headlightsMinDuration(), defaults.outOfOrderFraction(), defaults.lateFraction(),
                defaults.invalidRecords(), defaults.unknownDeviceReadings(), defaults.nullKeyEvery(), defaults.realTime(), defaults.collectEventIds(),
                defaults.schemaDrift()));
        second.runBounded(Duration.ofMinutes(3));
        afterRuns = Instant.now();

        assertThat(firstReport.valid()).isEqualTo(FIRST_RUN);
        assertThat(secondReport.valid()).isEqualTo(SECOND_RUN);
        validEventIds = new HashSet<>(firstReport.validEventIds());
        validEventIds.addAll(secondReport.validEventIds());
        assertThat(validEventIds).hasSize((int) (FIRST_RUN + SECOND_RUN));
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (trino != null) {
            trino.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "tributary-test");
        return DriverManager.getConnection(trino.jdbcUrl("fleet"), properties);
    }

    private List<List<Object>> query(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = results.getMetaData().getColumnCount();
            while (results.next()) {
                List<Object> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(results.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private long count(String sql) throws SQLException {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }

    @Test
    void trinoCountsWhatTheSimulatorProducedInTheTableTheJobWrote() throws Exception {
        assertThat(count("SELECT count(*) FROM telemetry")).isEqualTo(FIRST_RUN + SECOND_RUN);
        Set<String> ids = new HashSet<>();
        for (List<Object> row : query("SELECT event_id FROM telemetry")) {
            ids.add((String) row.get(0));
        }
        assertThat(ids).isEqualTo(validEventIds);
        // The same table, not a copy: the job's catalog and Trino's see the same current snapshot.
        long current;
        try (LakeInspector lake = new LakeInspector(firstConfig.lake())) {
            current = lake.currentSnapshotId(TelemetryTable.identifier(firstConfig.lake()));
        }
        assertThat(count("SELECT snapshot_id FROM \"telemetry$snapshots\" ORDER BY committed_at DESC, snapshot_id LIMIT 1")).isEqualTo(current);
    }

    @Test
    void timeTravelByVersionAndByTimestampSeesTheFirstRunOnly() throws Exception {
        assertThat(count("SELECT count(*) FROM telemetry FOR VERSION AS OF " + firstRunSnapshot)).isEqualTo(FIRST_RUN);
        assertThat(count("SELECT count(*) FROM telemetry FOR TIMESTAMP AS OF TIMESTAMP '" + TRINO_TIMESTAMP.format(betweenRuns) + "'")).isEqualTo(FIRST_RUN);
        assertThat(count("SELECT count(*) FROM telemetry FOR TIMESTAMP AS OF TIMESTAMP '" + TRINO_TIMESTAMP.format(afterRuns) + "'")).isEqualTo(FIRST_RUN + SECOND_RUN);
    }

    @Test
    void theSnapshotsTableListsTheCommitsOfBothRuns() throws Exception {
        List<List<Object>> snapshots = query("SELECT snapshot_id, operation, committed_at FROM \"telemetry$snapshots\" ORDER BY committed_at");
        assertThat(snapshots.size()).isGreaterThanOrEqualTo(2);
        assertThat(snapshots).extracting(row -> ((Number) row.get(0)).longValue()).contains(firstRunSnapshot);
        assertThat(snapshots).extracting(row -> (String) row.get(1)).contains("append");
        assertThat(count("SELECT count(*) FROM \"telemetry$snapshots\" WHERE committed_at > TIMESTAMP '" + TRINO_TIMESTAMP.format(betweenRuns) + "'")).isPositive();
    }

    @Test
    void theFilesTableNamesOrcFilesInTheWarehouseThatExistOnDisk() throws Exception {
        List<List<Object>> files = query("SELECT file_path, file_format, record_count FROM \"telemetry$files\"");
        assertThat(files).isNotEmpty();
        long records = 0;
        Set<Path> listed = new HashSet<>();
        for (List<Object> file : files) {
            assertThat(file.get(1)).isEqualTo("ORC");
            String location = (String) file.get(0);
            assertThat(location).endsWith(".orc");
            Path path = Path.of(java.net.URI.create(location.startsWith("file:/") ? location : "file://" + location));
            assertThat(path).startsWith(LocalRestCatalog.warehouse(lakeDirectory)).isRegularFile();
            listed.add(path);
            records += ((Number) file.get(2)).longValue();
        }
        assertThat(records).isEqualTo(FIRST_RUN + SECOND_RUN);
        // Every data file of the table on disk is ORC, and the current ones are exactly those Trino lists.
        Path data = LocalRestCatalog.warehouse(lakeDirectory).resolve("fleet/telemetry/data");
        try (Stream<Path> walk = Files.walk(data)) {
            List<Path> onDisk = walk.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().startsWith(".")).toList();
            assertThat(onDisk).isNotEmpty().allMatch(file -> file.getFileName().toString().endsWith(".orc"));
            assertThat(onDisk).containsAll(listed);
        }
    }

    @Test
    void thePartitionsTableHasTheDaysOfEventTime() throws Exception {
        List<List<Object>> partitions = query("SELECT partition, record_count, file_count FROM \"telemetry$partitions\"");
        assertThat(partitions).isNotEmpty();
        long records = partitions.stream().mapToLong(row -> ((Number) row.get(1)).longValue()).sum();
        assertThat(records).isEqualTo(FIRST_RUN + SECOND_RUN);
        assertThat(count("SELECT count(DISTINCT date_trunc('day', event_time)) FROM telemetry")).isEqualTo(partitions.size());
    }
}
