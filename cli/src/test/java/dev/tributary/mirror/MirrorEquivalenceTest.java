package dev.tributary.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.CaptureService;
import dev.tributary.capture.CaptureStatus;
import dev.tributary.cdc.CdcWorkload;
import dev.tributary.cdc.MirrorComparison;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.LakeMaintenance;
import dev.tributary.local.LocalDatabase;
import dev.tributary.local.LocalMariaDb;
import dev.tributary.local.LocalPostgres;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.flink.api.common.JobID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Equivalence under chaos, against each real database: a random workload of 20,000 inserts,
 * updates and deletes in multi-row transactions, with an {@code ADD COLUMN} halfway, a capture
 * restart and a mirror-job restart (from its checkpoint) in the middle. At the end the Iceberg
 * table equals the source table row for row, every column compared; maintenance has kept the
 * table's files few.
 */
class MirrorEquivalenceTest {
    private static final int OPERATIONS = 20_000;

    @TempDir
    Path directory;

    @Test
    void postgresMirrorEqualsTheSourceAfterRestarts() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            runChaos(postgres);
        }
    }

    @Test
    void mariadbMirrorEqualsTheSourceAfterRestarts() throws Exception {
        try (LocalMariaDb mariadb = LocalMariaDb.start(directory.resolve("mariadb"), 0, "ROW")) {
            runChaos(mariadb);
        }
    }

    private void runChaos(LocalDatabase database) throws Exception {
        // MySQL and MariaDB give commit times to the second.
        Instant started = Instant.now().minusSeconds(1);
        CdcWorkload workload = new CdcWorkload(database, 42, 8);
        workload.createTable();
        try (LocalStack stack = LocalStack.start(directory.resolve("lake"), 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of(
                    "checkpoint.interval", "1s",
                    "mirror.tables", database.tableNamespace() + "." + CdcWorkload.TABLE,
                    "maintenance.interval", "4s",
                    "maintenance.min-files", "12"));
            stack.createMirrorTopics(config);
            CaptureConfig capture = database.captureConfig("chaos", stack.kafka().bootstrapServers(), directory.resolve("capture"),
                    List.of(CdcWorkload.TABLE), Map.of());
            TableIdentifier identifier = TableIdentifier.of(config.mirror().namespace(), CdcWorkload.TABLE);

            workload.runUntil(2_000);
            CaptureService first = new CaptureService(capture, Clock.systemUTC());
            first.start();
            JobID mirror = stack.submitMirror(config, null);
            workload.runUntil(6_000);
            // Capture restart: changes made while it is down arrive after it resumes.
            first.close();
            workload.runUntil(8_000);
            try (CaptureService second = new CaptureService(capture, Clock.systemUTC())) {
                second.start();
                workload.runUntil(10_000);
                workload.addColumn();
                workload.runUntil(13_000);
                // Mirror restart from its latest checkpoint, while changes keep coming.
                awaitCheckpoint(stack, mirror);
                stack.flink().cancel(mirror);
                Optional<Path> checkpoint = stack.flink().latestCheckpoint(mirror);
                assertThat(checkpoint).as("a retained checkpoint of the mirror").isPresent();
                workload.runUntil(15_000);
                JobID resumed = stack.submitMirror(config, checkpoint.get());
                workload.runUntil(OPERATIONS);
                assertThat(second.status().phase()).isEqualTo(CaptureStatus.Phase.STREAMING);

                MirrorComparison.Result result = MirrorComparison.awaitEqual(database, CdcWorkload.TABLE, config.lake(), identifier, Duration.ofMinutes(3));
                stack.flink().cancel(resumed);
                Catalog catalog = Catalogs.open(config.lake());
                try {
                    System.out.printf("%s: %d operations in %d transactions; source %d rows, lake %d rows, %d mismatches %s%n",
                            database.kind(), workload.operations(), workload.transactions(), result.sourceRows(), result.lakeRows(),
                            result.mismatches(), result.examples());
                    assertThat(result.examples()).isEmpty();
                    assertThat(result.lakeRows()).isEqualTo(workload.liveRows()).isPositive();
                    assertThat(catalog.loadTable(identifier).schema().findField("color")).as("the added column").isNotNull();
                    assertThat(catalog.loadTable(identifier).schema().findField(MirrorComparison.CDC_COLUMN)).isNotNull();
                    assertThat(result.rowsWithoutChangeMetadata()).as("rows without their change's operation, commit time and offset").isZero();
                    assertCommitTimesWithin(catalog.loadTable(identifier), started, Instant.now());

                    Table table = catalog.loadTable(identifier);
                    LakeMaintenance.FileStats before = LakeMaintenance.stats(table);
                    LakeMaintenance.Report report = new LakeMaintenance(Clock.systemUTC()).maintain(table, 0, Duration.ofHours(1), 5);
                    System.out.printf("%s maintenance: before %s; after %s%n", database.kind(), before, report.after());
                    assertThat(before.files()).as("scheduled maintenance keeps files few during the run").isLessThan(60);
                    assertThat(report.after().deleteFiles()).isZero();
                    assertThat(MirrorComparison.compare(database, CdcWorkload.TABLE, config.lake(), identifier).equal()).as("still equal after compaction").isTrue();
                } finally {
                    ((AutoCloseable) catalog).close();
                }
                assertThat(Topics.countCommitted(stack.kafka().bootstrapServers(), config.mirror().deadLetterTopic())).isZero();
            }
        }
    }

    private static void awaitCheckpoint(LocalStack stack, JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (stack.flink().latestCheckpoint(job).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** Every row's {@code _cdc.committed_at} falls inside the test, and it was captured no earlier than it was committed. */
    private static void assertCommitTimesWithin(Table table, Instant from, Instant to) throws Exception {
        int rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).select(MirrorComparison.CDC_COLUMN).build()) {
            for (Record record : records) {
                Record metadata = (Record) record.getField(MirrorComparison.CDC_COLUMN);
                Instant committed = ((OffsetDateTime) metadata.getField("committed_at")).toInstant();
                Instant captured = ((OffsetDateTime) metadata.getField("captured_at")).toInstant();
                assertThat(committed).isBetween(from, to);
                assertThat(captured).isAfterOrEqualTo(committed);
                assertThat((String) metadata.getField("op")).isIn("c", "u", "r");
                rows++;
            }
        }
        assertThat(rows).isPositive();
    }
}
