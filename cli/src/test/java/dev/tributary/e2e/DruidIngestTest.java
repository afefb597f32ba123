package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.config.PipelineConfig;
import dev.tributary.local.ChildProcesses;
import dev.tributary.local.LocalDruid;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Druid 33 (from Maven Central, as {@code deploy/druid/local/run.sh} runs it: ZooKeeper, a
 * coordinator-overlord, an indexer and a broker, child JVMs) ingests what the telemetry job writes
 * on {@code fleet.telemetry.enriched} with the supervisor spec of {@code deploy/druid}, and its SQL
 * answers what that topic holds.
 *
 * <p>The simulator sends a week-old stretch of readings and one that ends now; one bounded run of
 * the telemetry job enriches both onto the topic in Kafka transactions. Then a transactional
 * producer aborts copies of a reading (device {@value #ABORTED_DEVICE}) and commits others behind
 * them ({@value #AFTER_ABORT_DEVICE}). The expected figures are computed from the topic itself, read
 * committed; Druid must match them per vehicle, per hour, and in a dashboard's "this hour against
 * the same hour last week" query, and must have read past the aborted copies without ingesting
 * them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DruidIngestTest {
    private static final Path DEPLOY = Path.of("..", "deploy", "druid");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VEHICLES = 20;
    private static final long LAST_WEEK_READINGS = 1_500;
    private static final long THIS_WEEK_READINGS = 2_000;
    private static final int UNKNOWN_DEVICE_READINGS = 10;
    private static final int PARTITIONS = 2;
    private static final String ABORTED_DEVICE = "dev-aborted";
    private static final String AFTER_ABORT_DEVICE = "dev-after-abort";
    private static final String NONE = "(none)";
    private static final Duration INGEST_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path lakeDirectory;

    private final PrintWriter progress = new PrintWriter(System.out, true);
    private LocalStack stack;
    private LocalDruid druid;
    private String supervisor;
    private Instant now;
    /** The topic read committed: every record Druid should ingest. */
    private List<JsonNode> committed;
    private long abortedInTheLog;

    @BeforeAll
    void ingestTheJobsOutputIntoDruid() throws Exception {
        long started = System.nanoTime();
        Path lib = LocalDruid.jars(DEPLOY, progress);
        Path directory = Path.of("target", "druid-ingest-test").toAbsolutePath();
        // Druid boots while the job runs.
        druid = LocalDruid.start(DEPLOY, lib, directory, progress);
        long stackStarted = System.nanoTime();
        stack = LocalStack.start(lakeDirectory, 0, 2);
        progress.printf("Kafka and Flink up in %.1f s%n", (System.nanoTime() - stackStarted) / 1e9);
        PipelineConfig config = stack.pipelineConfig(Map.of("source.bounded", "true", "checkpoint.interval", "2s"));
        assertThat(config.enrichedTopic()).isEqualTo("fleet.telemetry.enriched");
        PipelineRuns runs = new PipelineRuns(stack, config, PARTITIONS);
        long produceStarted = System.nanoTime();
        now = Instant.now();
        SimulationReport lastWeek = runs.produce(SimulatorConfig.defaults(VEHICLES, LAST_WEEK_READINGS).withBadInput(0, 0), now.minus(7, ChronoUnit.DAYS));
        SimulationReport thisWeek = runs.produce(SimulatorConfig.defaults(VEHICLES, THIS_WEEK_READINGS).withBadInput(0, UNKNOWN_DEVICE_READINGS), now);
        progress.printf("Simulator: %d readings a week ago and %d up to now sent in %.1f s%n", lastWeek.valid(), thisWeek.valid(),
                (System.nanoTime() - produceStarted) / 1e9);
        long jobStarted = System.nanoTime();
        runs.runBounded(Duration.ofMinutes(5));
        progress.printf("Telemetry job: %d readings enriched onto %s in %.1f s%n", lastWeek.valid() + thisWeek.valid(), config.enrichedTopic(),
                (System.nanoTime() - jobStarted) / 1e9);

        awaitCommitted(config.enrichedTopic(), lastWeek.valid() + thisWeek.valid());
        abortCopiesThenCommitOthers(config.enrichedTopic());
        committed = read(config.enrichedTopic(), IsolationLevel.READ_COMMITTED);
        abortedInTheLog = read(config.enrichedTopic(), IsolationLevel.READ_UNCOMMITTED).stream()
                .filter(record -> record.path("device_id").asText().equals(ABORTED_DEVICE)).count();
        assertThat(committed.stream().filter(record -> !record.path("device_id").asText().equals(AFTER_ABORT_DEVICE)))
                .as("the job wrote every reading once").hasSize((int) (lastWeek.valid() + thisWeek.valid()));

        long readyStarted = System.nanoTime();
        druid.awaitReady(Duration.ofMinutes(3), progress);
        progress.printf("Druid ready %.1f s after the job ended%n", (System.nanoTime() - readyStarted) / 1e9);
        ObjectNode spec = (ObjectNode) JSON.readTree(DEPLOY.resolve("fleet-telemetry-supervisor.json").toFile());
        ((ObjectNode) spec.at("/spec/ioConfig/consumerProperties")).put("bootstrap.servers", stack.kafka().bootstrapServers());
        supervisor = druid.submitSupervisor(spec);
        progress.printf("Supervisor %s submitted, %.1f s after the start; Druid's processes hold %d MB resident%n", supervisor,
                (System.nanoTime() - started) / 1e9, druid.residentMegabytes());
        long ingestStarted = System.nanoTime();
        awaitIngested(committed.size());
        progress.printf("Druid ingested %d readings in %.1f s; %.1f s since the test started; Druid's processes hold %d MB resident, this JVM %d MB%n",
                committed.size(), (System.nanoTime() - ingestStarted) / 1e9, (System.nanoTime() - started) / 1e9, druid.residentMegabytes(),
                ChildProcesses.residentMegabytes(ProcessHandle.current().pid()));
    }

    @AfterAll
    void stop() throws Exception {
        long stopping = System.nanoTime();
        try {
            if (druid != null) {
                druid.close();
                progress.printf("Druid stopped in %.1f s%n", (System.nanoTime() - stopping) / 1e9);
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void druidHoldsEveryCommittedReadingAndNoneOfTheAbortedOnes() throws Exception {
        assertThat(abortedInTheLog).as("the aborted copies are in the topic's log").isEqualTo(PARTITIONS);
        assertThat(committed).noneMatch(record -> record.path("device_id").asText().equals(ABORTED_DEVICE));
        Map<String, Long> byDevice = new HashMap<>();
        for (JsonNode row : druid.sql("SELECT device_id, SUM(readings) AS readings FROM fleet_telemetry"
                + " WHERE device_id IN ('" + ABORTED_DEVICE + "', '" + AFTER_ABORT_DEVICE + "') GROUP BY device_id", Map.of())) {
            byDevice.put(row.get("device_id").asText(), row.get("readings").asLong());
        }
        // The committed copies sit behind the aborted ones in each partition: Druid read past those.
        assertThat(byDevice).isEqualTo(Map.of(AFTER_ABORT_DEVICE, (long) PARTITIONS));
        JsonNode totals = single(druid.sql("SELECT SUM(readings) AS readings, COUNT(*) AS druid_rows FROM fleet_telemetry", Map.of()));
        assertThat(totals.get("readings").asLong()).isEqualTo(committed.size());
        // Rolled up by minute: fewer rows than readings, and at least one per minute and dimension values.
        Set<List<String>> perfectRollup = new HashSet<>();
        for (JsonNode record : committed) {
            List<String> key = new ArrayList<>(List.of(Instant.parse(record.get("event_time").asText()).truncatedTo(ChronoUnit.MINUTES).toString()));
            for (String path : List.of("/device_id", "/vehicle_id", "/firmware_version", "/vehicle/make", "/vehicle/model", "/vehicle/fuel_type",
                    "/vehicle/home_zone", "/enrichment_status", "/reservation/status", "/engine/on", "/lights/headlights/on", "/doors/locked")) {
                key.add(text(record, path));
            }
            perfectRollup.add(key);
        }
        assertThat(totals.get("druid_rows").asLong()).isBetween((long) perfectRollup.size(), committed.size() - 1L);
        progress.printf("Rollup: %d readings in %d Druid rows (%d with perfect rollup)%n", committed.size(), totals.get("druid_rows").asLong(), perfectRollup.size());
    }

    @Test
    void readingsAndBatteryVoltagePerVehicleAreWhatTheJobWrote() throws Exception {
        Map<String, Long> expectedReadings = new TreeMap<>();
        Map<String, Double> expectedVoltage = new TreeMap<>();
        Map<String, Double> expectedMaxSpeed = new TreeMap<>();
        for (JsonNode record : committed) {
            String vehicle = text(record, "/vehicle_id");
            expectedReadings.merge(vehicle, 1L, Long::sum);
            JsonNode voltage = record.at("/battery/voltage_v");
            if (voltage.isNumber()) {
                expectedVoltage.merge(vehicle, voltage.asDouble(), Double::sum);
            }
            JsonNode speed = record.at("/location/speed_kph");
            if (speed.isNumber()) {
                expectedMaxSpeed.merge(vehicle, speed.asDouble(), Math::max);
            }
        }
        assertThat(expectedReadings).hasSize(VEHICLES + 1).containsKey(NONE);
        Map<String, Long> readings = new TreeMap<>();
        Map<String, Double> voltage = new TreeMap<>();
        Map<String, Double> maxSpeed = new TreeMap<>();
        for (JsonNode row : druid.sql("SELECT vehicle_id, SUM(readings) AS readings, SUM(battery_voltage_v_sum) AS voltage_sum,"
                + " MAX(speed_kph_max) AS speed_max FROM fleet_telemetry GROUP BY vehicle_id", Map.of())) {
            String vehicle = text(row, "/vehicle_id");
            readings.put(vehicle, row.get("readings").asLong());
            voltage.put(vehicle, row.get("voltage_sum").asDouble());
            maxSpeed.put(vehicle, row.get("speed_max").asDouble());
        }
        assertThat(readings).isEqualTo(expectedReadings);
        assertThat(voltage.keySet()).isEqualTo(expectedVoltage.keySet());
        expectedVoltage.forEach((vehicle, sum) -> assertThat(voltage.get(vehicle)).as(vehicle).isCloseTo(sum, within(1e-6 * Math.abs(sum) + 1e-6)));
        assertThat(maxSpeed.keySet()).containsAll(expectedMaxSpeed.keySet());
        expectedMaxSpeed.forEach((vehicle, max) -> assertThat(maxSpeed.get(vehicle)).as(vehicle).isEqualTo(max));
    }

    @Test
    void readingsPerHourAreWhatTheJobWrote() throws Exception {
        Map<Instant, Long> expected = new TreeMap<>();
        for (JsonNode record : committed) {
            expected.merge(Instant.parse(record.get("event_time").asText()).truncatedTo(ChronoUnit.HOURS), 1L, Long::sum);
        }
        assertThat(expected.keySet()).anyMatch(hour -> hour.isBefore(now.minus(6, ChronoUnit.DAYS)))
                .anyMatch(hour -> hour.isAfter(now.minus(1, ChronoUnit.DAYS)));
        Map<Instant, Long> hourly = new TreeMap<>();
        for (JsonNode row : druid.sql("SELECT TIME_FLOOR(__time, 'PT1H') AS hour_start, SUM(readings) AS readings FROM fleet_telemetry GROUP BY 1", Map.of())) {
            hourly.put(Instant.parse(row.get("hour_start").asText()), row.get("readings").asLong());
        }
        assertThat(hourly).isEqualTo(expected);
    }

    @Test
    void thisHourAgainstTheSameHourLastWeekByMakeIsWhatTheJobWrote() throws Exception {
        Instant hourNow = now.truncatedTo(ChronoUnit.HOURS);
        Instant hourLastWeek = hourNow.minus(7, ChronoUnit.DAYS);
        Map<String, long[]> expected = new TreeMap<>();
        for (JsonNode record : committed) {
            Instant hour = Instant.parse(record.get("event_time").asText()).truncatedTo(ChronoUnit.HOURS);
            int bucket = hour.equals(hourNow) ? 0 : hour.equals(hourLastWeek) ? 1 : -1;
            if (bucket >= 0) {
                expected.computeIfAbsent(text(record, "/vehicle/make"), make -> new long[2])[bucket]++;
            }
        }
        assertThat(expected.values().stream().mapToLong(counts -> counts[0]).sum()).as("readings this hour").isPositive();
        assertThat(expected.values().stream().mapToLong(counts -> counts[1]).sum()).as("readings in the same hour last week").isPositive();
        // A dashboard's query, relative to CURRENT_TIMESTAMP; the context pins that to when the readings were sent.
        Map<String, String> context = Map.of("sqlCurrentTimestamp", now.toString());
        assertThat(Instant.parse(single(druid.sql("SELECT CURRENT_TIMESTAMP AS sql_now", context)).get("sql_now").asText()))
                .isEqualTo(now.truncatedTo(ChronoUnit.MILLIS));
        String thisHour = "__time >= TIME_FLOOR(CURRENT_TIMESTAMP, 'PT1H') AND __time < TIME_FLOOR(CURRENT_TIMESTAMP, 'PT1H') + INTERVAL '1' HOUR";
        String sameHourLastWeek = "__time >= TIME_FLOOR(CURRENT_TIMESTAMP, 'PT1H') - INTERVAL '7' DAY"
                + " AND __time < TIME_FLOOR(CURRENT_TIMESTAMP, 'PT1H') - INTERVAL '7' DAY + INTERVAL '1' HOUR";
        List<JsonNode> rows = druid.sql("SELECT vehicle_make,"
                + " SUM(readings) FILTER (WHERE " + thisHour + ") AS this_hour,"
                + " SUM(readings) FILTER (WHERE " + sameHourLastWeek + ") AS same_hour_last_week"
                + " FROM fleet_telemetry WHERE (" + thisHour + ") OR (" + sameHourLastWeek + ") GROUP BY vehicle_make", context);
        Map<String, List<Long>> actual = new TreeMap<>();
        for (JsonNode row : rows) {
            actual.put(text(row, "/vehicle_make"), List.of(row.path("this_hour").asLong(0), row.path("same_hour_last_week").asLong(0)));
        }
        Map<String, List<Long>> expectedLists = new TreeMap<>();
        expected.forEach((make, counts) -> expectedLists.put(make, List.of(counts[0], counts[1])));
        assertThat(actual).isEqualTo(expectedLists);
        progress.printf("This hour against the same hour last week, by make: %s%n", actual);
    }

    /** Copies of the last reading for device {@value #ABORTED_DEVICE}, one per partition, aborted; then committed ones for {@value #AFTER_ABORT_DEVICE}. */
    private void abortCopiesThenCommitOthers(String topic) throws IOException {
        List<JsonNode> records = read(topic, IsolationLevel.READ_COMMITTED);
        ObjectNode template = (ObjectNode) records.stream().max(Comparator.comparing(record -> Instant.parse(record.get("event_time").asText()))).orElseThrow();
        Properties properties = stack.clientProperties();
        properties.put("transactional.id", "druid-ingest-test");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            sendCopies(producer, topic, template, ABORTED_DEVICE);
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            sendCopies(producer, topic, template, AFTER_ABORT_DEVICE);
            producer.commitTransaction();
        }
    }

    private static void sendCopies(KafkaProducer<byte[], byte[]> producer, String topic, ObjectNode template, String deviceId) throws IOException {
        ObjectNode copy = template.deepCopy().put("device_id", deviceId);
        long timestamp = Instant.parse(template.get("event_time").asText()).toEpochMilli();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>(topic, partition, timestamp, deviceId.getBytes(java.nio.charset.StandardCharsets.UTF_8), JSON.writeValueAsBytes(copy)));
        }
    }

    private List<JsonNode> read(String topic, IsolationLevel isolation) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), topic, isolation)) {
            records.add(JSON.readTree(record.value()));
        }
        return records;
    }

    /**
     * Waits until a read-committed consumer sees {@code expected} records: the job's last transaction
     * can still be committing when a bounded run has ended.
     */
    private void awaitCommitted(String topic, long expected) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(2).toNanos();
        long seen = Topics.countCommitted(stack.kafka().bootstrapServers(), topic);
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            seen = Topics.countCommitted(stack.kafka().bootstrapServers(), topic);
        }
        progress.printf("%s: %d committed records (of %d expected) %.1f s after the job ended%n", topic, seen, expected, (System.nanoTime() - started) / 1e9);
    }

    /** Polls Druid SQL until it holds {@code expected} readings; fails early when the supervisor is unhealthy, and at the timeout, with its status and the logs. */
    private void awaitIngested(long expected) throws Exception {
        long deadline = System.nanoTime() + INGEST_TIMEOUT.toNanos();
        long lastReport = 0;
        long ingested = -1;
        String lastError = "";
        while (System.nanoTime() < deadline) {
            try {
                ingested = single(druid.sql("SELECT SUM(readings) AS readings FROM fleet_telemetry", Map.of())).path("readings").asLong(0);
            } catch (IOException notYet) {
                lastError = notYet.getMessage(); // the datasource exists once the task has its first rows
            }
            if (ingested >= expected) {
                return;
            }
            JsonNode status = druid.supervisorStatus(supervisor);
            String state = status.at("/payload/detailedState").asText();
            if (state.startsWith("UNHEALTHY") || state.equals("LOST_CONTACT_WITH_STREAM") || state.equals("UNABLE_TO_CONNECT_TO_STREAM")) {
                throw new AssertionError("The supervisor is " + state + ": " + status + "\n" + druid.logTails());
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                progress.printf("  ... supervisor %s, %d of %d readings in Druid%n", state, Math.max(ingested, 0), expected);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("Druid held " + ingested + " of " + expected + " readings after " + INGEST_TIMEOUT.toSeconds() + " s (last SQL error: " + lastError
                + "); supervisor status: " + druid.supervisorStatus(supervisor) + "\n" + druid.logTails());
    }

    private static JsonNode single(List<JsonNode> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    /** The text at a JSON pointer, {@value #NONE} where it is absent or null (Druid's null, or a reading without that state). */
    private static String text(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        return value.isMissingNode() || value.isNull() ? NONE : value.asText();
    }
}
