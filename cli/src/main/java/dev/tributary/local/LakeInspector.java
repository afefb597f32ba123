package dev.tributary.local;

import dev.tributary.config.LakeConfig;
import dev.tributary.lake.Catalogs;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads what is really in a lake table: rows read back from the data files, not counters.
 *
 * <p>Each look opens the catalog afresh and closes it: a catalog connection kept open on
 * SQLite may keep an old read snapshot (or, without WAL, a lock that holds the committer back).
 */
public final class LakeInspector implements AutoCloseable {
    private final LakeConfig lake;

    public LakeInspector(LakeConfig lake) {
        this.lake = lake;
    }

    private interface Look<T> {
        T apply(Catalog catalog) throws IOException;
    }

    private <T> T look(Look<T> look) throws IOException {
        Catalog catalog = Catalogs.open(lake);
        try {
            return look.apply(catalog);
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // reading is done; nothing to keep
                }
            }
        }
    }

    public boolean exists(TableIdentifier table) throws IOException {
        return look(catalog -> catalog.tableExists(table));
    }

    /** The row count the current snapshot's summary claims (cheap; for progress only). */
    public long committedRecords(TableIdentifier table) throws IOException {
        return look(catalog -> {
            if (!catalog.tableExists(table)) {
                return 0L;
            }
            Snapshot snapshot = catalog.loadTable(table).currentSnapshot();
            String total = snapshot == null ? null : snapshot.summary().get("total-records");
            return total == null ? 0L : Long.parseLong(total);
        });
    }

    /** The current snapshot's id, or null for a table without one (or no table). */
    public Long currentSnapshotId(TableIdentifier table) throws IOException {
        return look(catalog -> {
            if (!catalog.tableExists(table)) {
                return null;
            }
            Snapshot snapshot = catalog.loadTable(table).currentSnapshot();
            return snapshot == null ? null : snapshot.snapshotId();
        });
    }

    /** Reads every row of the table's current snapshot and counts them and their distinct values of {@code column}. */
    public Counts count(TableIdentifier table, String column) throws IOException {
        return count(table, column, (Expression) null);
    }

    /**
     * Like {@link #count(TableIdentifier, String)}, over the rows that match {@code filter} (all rows
     * when it is null), e.g. what one run added to a lake that earlier runs wrote to. (Not by
     * snapshot: the Dynamic Iceberg Sink commits appends as row deltas, which incremental append
     * scans skip.)
     */
    public Counts count(TableIdentifier table, String column, Expression filter) throws IOException {
        return look(catalog -> {
            IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(catalog.loadTable(table));
            // A filtered read keeps every column: the filter's columns must be read to apply it to each row.
            return scan(filter == null ? scan.select(column).build() : scan.where(filter).build(), column);
        });
    }

    private static Counts scan(CloseableIterable<Record> records, String column) throws IOException {
        long rows = 0;
        Set<Object> distinct = new HashSet<>();
        try (records) {
            for (Record record : records) {
                rows++;
                distinct.add(record.getField(column));
            }
        }
        return new Counts(rows, distinct.size(), distinct);
    }

    /** Rows of the table now, deletes applied (a full read: for upsert tables); -1 when there is no table. */
    public long liveRows(TableIdentifier table) throws IOException {
        return look(catalog -> {
            if (!catalog.tableExists(table)) {
                return -1L;
            }
            long rows = 0;
            try (CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(table)).build()) {
                for (Record ignored : records) {
                    rows++;
                }
            }
            return rows;
        });
    }

    /** The table as it is now (its metadata; data files are read when scanned). */
    public Table load(TableIdentifier table) throws IOException {
        return look(catalog -> catalog.loadTable(table));
    }

    @Override
    public void close() {
        // Nothing is held between looks.
    }

    /** Rows read, and the distinct values of one column among them. */
    public record Counts(long rows, long distinct, Set<Object> values) {}
}
