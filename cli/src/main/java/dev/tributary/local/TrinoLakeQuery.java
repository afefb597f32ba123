package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import dev.tributary.query.LakeQuery;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.types.Row;

/**
 * SQL over the lake through the local Trino ({@code ./tributary local up}), with trino-jdbc: catalog
 * {@code lake}, schema the namespace. Prints as {@link LakeQuery} does.
 */
public final class TrinoLakeQuery implements AutoCloseable {
    private final Connection connection;

    public TrinoLakeQuery(String jdbcUrl) throws SQLException {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        Properties properties = new Properties();
        properties.setProperty("user", "tributary");
        this.connection = DriverManager.getConnection(jdbcUrl, properties);
    }

    public void run(String sql, LakeQuery.Format format, PrintStream out) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = results.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int c = 1; c <= metadata.getColumnCount(); c++) {
                columns.add(metadata.getColumnLabel(c));
            }
            List<Row> rows = new ArrayList<>();
            while (results.next()) {
                Object[] values = new Object[columns.size()];
                for (int c = 0; c < values.length; c++) {
                    values[c] = results.getObject(c + 1);
                }
                rows.add(Row.of(values));
            }
            LakeQuery.print(columns, rows, format, out);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
