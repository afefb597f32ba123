package dev.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.LakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent metadata commits on one real Iceberg table (the SQLite JDBC catalog, ORC files):
 * two writers, each with its own catalog, evolve the table column by column while a third
 * appends data files (a commit about every 100 ms, with Iceberg's own retries), maintenance
 * compacts and expires snapshots, and a control writer makes plain schema updates. The control's lost races show that the contention is real (a plain
 * Iceberg schema update, as the dynamic sink makes it, fails with {@code CommitFailedException}
 * then); the two writers going through {@link MetadataCommits} never fail, and every column,
 * every row and every compaction lands.
 */
class MetadataCommitsTest {
    private static final TableIdentifier TABLE = TableIdentifier.of("fleet", "widgets");
    private static final int COLUMNS_PER_WRITER = 12;
    private static final long PACE_MILLIS = 100;

    @TempDir
    Path directory;

    private final List<Catalog> catalogs = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(5);

    @AfterEach
    void closeEverything() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(1, TimeUnit.MINUTES);
        catalogs.forEach(Catalogs::closeQuietly);
    }

    @Test
    void twoWritersEvolvingOneTableWhileDataAndCompactionsCommitAllLand() throws Exception {
        LakeConfig lake = new LakeConfig(LakeConfig.CatalogType.JDBC, "lake", "jdbc:sqlite:" + directory.resolve("catalog.db"),
                directory.resolve("warehouse").toUri().toString(), "fleet", "telemetry", LakeConfig.FileFormat.ORC,
                LakeConfig.ArrayLayout.LIST, LakeConfig.Writer.DYNAMIC_SINK);
        Schema initial = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "size", Types.IntegerType.get()));
        LakeTables.createIfMissing(open(lake), lake, TABLE, initial, PartitionSpec.unpartitioned(), Map.of());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger controlLostRaces = new AtomicInteger();
        AtomicInteger compactions = new AtomicInteger();
        AtomicLong rowsAppended = new AtomicLong();
        List<Future<?>> evolvers = new ArrayList<>();
        for (String writer : List.of("a", "b")) {
            Table table = open(lake).loadTable(TABLE);
            evolvers.add(threads.submit(() -> {
                for (int i = 0; i < COLUMNS_PER_WRITER; i++) {
                    // Planned from what this writer last saw, as the mirror plans from the schema its rows leave in.
                    Schema wanted = withColumn(table.schema(), writer + "_" + i, Types.StringType.get());
                    if (writer.equals("a") && i == COLUMNS_PER_WRITER / 2) {
                        wanted = widened(wanted, "size", Types.LongType.get());
                    }
                    Schema after = MetadataCommits.unionByName(table, wanted);
                    assertThat(after.findField(writer + "_" + i)).isNotNull();
                }
                return null;
            }));
        }
        Table appending = open(lake).loadTable(TABLE);
        Future<?> appender = threads.submit(() -> {
            long id = 0;
            while (!stop.get()) {
                appending.refresh();
                appending.newAppend().appendFile(dataFile(appending, id, 10)).commit();
                id += 10;
                rowsAppended.set(id);
                pace();
            }
            return null;
        });
        Table maintained = open(lake).loadTable(TABLE);
        Future<?> maintenance = threads.submit(() -> {
            while (!stop.get()) {
                LakeMaintenance.Report report = new LakeMaintenance(Clock.systemUTC()).maintain(maintained, 1, Duration.ofMillis(1), 3);
                if (report.compacted()) {
                    compactions.incrementAndGet();
                }
            }
            return null;
        });
        Table controlled = open(lake).loadTable(TABLE);
        Future<?> control = threads.submit(() -> {
            int update = 0;
            // Until it has lost a race: that is all it has to show, and its schema versions pile up in the metadata.
            while (!stop.get() && controlLostRaces.get() == 0) {
                controlled.refresh();
                try {
                    // Bounded: a new column each time would grow the metadata (every schema version is kept) quadratically.
                    controlled.updateSchema().updateColumnDoc("size", "control update " + update++).commit();
                } catch (CommitFailedException e) {
                    controlLostRaces.incrementAndGet();
                }
                pace();
            }
            return null;
        });

        for (Future<?> evolver : evolvers) {
            evolver.get(5, TimeUnit.MINUTES);
        }
        awaitCondition(() -> controlLostRaces.get() > 0 && compactions.get() > 0 && rowsAppended.get() > 0, Duration.ofMinutes(2),
                "a lost race of the control writer, a compaction and an append", List.of(appender, maintenance, control));
        stop.set(true);
        appender.get(1, TimeUnit.MINUTES);
        maintenance.get(1, TimeUnit.MINUTES);
        control.get(1, TimeUnit.MINUTES);

        Table table = open(lake).loadTable(TABLE);
        for (String writer : List.of("a", "b")) {
            for (int i = 0; i < COLUMNS_PER_WRITER; i++) {
                assertThat(table.schema().findField(writer + "_" + i)).as("column %s_%d", writer, i).isNotNull();
            }
        }
        assertThat(table.schema().findType("size")).isEqualTo(Types.LongType.get());
        assertThat(controlLostRaces.get()).as("plain schema updates lost races under this contention").isPositive();
        Set<Long> ids = new HashSet<>();
        long rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record record : records) {
                ids.add((Long) record.getField("id"));
                rows++;
            }
        }
        assertThat(rows).as("every appended row once, through the compactions").isEqualTo(rowsAppended.get());
        assertThat(ids).hasSize((int) rowsAppended.get());
    }

    /**
     * The data and control writers commit about every {@value #PACE_MILLIS} ms, a checkpoint
     * interval far shorter than any real one; in a tight loop they would take the catalog for
     * themselves, and no optimistic writer could ever get a commit in.
     */
    private static void pace() throws InterruptedException {
        Thread.sleep(PACE_MILLIS);
    }

    private Catalog open(LakeConfig lake) {
        Catalog catalog = Catalogs.open(lake);
        catalogs.add(catalog);
        return catalog;
    }

    private static Schema withColumn(Schema schema, String name, org.apache.iceberg.types.Type type) {
        List<Types.NestedField> columns = new ArrayList<>(schema.columns());
        columns.add(Types.NestedField.optional(schema.highestFieldId() + 1, name, type));
        return new Schema(columns);
    }

    private static Schema widened(Schema schema, String name, org.apache.iceberg.types.Type type) {
        List<Types.NestedField> columns = new ArrayList<>();
        for (Types.NestedField column : schema.columns()) {
            columns.add(column.name().equals(name) ? Types.NestedField.of(column.fieldId(), column.isOptional(), name, type) : column);
        }
        return new Schema(columns);
    }

    private static DataFile dataFile(Table table, long firstId, int count) {
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, firstId).format(FileFormat.ORC).build();
        DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec())
                .newDataWriter(files.newOutputFile(), FileFormat.ORC, null);
        try (writer) {
            for (long id = firstId; id < firstId + count; id++) {
                Record record = GenericRecord.create(table.schema());
                record.setField("id", id);
                writer.write(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.toDataFile();
    }

    /** Waits for {@code condition}, failing at once with the failure of any of {@code running} that ended. */
    private static void awaitCondition(Callable<Boolean> condition, Duration timeout, String what, List<Future<?>> running) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            for (Future<?> future : running) {
                if (future.isDone()) {
                    future.get();
                }
            }
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
