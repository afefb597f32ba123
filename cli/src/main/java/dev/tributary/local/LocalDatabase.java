package dev.tributary.local;

import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.DatabaseKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An operational database running on this machine for the demo, the tests and the benchmarks. */
public interface LocalDatabase extends AutoCloseable {
    /**
     * Where the database listens and who may capture from it.
     *
     * @param database the database (PostgreSQL) or schema (MySQL, MariaDB) that holds the captured tables
     * @param user a user allowed to capture: superuser locally
     * @param tableNamespace where the tables live in Debezium's names: the schema for PostgreSQL, the database otherwise
     */
    record Endpoint(DatabaseKind kind, String hostname, int port, String database, String user, String password, String tableNamespace) {}

    Endpoint endpoint();

    default DatabaseKind kind() {
        return endpoint().kind();
    }

    default String hostname() {
        return endpoint().hostname();
    }

    default int port() {
        return endpoint().port();
    }

    default String database() {
        return endpoint().database();
    }

    default String user() {
        return endpoint().user();
    }

    default String password() {
        return endpoint().password();
    }

    default String tableNamespace() {
        return endpoint().tableNamespace();
    }

    default String jdbcUrl() {
        return kind().jdbcUrl(hostname(), port(), database());
    }

    default Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** Runs one SQL statement. */
    default void execute(String sql) throws SQLException {
        try (Connection connection = connect(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A capture configuration for some of this database's tables (names without namespace). */
    default CaptureConfig captureConfig(String name, String bootstrapServers, Path stateDirectory, List<String> tables, Map<String, String> extra) {
        return captureConfig(name, bootstrapServers, stateDirectory, tables, extra, Map.of());
    }

    /** As {@link #captureConfig(String, String, Path, List, Map)}, with secrets looked up in {@code environment}. */
    default CaptureConfig captureConfig(String name, String bootstrapServers, Path stateDirectory, List<String> tables, Map<String, String> extra,
            Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("capture.name", name);
        values.put("capture.database.type", kind().configName());
        values.put("capture.database.hostname", hostname());
        values.put("capture.database.port", Integer.toString(port()));
        values.put("capture.database.user", user());
        if (password() != null) {
            values.put("capture.database.password", password());
        }
        values.put("capture.database.name", database());
        values.put("capture.tables", tables.stream().map(table -> tableNamespace() + "." + table).collect(Collectors.joining(",")));
        values.put("capture.state-dir", stateDirectory.toString());
        values.put("kafka.bootstrap-servers", bootstrapServers);
        values.putAll(extra);
        return CaptureConfig.from(values, environment);
    }

    @Override
    void close() throws Exception;
}
