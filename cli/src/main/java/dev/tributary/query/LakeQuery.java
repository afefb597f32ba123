package dev.tributary.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.config.ConfigException;
import dev.tributary.config.LakeConfig;
import dev.tributary.lake.Catalogs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * SQL over the lake with Flink SQL in batch mode, through Iceberg's Flink catalog: the same
 * catalog the jobs write through, so queries read exactly what was committed.
 */
public final class LakeQuery implements AutoCloseable {
    public enum Format {
        TABLE, JSON, CSV;

        public static Format parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--format", value, "expected table, json or csv");
            }
        }
    }

    private final TableEnvironment tables;

    public LakeQuery(LakeConfig lake) {
        // The query runs on a MiniCluster of its own: on loopback only, its web port any free one.
        Configuration configuration = dev.tributary.local.LocalFlink.loopbackOnly(new Configuration());
        configuration.set(RestOptions.BIND_PORT, "0");
        tables = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(configuration).build());
        Map<String, String> properties = new TreeMap<>(Catalogs.properties(lake));
        properties.put("type", "iceberg");
        String implementation = Catalogs.implementation(lake);
        if (implementation != null) {
            properties.put("catalog-impl", implementation);
        } else {
            properties.put("catalog-type", lake.catalogType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String options = properties.entrySet().stream()
                .map(entry -> "'" + entry.getKey() + "'='" + entry.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
        tables.executeSql("CREATE CATALOG lake WITH (" + options + ")");
        tables.useCatalog("lake");
        tables.useDatabase(lake.namespace());
    }

    /** Runs one statement and returns its rows (for tests and tools). */
    public List<Row> rows(String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> iterator = tables.executeSql(sql).collect()) {
            iterator.forEachRemaining(rows::add);
        }
        return rows;
    }

    public void run(String sql, Format format, PrintStream out) throws Exception {
        TableResult result = tables.executeSql(sql);
        List<String> columns = result.getResolvedSchema().getColumnNames();
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            iterator.forEachRemaining(rows::add);
        }
        print(columns, rows, format, out);
    }

    /** Prints rows as {@code format} says (also for the rows of the local Trino). */
    public static void print(List<String> columns, List<Row> rows, Format format, PrintStream out) throws Exception {
        switch (format) {
            case JSON -> printJson(columns, rows, out);
            case CSV -> printCsv(columns, rows, out);
            default -> printTable(columns, rows, out);
        }
    }

    private static void printTable(List<String> columns, List<Row> rows, PrintStream out) {
        List<List<String>> cells = new ArrayList<>();
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                line.add(String.valueOf(row.getField(c)));
            }
            cells.add(line);
        }
        out.print(TextTable.render(columns, cells));
        out.printf("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
    }

    private static void printJson(List<String> columns, List<Row> rows, PrintStream out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        mapper.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        for (Row row : rows) {
            Map<String, Object> object = new java.util.LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                Object value = row.getField(c);
                object.put(columns.get(c), value instanceof Number || value instanceof Boolean || value == null ? value : value.toString());
            }
            out.println(mapper.writeValueAsString(object));
        }
    }

    private static void printCsv(List<String> columns, List<Row> rows, PrintStream out) {
        out.println(columns.stream().map(LakeQuery::csv).collect(Collectors.joining(",")));
        for (Row row : rows) {
            List<String> values = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                Object value = row.getField(c);
                values.add(value == null ? "" : csv(value.toString()));
            }
            out.println(String.join(",", values));
        }
    }

    private static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    @Override
    public void close() {
        // TableEnvironment holds no resources between statements.
    }
}
