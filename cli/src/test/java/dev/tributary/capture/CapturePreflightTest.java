package dev.tributary.capture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.local.LocalMariaDb;
import dev.tributary.local.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Databases not set up for change data capture are refused before Debezium starts, with the fix named. */
class CapturePreflightTest {
    @TempDir
    Path directory;

    @Test
    void postgresWithoutLogicalDecodingNamesTheSetting() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(0, null, "replica")) {
            postgres.execute("CREATE TABLE vehicles (id TEXT PRIMARY KEY)");
            CaptureConfig config = postgres.captureConfig("preflight", "localhost:1", directory, List.of("vehicles", "missing"), Map.of());
            assertThatThrownBy(() -> new CapturePreflight(config).check())
                    .isInstanceOf(CaptureSetupException.class)
                    .hasMessageContaining("wal_level is 'replica'")
                    .hasMessageContaining("wal_level = logical")
                    .hasMessageContaining("rds.logical_replication")
                    .hasMessageContaining("table 'public.missing' (capture.tables) does not exist");
        }
    }

    @Test
    void postgresUserWithoutReplicationIsToldTheGrant() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            postgres.execute("CREATE TABLE vehicles (id TEXT PRIMARY KEY)");
            postgres.execute("CREATE ROLE reader LOGIN");
            Map<String, String> asReader = Map.of("capture.database.user", "reader");
            CaptureConfig config = postgres.captureConfig("preflight", "localhost:1", directory, List.of("vehicles"), asReader);
            assertThatThrownBy(() -> new CapturePreflight(config).check())
                    .hasMessageContaining("user 'reader' may not replicate: ALTER ROLE reader WITH REPLICATION")
                    .hasMessageContaining("GRANT SELECT ON public.vehicles TO reader");
        }
    }

    @Test
    void mariadbWithAStatementBinlogAndMissingGrantsIsToldBoth() throws Exception {
        try (LocalMariaDb mariadb = LocalMariaDb.start(directory.resolve("mariadb"), 0, "STATEMENT")) {
            try (Connection root = mariadb.connectAsRoot(); Statement statement = root.createStatement()) {
                statement.execute("CREATE USER 'weak'@'%' IDENTIFIED BY 'weak'");
                statement.execute("CREATE USER 'weak'@'localhost' IDENTIFIED BY 'weak'");
            }
            Map<String, String> asWeak = Map.of("capture.database.user", "weak", "capture.database.password", "weak");
            CaptureConfig config = mariadb.captureConfig("preflight", "localhost:1", directory, List.of("vehicles"), asWeak);
            assertThatThrownBy(() -> new CapturePreflight(config).check())
                    .isInstanceOf(CaptureSetupException.class)
                    .hasMessageContaining("binlog_format is 'STATEMENT', capture needs ROW: SET GLOBAL binlog_format = 'ROW'")
                    .hasMessageContaining("GRANT REPLICATION SLAVE ON *.* TO 'weak'")
                    .hasMessageContaining("GRANT BINLOG MONITOR ON *.* TO 'weak'")
                    .hasMessageContaining("GRANT SELECT ON fleet.* TO 'weak'");
            CaptureConfig wrongPassword = mariadb.captureConfig("preflight", "localhost:1", directory, List.of("vehicles"),
                    Map.of("capture.database.password", "wrong"));
            assertThatThrownBy(() -> new CapturePreflight(wrongPassword).check())
                    .hasMessageContaining("cannot connect to jdbc:mariadb://")
                    .hasMessageNotContaining("wrong");
        }
    }
}
