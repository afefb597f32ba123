package dev.tributary.local;

import dev.tributary.config.LakeConfig;
import dev.tributary.lake.Catalogs;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads what is really in a lake table: rows read back from the data files, not counters. */
public final class LakeInspector implements AutoCloseable {
    private final Catalog catalog;

    public LakeInspector(LakeConfig lake) {
        this.catalog = Catalogs.open(lake);
    }

    public boolean exists(TableIdentifier table) {
        return catalog.tableExists(table);
    }

    /** The row count the current snapshot's summary claims (cheap; for progress only). */
    public long committedRecords(TableIdentifier table) {
        if (!catalog.tableExists(table)) {
            return 0;
        }
        Table loaded = catalog.loadTable(table);
        Snapshot snapshot = loaded.currentSnapshot();
        if (snapshot == null) {
            return 0;
        }
        String total = snapshot.summary().get("total-records");
        return total == null ? 0 : Long.parseLong(total);
    }

    /** Reads every row of the table's current snapshot and counts them and their distinct values of {@code column}. */
    public Counts count(TableIdentifier table, String column) throws IOException {
        Table loaded = catalog.loadTable(table);
        long rows = 0;
        Set<Object> distinct = new HashSet<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(loaded).select(column).build()) {
            for (Record record : records) {
                rows++;
                distinct.add(record.getField(column));
            }
        }
        return new Counts(rows, distinct.size(), distinct);
    }

    public Table load(TableIdentifier table) {
        return catalog.loadTable(table);
    }

    public Map<String, String> currentSummary(TableIdentifier table) {
        Snapshot snapshot = catalog.loadTable(table).currentSnapshot();
        return snapshot == null ? Map.of() : snapshot.summary();
    }

    @Override
    public void close() throws Exception {
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Rows read, and the distinct values of one column among them. */
    public record Counts(long rows, long distinct, Set<Object> values) {}
}
