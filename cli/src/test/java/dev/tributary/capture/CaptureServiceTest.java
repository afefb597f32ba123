package dev.tributary.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.local.LocalDatabase;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalMariaDb;
import dev.tributary.local.LocalPostgres;
import dev.tributary.local.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture service against real databases and a real broker: snapshot, streaming, deletes, restarts. */
class CaptureServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalKafka kafka;

    @TempDir
    Path directory;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void postgresSnapshotThenStreamingThenResumeAfterRestart() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            snapshotStreamAndResume(postgres, "pg", Map.of());
        }
    }

    @Test
    void mariadbSnapshotThenStreamingThenResumeAfterRestartWithOffsetsInKafka() throws Exception {
        try (LocalMariaDb mariadb = LocalMariaDb.start(directory.resolve("mariadb"), 0, "ROW")) {
            // Offsets and schema history in Kafka topics this time.
            snapshotStreamAndResume(mariadb, "maria", Map.of("capture.offset-store", "kafka"));
        }
    }

    private void snapshotStreamAndResume(LocalDatabase database, String name, Map<String, String> settings) throws Exception {
        database.execute("CREATE TABLE vehicles (id VARCHAR(32) PRIMARY KEY, model VARCHAR(64), mileage BIGINT)");
        database.execute("CREATE TABLE audit (id INT PRIMARY KEY, note VARCHAR(64))");
        database.execute("INSERT INTO vehicles VALUES ('v1', 'Ioniq 5', 100), ('v2', 'Model 3', 200)");
        Map<String, String> extra = new java.util.HashMap<>(settings);
        extra.put("capture.heartbeat-interval", "500ms");
        CaptureConfig config = database.captureConfig(name, kafka.bootstrapServers(), directory.resolve("state"), List.of("vehicles"), extra);
        String topic = "fleet.cdc." + database.tableNamespace() + ".vehicles";
        try (CaptureService capture = new CaptureService(config, Clock.systemUTC())) {
            capture.start();
            assertThat(capture.awaitStreaming(Duration.ofSeconds(60)).phase()).isEqualTo(CaptureStatus.Phase.STREAMING);
            database.execute("UPDATE vehicles SET mileage = 150 WHERE id = 'v1'");
            database.execute("DELETE FROM vehicles WHERE id = 'v2'");
            awaitRecords(topic, 5);
        }
        List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(kafka.bootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED);
        List<String> operations = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode key = JSON.readTree(record.key());
            assertThat(key.path("payload").has("id")).as("key holds the primary key").isTrue();
            operations.add(record.value() == null ? "tombstone" : JSON.readTree(record.value()).path("payload").path("op").asText());
        }
        assertThat(operations).containsExactly("r", "r", "u", "d", "tombstone");
        JsonNode update = JSON.readTree(records.get(2).value());
        assertThat(update.path("schema").path("name").asText()).endsWith(".Envelope");
        assertThat(update.path("payload").path("after").path("mileage").asLong()).isEqualTo(150);
        assertThat(update.path("payload").path("source").path("table").asText()).isEqualTo("vehicles");

        // Stopped, the database moves on; started again, capture resumes where it stopped: nothing lost, no new snapshot.
        database.execute("INSERT INTO vehicles VALUES ('v3', 'Zoe', 300)");
        try (CaptureService capture = new CaptureService(config, Clock.systemUTC())) {
            capture.start();
            awaitRecords(topic, 6);
            // The captured table is quiet while another one is busy: heartbeats move the offsets on.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; capture.status().heartbeats() == 0 && System.nanoTime() < deadline; i++) {
                database.execute("INSERT INTO audit VALUES (" + i + ", 'elsewhere')");
                Thread.sleep(200);
            }
            assertThat(capture.status().heartbeats()).as("heartbeats while the table is quiet").isPositive();
            assertThat(capture.status().changesPerTable()).containsEntry(database.tableNamespace() + ".vehicles", 1L);
        }
        List<ConsumerRecord<byte[], byte[]>> after = Topics.readAll(kafka.bootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED);
        JsonNode last = JSON.readTree(after.get(after.size() - 1).value()).path("payload");
        assertThat(last.path("op").asText()).isEqualTo("c");
        assertThat(last.path("after").path("id").asText()).isEqualTo("v3");
        assertThat(after.stream().filter(record -> record.value() != null)
                .map(record -> readOp(record.value())).filter("r"::equals).count()).as("no second snapshot").isEqualTo(2);
    }

    private static String readOp(byte[] value) {
        try {
            return JSON.readTree(value).path("payload").path("op").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitRecords(String topic, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Topics.readAll(kafka.bootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED).size() >= count) {
                    return;
                }
            } catch (RuntimeException notYetCreated) {
                // the topic appears with the first change
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " records on " + topic);
    }
}
