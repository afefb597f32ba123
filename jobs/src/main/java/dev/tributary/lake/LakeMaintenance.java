package dev.tributary.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Upkeep of upsert tables, so that they do not decay into many small data files and equality
 * delete files: when a table has more live files than a threshold, its rows are rewritten
 * (deletes applied) into few data files and the delete files are dropped; then snapshots older
 * than the retention are expired and the files only they referenced are removed.
 *
 * <p>The rewrite commits with the data sequence number of the snapshot it read, so deletes
 * committed meanwhile by the writer still apply to the new files; conflicting commits are
 * retried by Iceberg. Meant for tables that fit a single rewrite (operational tables); it
 * rewrites whole tables, not partitions.
 */
public final class LakeMaintenance {
    private final Clock clock;

    public LakeMaintenance(Clock clock) {
        this.clock = clock;
    }

    /** Live files of a table's current snapshot. */
    public record FileStats(int dataFiles, long dataBytes, int deleteFiles, long deleteBytes, int snapshots) {
        public int files() {
            return dataFiles + deleteFiles;
        }

        @Override
        public String toString() {
            return dataFiles + " data files (" + dataBytes + " B), " + deleteFiles + " delete files (" + deleteBytes + " B), " + snapshots + " snapshots";
        }
    }

    /** What one run did. */
    public record Report(String table, FileStats before, FileStats after, boolean compacted, int snapshotsExpired) {}

    public static FileStats stats(Table table) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        int snapshots = countSnapshots(table);
        if (current == null) {
            return new FileStats(0, 0, 0, 0, snapshots);
        }
        int dataFiles = 0;
        long dataBytes = 0;
        Map<String, Long> deletes = new HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(current.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                dataFiles++;
                dataBytes += task.file().fileSizeInBytes();
                for (DeleteFile delete : task.deletes()) {
                    deletes.put(delete.location(), delete.fileSizeInBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FileStats(dataFiles, dataBytes, deletes.size(), deletes.values().stream().mapToLong(Long::longValue).sum(), snapshots);
    }

    public Report maintain(Table table, int minFiles, Duration snapshotRetention, int retainLast) {
        FileStats before = stats(table);
        boolean compacted = false;
        if (before.files() > minFiles) {
            compacted = compactRetrying(table);
        }
        table.refresh();
        int snapshotsBefore = countSnapshots(table);
        MetadataCommits.retrying("expiring snapshots of " + table.name(), () -> {
            table.refresh();
            table.expireSnapshots()
                    .expireOlderThan(clock.millis() - snapshotRetention.toMillis())
                    .retainLast(retainLast)
                    .commit();
            return null;
        });
        table.refresh();
        int expired = snapshotsBefore - countSnapshots(table);
        return new Report(table.name(), before, stats(table), compacted, expired);
    }

    private static int countSnapshots(Table table) {
        int count = 0;
        for (Snapshot ignored : table.snapshots()) {
            count++;
        }
        return count;
    }

    /**
     * Compacts; when another compaction removed the same files first (Iceberg refuses to delete
     * files that are gone), plans again from the new snapshot, up to three times. A commit that
     * still lost its race after Iceberg's own retries (writers and schema changes committing all
     * along) is planned again from the new snapshot as well ({@link MetadataCommits}).
     */
    private static boolean compactRetrying(Table table) {
        for (int attempt = 1; ; attempt++) {
            try {
                MetadataCommits.retrying("compacting " + table.name(), () -> {
                    table.refresh();
                    compact(table);
                    return null;
                });
                return true;
            } catch (ValidationException e) {
                if (attempt >= 3) {
                    throw e;
                }
                table.refresh();
            }
        }
    }

    /** Rewrites every live row of the current snapshot into new data files and drops the old data and delete files. */
    private static void compact(Table table) {
        Snapshot snapshot = table.currentSnapshot();
        Schema schema = table.schemas().get(snapshot.schemaId());
        Set<DataFile> oldData = new HashSet<>();
        Map<String, DeleteFile> oldDeletes = new HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                oldData.add(task.file());
                task.deletes().forEach(delete -> oldDeletes.put(delete.location(), delete));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileFormat format = FileFormat.fromString(table.properties().getOrDefault(TableProperties.DEFAULT_FILE_FORMAT, "parquet"));
        long targetBytes = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        OutputFileFactory files = OutputFileFactory.builderFor(table, 0, snapshot.snapshotId()).format(format).operationId("compaction").build();
        GenericAppenderFactory appenders = new GenericAppenderFactory(schema, table.spec());
        List<DataFile> newData = new ArrayList<>();
        DataWriter<Record> writer = null;
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build()) {
            for (Record row : rows) {
                if (writer == null) {
                    writer = appenders.newDataWriter(files.newOutputFile(), format, null);
                }
                writer.write(row);
                if (writer.length() >= targetBytes) {
                    writer.close();
                    newData.add(writer.toDataFile());
                    writer = null;
                }
            }
            if (writer != null) {
                writer.close();
                newData.add(writer.toDataFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("compaction of " + table.name() + " failed", e);
        }
        RewriteFiles rewrite = table.newRewrite()
                .validateFromSnapshot(snapshot.snapshotId())
                .dataSequenceNumber(snapshot.sequenceNumber());
        oldData.forEach(rewrite::deleteFile);
        oldDeletes.values().forEach(rewrite::deleteFile);
        newData.forEach(rewrite::addFile);
        try {
            rewrite.commit();
        } catch (CommitFailedException | ValidationException e) {
            // Not committed: the new files are nobody's.
            newData.forEach(file -> table.io().deleteFile(file.location()));
            throw e;
        }
    }
}
