package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.alerts.AlertTable;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.AwsDefaultChainCredentials;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalS3;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.query.LakeQuery;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry job, bounded, over simulated readings (and refused records), with the lake's
 * warehouse on {@code s3://} of a local S3 endpoint (S3Proxy): Iceberg's S3FileIO writes every data
 * and metadata file as an object, with credentials from the AWS default chain. The catalog stays
 * the local SQLite JDBC catalog, and Flink's checkpoints stay on local disk (the MiniCluster has no
 * S3 file system plugin; on EMR, checkpoints on S3 are the cluster's configuration).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryOnS3EndToEndTest {
    private static final int VEHICLES = 50;
    private static final long EVENTS = 20_000;
    private static final String BUCKET = "tributary-lake";

    @TempDir
    static Path lakeDirectory;
    @TempDir
    static Path s3Directory;

    private LocalS3 s3;
    private AwsDefaultChainCredentials credentials;
    private LocalStack stack;
    private PipelineConfig config;
    private SimulationReport report;

    @BeforeAll
    void runPipeline() throws Exception {
        s3 = LocalS3.start(s3Directory, BUCKET);
        credentials = new AwsDefaultChainCredentials(s3.accessKeyId(), s3.secretAccessKey());
        stack = LocalStack.start(lakeDirectory, 0, 2);
        SimulatorConfig simulator = SimulatorConfig.defaults(VEHICLES, EVENTS).withCollectedIds().withBadInput(12, 10);
        Map<String, String> settings = new HashMap<>(s3.configuration("warehouse"));
        settings.put("source.bounded", "true");
        settings.put("checkpoint.interval", "2s");
        settings.put("enrichment.max-wait", "60s");
        settings.put("rules.headlights.min-duration", simulator.headlightsMinDuration().toString());
        config = stack.pipelineConfig(settings);
        PipelineRuns runs = new PipelineRuns(stack, config);
        report = runs.produce(simulator);
        runs.runBounded(Duration.ofMinutes(10));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (credentials != null) {
                credentials.close();
            }
            if (s3 != null) {
                s3.close();
            }
        }
    }

    @Test
    void everyValidReadingIsInTheLakeOnS3ExactlyOnce() throws Exception {
        assertThat(config.lake().warehouse()).isEqualTo("s3://" + BUCKET + "/warehouse");
        assertThat(report.valid()).isEqualTo(EVENTS);
        assertThat(report.invalid()).isPositive();
        PipelineRuns.assertEveryValidReadingInTheLakeOnce(config.lake(), report);
    }

    @Test
    void everyDataAndMetadataFileOfTheTablesIsAnObjectInTheBucket() throws Exception {
        Map<String, Long> objects = s3.objects();
        Set<String> keys = objects.keySet();
        assertThat(keys).isNotEmpty().allMatch(key -> key.startsWith("warehouse/"));
        assertThat(keys).filteredOn(key -> key.startsWith("warehouse/fleet/telemetry/data/")).isNotEmpty().allMatch(key -> key.endsWith(".orc"));
        assertThat(keys).filteredOn(key -> key.startsWith("warehouse/fleet/telemetry/metadata/"))
                .anyMatch(key -> key.endsWith(".metadata.json")).anyMatch(key -> key.endsWith(".avro"));

        // A catalog of its own, open while the files are listed: closing a catalog closes its S3FileIO.
        Catalog catalog = Catalogs.open(config.lake());
        try {
            for (TableIdentifier identifier : List.of(TelemetryTable.identifier(config.lake()),
                    AlertTable.identifier(config.lake(), config.notifications()))) {
                Table table = catalog.loadTable(identifier);
                assertThat(table.io().getClass().getName()).isEqualTo("org.apache.iceberg.aws.s3.S3FileIO");
                assertThat(table.location()).isEqualTo("s3://" + BUCKET + "/warehouse/fleet/" + identifier.name());
                String metadata = ((org.apache.iceberg.HasTableOperations) table).operations().current().metadataFileLocation();
                assertThat(objects).as("%s's current metadata", identifier).containsKey(key(metadata));
                int files = 0;
                try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                    for (FileScanTask task : tasks) {
                        String location = task.file().location();
                        assertThat(objects).as(location).containsEntry(key(location), task.file().fileSizeInBytes());
                        files++;
                    }
                }
                assertThat(files).as("%s has data files", identifier).isPositive();
            }
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }

    @Test
    void nothingOfTheLakeIsOnLocalDiskButTheCatalogAndTheCheckpoints() throws Exception {
        try (Stream<Path> files = Files.walk(stack.lake().warehouse())) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        // S3Proxy's own directory holds the objects; the warehouse path is nowhere else.
        assertThat(s3.bucketDirectory().resolve("warehouse")).isDirectory();
    }

    @Test
    void everyAlertEventIsInTheAlertTableOnS3() throws Exception {
        long published = Topics.readAll(stack.kafka().bootstrapServers(), config.alertsTopic(), IsolationLevel.READ_COMMITTED).size();
        assertThat(published).isPositive();
        try (LakeInspector lake = new LakeInspector(config.lake())) {
            assertThat(lake.count(AlertTable.identifier(config.lake(), config.notifications()), "alert_id").rows()).isEqualTo(published);
        }
    }

    @Test
    void flinkSqlReadsTheLakeOnS3ThroughTheCatalog() throws Exception {
        try (LakeQuery query = new LakeQuery(config.lake())) {
            List<Row> rows = query.rows("SELECT count(*), count(DISTINCT event_id) FROM telemetry");
            assertThat(((Number) rows.get(0).getField(0)).longValue()).isEqualTo(EVENTS);
            assertThat(((Number) rows.get(0).getField(1)).longValue()).isEqualTo(EVENTS);
        }
    }

    /** The object key of an {@code s3://bucket/key} location in this test's bucket. */
    private static String key(String location) {
        String prefix = "s3://" + BUCKET + "/";
        assertThat(location).startsWith(prefix);
        return location.substring(prefix.length());
    }
}
