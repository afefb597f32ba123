package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.local.AlertTail;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.query.LakeQuery;
import dev.tributary.schemas.alerts.Alert;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded run of 50,000 readings (plus refused records) through the real broker, a Flink
 * MiniCluster and Iceberg, checked against what the simulator says it sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryEndToEndTest {
    private static final int VEHICLES = 100;
    private static final long EVENTS = 50_000;

    @TempDir
    static Path lakeDirectory;

    private LocalStack stack;
    private PipelineConfig config;
    private SimulationReport report;
    private List<AlertTail.Received> opened;
    private List<AlertTail.Received> escalated;
    private List<AlertTail.Received> resolved;
    private long unreadableAlerts;

    @BeforeAll
    void runPipeline() throws Exception {
        stack = LocalStack.start(lakeDirectory, 0, 2);
        SimulatorConfig simulator = SimulatorConfig.defaults(VEHICLES, EVENTS).withCollectedIds().withBadInput(12, 10);
        Map<String, String> settings = new HashMap<>(Map.of(
                "source.bounded", "true",
                "checkpoint.interval", "2s",
                "enrichment.max-wait", "60s",
                "rules.headlights.min-duration", simulator.headlightsMinDuration().toString()));
        config = stack.pipelineConfig(settings);
        PipelineRuns runs = new PipelineRuns(stack, config);
        report = runs.produce(simulator);
        try (AlertTail alerts = new AlertTail(stack.kafka().bootstrapServers(), config.alertsTopic())) {
            runs.runBounded(Duration.ofMinutes(10));
            runs.awaitAlerts(alerts, report.scenarios().size() * 2L, Duration.ofSeconds(20));
            opened = alerts.received("opened");
            escalated = alerts.received("escalated");
            resolved = alerts.received("resolved");
            unreadableAlerts = alerts.unreadable();
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyValidReadingIsInTheLakeExactlyOnce() throws Exception {
        assertThat(report.valid()).isEqualTo(EVENTS);
        PipelineRuns.assertEveryValidReadingInTheLakeOnce(config.lake(), report);
    }

    @Test
    void theEnrichedTopicHoldsEveryReadingOnceAndEnriched() {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> statuses = new HashMap<>();
        long[] withReservation = {0};
        Topics.readAll(stack.kafka().bootstrapServers(), config.enrichedTopic(), IsolationLevel.READ_COMMITTED, record -> {
            try {
                JsonNode json = JsonAvroReader.mapper().readTree(record.value());
                seen.merge(json.get("event_id").asText(), 1, Integer::sum);
                statuses.merge(json.get("enrichment_status").asText(), 1, Integer::sum);
                if (!json.get("reservation").isNull()) {
                    withReservation[0]++;
                    assertThat(Integer.parseInt(json.get("vehicle_id").asText().substring(4)) % 2).isZero();
                    assertThat(json.at("/reservation/customer_id").asText()).startsWith("cus-");
                }
                if (json.get("enrichment_status").asText().equals("enriched")) {
                    assertThat(json.at("/vehicle/vin").asText()).startsWith("KMH");
                    assertThat(json.get("vehicle_id").asText()).isEqualTo("veh-" + json.get("device_id").asText().substring(4));
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(seen.keySet()).isEqualTo(report.validEventIds());
        assertThat(seen.values()).allMatch(count -> count == 1);
        assertThat(statuses).containsEntry("device_unknown", (int) report.unknownDeviceReadings())
                .containsEntry("enriched", (int) (EVENTS - report.unknownDeviceReadings()))
                .hasSize(2);
        // Even-numbered vehicles have an active reservation for the whole run. The state is the
        // latest that had arrived when a reading passed: the first readings of a vehicle may be
        // enriched before its reservation row (a separate topic) arrives, never after it is gone.
        long evenVehicleReadings = (EVENTS - report.unknownDeviceReadings()) / 2;
        assertThat(withReservation[0]).isBetween(evenVehicleReadings * 9 / 10, evenVehicleReadings + VEHICLES);
    }

    @Test
    void everyRefusedRecordIsADeadLetterWithItsBytesAndReason() {
        List<ConsumerRecord<byte[], byte[]>> letters = Topics.readAll(stack.kafka().bootstrapServers(), config.deadLetterTopic(), IsolationLevel.READ_COMMITTED);
        assertThat(letters).hasSize((int) report.invalid());
        assertThat(report.invalidByKind()).hasSize(6);
        Map<String, Long> byReason = letters.stream().collect(Collectors.groupingBy(
                letter -> reasonKind(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_REASON)), Collectors.counting()));
        assertThat(byReason).isEqualTo(report.invalidByKind());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_TOPIC)).isEqualTo(config.telemetryTopic());
            assertThat(Long.parseLong(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_OFFSET))).isNotNegative();
            assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_PARTITION)).isNotNull();
            String reason = DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_REASON);
            if (reason.startsWith("event too large")) {
                assertThat(letter.value().length).isGreaterThan(1_000_000);
            }
            if (reason.contains("value is null")) {
                assertThat(letter.value()).isNull();
            }
            if (reason.contains("has no bytes")) {
                assertThat(letter.value()).isEmpty();
            }
        }
    }

    private static String reasonKind(String reason) {
        if (reason.startsWith("malformed JSON")) {
            return "malformed_json";
        }
        if (reason.startsWith("missing required field at 'engine.on'")) {
            return "missing_field";
        }
        if (reason.startsWith("wrong type: expected double, found string at 'battery.voltage_v'")) {
            return "wrong_type";
        }
        if (reason.startsWith("empty message: the record value has no bytes")) {
            return "empty";
        }
        if (reason.startsWith("empty message: the record value is null")) {
            return "null_value";
        }
        if (reason.startsWith("event too large")) {
            return "oversized";
        }
        return "unexpected: " + reason;
    }

    @Test
    void everyInjectedScenarioOpensExactlyOneAlertOfItsTypeAndNothingElseDoes() {
        assertThat(report.scenarios(Scenario.HEADLIGHTS_LEFT_ON)).isGreaterThanOrEqualTo(5);
        assertThat(report.scenarios(Scenario.BATTERY_DRAIN)).isGreaterThanOrEqualTo(3);
        assertThat(report.scenarios(Scenario.ENGINE_OVERHEAT)).isGreaterThanOrEqualTo(3);
        assertThat(unreadableAlerts).isZero();
        // Every alert belongs to an injected scenario: the clean vehicles (seven in ten) raise none.
        assertThat(opened).hasSize(report.scenarios().size());
        for (Scenario scenario : report.scenarios()) {
            assertThat(opened).as("%s", scenario).filteredOn(received -> received.alert().getAlertType().equals(scenario.alertType())
                    && received.alert().getEntityId().equals(scenario.vehicleId())
                    && !received.alert().getConditionSince().isBefore(scenario.conditionStart())
                    && received.alert().getConditionSince().isBefore(scenario.conditionEnd())).hasSize(1);
        }
        // Headlights start exactly with the scenario and open after the rule's duration.
        for (AlertTail.Received received : opened) {
            Alert alert = received.alert();
            if (alert.getAlertType().equals(Scenario.HEADLIGHTS_LEFT_ON)) {
                assertThat(report.scenarios()).anyMatch(scenario -> scenario.vehicleId().equals(alert.getEntityId())
                        && scenario.conditionStart().equals(alert.getConditionSince()));
                assertThat(Duration.between(alert.getConditionSince(), alert.getObservedAt())).isEqualTo(Duration.ofMinutes(5));
            }
        }
        // The battery drains past the alarm threshold and the coolant past 115 °C: each escalates once.
        assertThat(escalated).hasSize((int) (report.scenarios(Scenario.BATTERY_DRAIN) + report.scenarios(Scenario.ENGINE_OVERHEAT)));
        assertThat(escalated).allSatisfy(received -> assertThat(received.alert().getSeverity()).isEqualTo("alarm"));
        assertThat(resolved).hasSize(opened.size());
        for (AlertTail.Received received : opened) {
            CloudEvent event = received.event();
            Alert alert = received.alert();
            assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
            assertThat(event.getType()).isEqualTo("dev.tributary.alert.opened");
            assertThat(event.getId()).isEqualTo(alert.getAlertId() + ".opened");
            assertThat(event.getSubject()).isEqualTo(alert.getVehicleId());
            assertThat(event.getExtension("alerttype")).isEqualTo(alert.getAlertType());
            assertThat(alert.getEntityType()).isEqualTo("vehicle");
            assertThat(alert.getSeverity()).isEqualTo("warning");
            assertThat(alert.getExplanation()).contains(alert.getVehicleId());
        }
    }

    @Test
    void eachDistinctDriftInTheBadInputIsReportedOnceWithAnExample() throws Exception {
        // Of the refused records, two kinds still parse as JSON objects and differ from the schema:
        // engine.on left out, and battery.voltage_v as a string. Each is reported once, however
        // many records show it.
        assertThat(report.invalidByKind()).containsKeys("missing_field", "wrong_type");
        List<JsonNode> changes = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(), IsolationLevel.READ_UNCOMMITTED)) {
            CloudEvent event = AlertCloudEvents.fromKafkaRecord(record);
            assertThat(event.getType()).isEqualTo("dev.tributary.schema.changed");
            assertThat(event.getSource()).hasToString("/tributary/" + config.pipelineName() + "/telemetry");
            changes.add(JsonAvroReader.mapper().readTree(event.getData().toBytes()));
        }
        assertThat(changes).extracting(change -> change.get("kind").asText() + " " + change.get("path").asText())
                .containsExactlyInAnyOrder("field_missing engine.on", "type_changed battery.voltage_v");
        for (JsonNode change : changes) {
            assertThat(change.get("subject").asText()).isEqualTo("dev.tributary.schemas.telemetry.TelemetryReading");
            assertThat(change.at("/example/topic").asText()).isEqualTo(config.telemetryTopic());
            assertThat(change.at("/example/offset").asLong()).isNotNegative();
        }
    }

    @Test
    void everyAlertEventIsInTheLakesAlertTableOnce() throws Exception {
        List<String> published = new java.util.ArrayList<>();
        for (List<AlertTail.Received> events : List.of(opened, escalated, resolved)) {
            events.forEach(received -> published.add(received.alert().getAlertId() + " " + received.alert().getStatus()));
        }
        List<String> inLake = new java.util.ArrayList<>();
        try (dev.tributary.local.LakeInspector lake = new dev.tributary.local.LakeInspector(config.lake());
             org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.data.Record> records = org.apache.iceberg.data.IcebergGenerics
                     .read(lake.load(dev.tributary.alerts.AlertTable.identifier(config.lake(), config.notifications()))).build()) {
            for (org.apache.iceberg.data.Record record : records) {
                inLake.add(record.getField("alert_id") + " " + record.getField("status"));
            }
        }
        assertThat(published).isNotEmpty();
        assertThat(inLake).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void theLakeIsOrcAndAnswersSqlThroughTheCatalog() throws Exception {
        try (Stream<Path> files = Files.walk(stack.lake().warehouse())) {
            List<Path> dataFiles = files.filter(path -> path.toString().contains("/data/")).filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().startsWith(".")).toList();
            assertThat(dataFiles).isNotEmpty().allMatch(path -> path.toString().endsWith(".orc"));
        }
        try (LakeQuery query = new LakeQuery(config.lake())) {
            List<Row> rows = query.rows("SELECT count(*), count(DISTINCT event_id), count(DISTINCT device_id) FROM telemetry");
            assertThat(rows).hasSize(1);
            assertThat(((Number) rows.get(0).getField(0)).longValue()).isEqualTo(EVENTS);
            assertThat(((Number) rows.get(0).getField(1)).longValue()).isEqualTo(EVENTS);
            assertThat(((Number) rows.get(0).getField(2)).longValue()).isEqualTo(VEHICLES + report.unknownDeviceReadings());
        }
    }

    @Test
    void theNotebookQueriesAnswerOnTheLake() throws Exception {
        List<String> statements = NotebookSql.statements(Path.of("..", "notebooks", "sql"));
        assertThat(statements).hasSizeGreaterThanOrEqualTo(4);
        try (LakeQuery query = new LakeQuery(config.lake())) {
            for (String statement : statements) {
                assertThat(query.rows(statement)).as(statement).isNotEmpty();
            }
        }
    }
}
