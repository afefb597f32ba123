package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.CaptureService;
import dev.tributary.capture.CaptureStatus;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture database's password appears in no log line (every logger at INFO, Debezium's and
 * Kafka's included, while capture snapshots and streams), in no description of the configuration,
 * and in none of the files capture keeps (offsets).
 */
@Timeout(240)
class CapturePasswordTest {
    @TempDir
    Path directory;

    @Test
    void theDatabasePasswordIsInNoLogNorStateFile() throws Exception {
        String password = "Cap7-" + UUID.randomUUID().toString().replace("-", "") + "-pw";
        try (CapturedLog log = CapturedLog.start(); LocalKafka kafka = LocalKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            postgres.execute("CREATE TABLE vehicles (id VARCHAR(32) PRIMARY KEY, model VARCHAR(64))");
            postgres.execute("INSERT INTO vehicles VALUES ('v1', 'Zoe')");
            Path state = directory.resolve("state");
            CaptureConfig config = postgres.captureConfig("secretive", kafka.bootstrapServers(), state, List.of("vehicles"),
                    Map.of("capture.database.password", password, "capture.heartbeat-interval", "500ms"));
            assertThat(config.debeziumProperties().getProperty("database.password")).as("the password reaches Debezium").isEqualTo(password);
            assertThat(config.describe()).doesNotContain(password);
            assertThat(config.toString()).doesNotContain(password);

            try (CaptureService capture = new CaptureService(config, Clock.systemUTC())) {
                capture.start();
                assertThat(capture.awaitStreaming(Duration.ofSeconds(90)).phase()).isEqualTo(CaptureStatus.Phase.STREAMING);
                postgres.execute("INSERT INTO vehicles VALUES ('v2', 'Ioniq 5')");
                RestartExactlyOnceTest.await(() -> capture.status().changesPerTable().getOrDefault("public.vehicles", 0L) >= 2,
                        Duration.ofSeconds(60), "the snapshot row and the streamed row");
                assertThat(capture.status().changesPerTable()).as("snapshot row and streamed row").containsEntry("public.vehicles", 2L);
            }

            List<String> events = log.events();
            assertThat(events).as("capture logged its start and Debezium its configuration")
                    .anyMatch(event -> event.contains("Started capture secretive"))
                    .anyMatch(event -> event.startsWith("io.debezium"));
            assertThat(events).as("log lines holding the password").noneMatch(event -> event.contains(password));
            List<Path> files;
            try (Stream<Path> walk = Files.walk(state)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            assertThat(files).as("capture's state files").isNotEmpty();
            for (Path file : files) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(password);
            }
        }
    }
}
