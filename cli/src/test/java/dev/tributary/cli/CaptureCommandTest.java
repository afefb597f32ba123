package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./tributary capture} against a real PostgreSQL and broker: status lines while it runs; setup errors exit 2. */
class CaptureCommandTest {
    @TempDir
    Path directory;

    @Test
    void capturesAndShowsItsStatusThenRefusesADatabaseNotSetUp() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            postgres.execute("CREATE TABLE vehicles (id TEXT PRIMARY KEY, model TEXT)");
            postgres.execute("INSERT INTO vehicles VALUES ('v1', 'Ioniq 5'), ('v2', 'EV6')");
            Path config = directory.resolve("capture.properties");
            Files.write(config, List.of(
                    "capture.database.type=postgres",
                    "capture.database.port=" + postgres.port(),
                    "capture.database.user=postgres",
                    "capture.database.name=" + LocalPostgres.DATABASE,
                    "capture.tables=public.vehicles",
                    "capture.state-dir=" + directory.resolve("state"),
                    "kafka.bootstrap-servers=" + kafka.bootstrapServers()));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Tributary.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                    "capture", "--config", config.toString(), "--duration", "8s", "--status-every", "500ms");
            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("streaming").contains("2 changes").contains("public.vehicles=2")
                    .contains("offsets are kept in");

            try (LocalPostgres notLogical = LocalPostgres.start(0, null, "replica")) {
                StringWriter refusal = new StringWriter();
                exit = Tributary.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(refusal, true),
                        "capture", "--config", config.toString(), "--set", "capture.database.port=" + notLogical.port(),
                        "--set", "capture.tables=public.vehicles", "--duration", "2s");
                assertThat(exit).isEqualTo(2);
                assertThat(refusal.toString()).contains("wal_level is 'replica'").contains("wal_level = logical");
            }
        }
    }
}
