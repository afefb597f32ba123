package dev.tributary.cdc;

import dev.tributary.config.LakeConfig;
import dev.tributary.lake.Catalogs;
import dev.tributary.local.LocalDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * A source table and its Iceberg mirror compared row for row, every column, by primary key
 * ({@code id}). Values are compared in one normal form: numbers without trailing zeros, booleans
 * as 1/0, timestamps to the microsecond, text as is. The mirror's own {@code _cdc} column is not
 * part of the comparison; rows whose {@code _cdc} lacks the operation, the commit time or the
 * Kafka offset are counted.
 */
public final class MirrorComparison {
    private MirrorComparison() {}

    /** The mirror's change metadata column, left out of the comparison. */
    public static final String CDC_COLUMN = "_cdc";

    /** The outcome: how many rows each side holds, the first few differences, and lake rows without full change metadata. */
    public record Result(int sourceRows, int lakeRows, int mismatches, List<String> examples, int rowsWithoutChangeMetadata) {
        public boolean equal() {
            return mismatches == 0 && sourceRows == lakeRows;
        }
    }

    public static Result compare(LocalDatabase database, String table, Table lake) throws SQLException {
        Map<Object, Map<String, String>> source = readSource(database, table);
        int[] withoutMetadata = {0};
        Map<Object, Map<String, String>> mirrored = readLake(lake, withoutMetadata);
        int mismatches = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<Object, Map<String, String>> row : source.entrySet()) {
            Map<String, String> other = mirrored.get(row.getKey());
            if (!row.getValue().equals(other)) {
                mismatches++;
                if (examples.size() < 5) {
                    examples.add("id " + row.getKey() + ": source " + row.getValue() + ", lake " + other);
                }
            }
        }
        for (Object id : mirrored.keySet()) {
            if (!source.containsKey(id)) {
                mismatches++;
                if (examples.size() < 5) {
                    examples.add("id " + id + ": only in the lake " + mirrored.get(id));
                }
            }
        }
        return new Result(source.size(), mirrored.size(), mismatches, examples, withoutMetadata[0]);
    }

    /** Compares with the lake table as it is now, in a catalog opened for this look; a missing table compares as unequal. */
    public static Result compare(LocalDatabase database, String table, LakeConfig lake, TableIdentifier identifier) throws Exception {
        Catalog catalog = Catalogs.open(lake);
        try {
            return compare(database, table, catalog.loadTable(identifier));
        } catch (NoSuchTableException e) {
            return new Result(-1, 0, Integer.MAX_VALUE, List.of("no table " + identifier + " yet"), 0);
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /** Compares once a second until source and lake are equal or {@code timeout} passes; returns the last comparison. */
    public static Result awaitEqual(LocalDatabase database, String table, LakeConfig lake, TableIdentifier identifier, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result result = compare(database, table, lake, identifier);
        while (!result.equal() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            result = compare(database, table, lake, identifier);
        }
        return result;
    }

    private static Map<Object, Map<String, String>> readSource(LocalDatabase database, String table) throws SQLException {
        Map<Object, Map<String, String>> rows = new HashMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String column = meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    Object value = meta.getColumnType(i) == java.sql.Types.TIMESTAMP ? result.getObject(i, LocalDateTime.class) : result.getObject(i);
                    row.put(column, normal(value));
                }
                rows.put(row.get("id"), row);
            }
        }
        return rows;
    }

    private static Map<Object, Map<String, String>> readLake(Table lake, int[] withoutMetadata) {
        Map<Object, Map<String, String>> rows = new HashMap<>();
        boolean hasMetadata = lake.schema().findField(CDC_COLUMN) != null;
        try (CloseableIterable<Record> records = IcebergGenerics.read(lake).build()) {
            for (Record record : records) {
                Map<String, String> row = new TreeMap<>();
                for (Types.NestedField column : lake.schema().columns()) {
                    if (!column.name().equals(CDC_COLUMN)) {
                        row.put(column.name().toLowerCase(java.util.Locale.ROOT), normal(record.getField(column.name())));
                    }
                }
                if (hasMetadata && !completeMetadata((Record) record.getField(CDC_COLUMN))) {
                    withoutMetadata[0]++;
                }
                rows.put(row.get("id"), row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static boolean completeMetadata(Record metadata) {
        return metadata != null && metadata.getField("op") != null && metadata.getField("committed_at") != null
                && metadata.getField("offset") != null;
    }

    static String normal(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean bool) {
            return bool ? "1" : "0";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        return value.toString();
    }
}
