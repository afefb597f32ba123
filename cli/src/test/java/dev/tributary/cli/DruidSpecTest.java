package dev.tributary.cli;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.config.PipelineConfig;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.schemas.telemetry.ReservationInfo;
import dev.tributary.schemas.telemetry.VehicleInfo;
import dev.tributary.simulator.Fleet;
import dev.tributary.simulator.FleetSimulator;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.EnrichedSerializer;
import dev.tributary.telemetry.EnrichmentStatus;
import dev.tributary.telemetry.ParsedTelemetry;
import dev.tributary.telemetry.TelemetryParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Druid supervisor spec of deploy/druid against what the telemetry job really writes on
 * {@code fleet.telemetry.enriched}: a simulated reading, parsed by the job's parser, enriched as the
 * joins enrich it, serialized by the job's {@link EnrichedSerializer}. Every column the spec reads
 * (timestamp, dimensions, metrics' fields, flattenSpec paths) must resolve to a value in that JSON.
 */
class DruidSpecTest {
    private static final Path ROOT = Path.of("..");
    private static final Path SPEC = ROOT.resolve("deploy/druid/fleet-telemetry-supervisor.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PipelineConfig config;
    private static JsonNode record;

    @BeforeAll
    static void serializeAnEnrichedReading() throws Exception {
        config = PipelineConfig.fromFile(ROOT.resolve("deploy/flink/telemetry.properties"), Map.of());
        EnrichedTelemetry reading = enrichedReading();
        ProducerRecord<byte[], byte[]> produced = new EnrichedSerializer(config.enrichedTopic()).serialize(reading, null, null);
        record = JSON.readTree(produced.value());
        assertThat(produced.timestamp()).isEqualTo(reading.getEventTime().toEpochMilli());
    }

    @Test
    void everyColumnTheSpecReadsIsInTheEnrichedTopicsRecords() throws IOException {
        JsonNode spec = JSON.readTree(SPEC.toFile());
        assertThat(SpecCheck.problems(spec, record)).as("spec against " + record).isEmpty();
        // Not vacuous: the spec reads the nested fields through its flattenSpec.
        assertThat(SpecCheck.flattenedPaths(spec)).contains("$.battery.voltage_v", "$.engine.coolant_temp_c", "$.vehicle.make",
                "$.vehicle.home_zone", "$.engine.on", "$.location.speed_kph");
        assertThat(SpecCheck.dimensions(spec)).contains("device_id", "vehicle_id", "vehicle_make", "vehicle_model",
                "enrichment_status", "engine_on", "vehicle_home_zone");
    }

    @Test
    void theSpecReadsTheJobsTopicTransactionallyAndRollsUpByMinuteIntoHourSegments() throws IOException {
        JsonNode spec = JSON.readTree(SPEC.toFile());
        assertThat(spec.path("type").asText()).isEqualTo("kafka");
        JsonNode io = spec.at("/spec/ioConfig");
        assertThat(io.path("topic").asText()).isEqualTo(config.enrichedTopic()).isEqualTo("fleet.telemetry.enriched");
        assertThat(io.at("/inputFormat/type").asText()).isEqualTo("json");
        assertThat(io.at("/consumerProperties/bootstrap.servers").asText()).isEqualTo(config.bootstrapServers());
        assertThat(io.at("/consumerProperties/isolation.level").asText()).as("the topic is written in Kafka transactions").isEqualTo("read_committed");
        JsonNode granularity = spec.at("/spec/dataSchema/granularitySpec");
        assertThat(granularity.path("segmentGranularity").asText()).isEqualTo("HOUR");
        assertThat(granularity.path("queryGranularity").asText()).isEqualTo("MINUTE");
        assertThat(granularity.path("rollup").asBoolean()).isTrue();
        assertThat(spec.at("/spec/dataSchema/timestampSpec/column").asText()).isEqualTo("event_time");
        assertThat(spec.at("/spec/dataSchema/timestampSpec/format").asText())
                .as("AvroJsonWriter writes timestamp-millis as ISO-8601 text").isEqualTo("iso");
    }

    @Test
    void theCheckFindsColumnsTheTopicLacks() throws IOException {
        ObjectNode spec = (ObjectNode) JSON.readTree(SPEC.toFile());
        ((ArrayNode) spec.at("/spec/dataSchema/dimensionsSpec/dimensions")).add("vehicle_color");
        ((ArrayNode) spec.at("/spec/ioConfig/inputFormat/flattenSpec/fields")).addObject()
                .put("type", "path").put("name", "vehicle_color").put("expr", "$.vehicle.color");
        ((ArrayNode) spec.at("/spec/dataSchema/metricsSpec")).addObject()
                .put("type", "doubleSum").put("name", "battery_current_sum").put("fieldName", "battery_current_a");
        assertThat(SpecCheck.problems(spec, record)).containsExactlyInAnyOrder(
                "flattenSpec field vehicle_color: $.vehicle.color is absent",
                "dimension vehicle_color is absent",
                "metric battery_current_sum reads battery_current_a, which is absent");

        ObjectNode wrongTime = (ObjectNode) JSON.readTree(SPEC.toFile());
        ((ObjectNode) wrongTime.at("/spec/dataSchema/timestampSpec")).put("format", "millis");
        assertThat(SpecCheck.problems(wrongTime, record)).containsExactly("timestamp event_time is not in format millis: " + record.get("event_time"));
        ((ObjectNode) wrongTime.at("/spec/dataSchema/timestampSpec")).put("column", "timestamp").put("format", "iso");
        assertThat(SpecCheck.problems(wrongTime, record)).containsExactly("timestamp column timestamp is absent");
    }

    /** One reading of the simulated fleet, parsed by the job's parser and enriched as the device and vehicle joins do it. */
    private static EnrichedTelemetry enrichedReading() {
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        Instant now = Instant.parse("2026-01-02T00:00:00Z");
        new FleetSimulator(SimulatorConfig.defaults(2, 20).withBadInput(0, 0).withoutNullKeys()).run(producer, "fleet.telemetry.raw", now);
        sent.addAll(producer.history());
        TelemetryParser parser = new TelemetryParser(1 << 20);
        ParsedTelemetry parsed = parser.parse("fleet.telemetry.raw", 0, 7, 0, sent.get(0).key(), sent.get(0).value(), now.toEpochMilli());
        EnrichedTelemetry reading = requireNonNull(parsed.reading(), "the simulator's first reading is invalid");

        Fleet fleet = new Fleet(2, 42);
        Map<String, Map<String, Object>> devices = rowsById(fleet, "devices", now);
        String vehicleId = (String) devices.get(reading.getDeviceId()).get("vehicle_id");
        Map<String, Object> vehicle = rowsById(fleet, "vehicles", now).get(vehicleId);
        Map<String, Object> reservation = rowsById(fleet, "reservations", now).values().iterator().next();
        reading.setVehicleId(vehicleId);
        reading.setVehicle(VehicleInfo.newBuilder()
                .setVin((String) vehicle.get("vin"))
                .setMake((String) vehicle.get("make"))
                .setModel((String) vehicle.get("model"))
                .setModelYear((Integer) vehicle.get("model_year"))
                .setFuelType((String) vehicle.get("fuel_type"))
                .setHomeZone((String) vehicle.get("home_zone"))
                .build());
        reading.setReservation(ReservationInfo.newBuilder()
                .setReservationId((String) reservation.get("id"))
                .setCustomerId((String) reservation.get("customer_id"))
                .setStatus((String) reservation.get("status"))
                .setStartsAt((Instant) reservation.get("starts_at"))
                .setEndsAt((Instant) reservation.get("ends_at"))
                .build());
        reading.setEnrichmentStatus(EnrichmentStatus.ENRICHED.value());
        reading.setEnrichmentWaitMs(120L);
        return reading;
    }

    private static Map<String, Map<String, Object>> rowsById(Fleet fleet, String table, Instant now) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Fleet.TableRows rowsOfTable : fleet.rows(now.minus(1, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS))) {
            if (rowsOfTable.table().equals(table)) {
                rowsOfTable.rows().forEach(row -> rows.put((String) row.get("id"), row));
            }
        }
        return rows;
    }

    /**
     * What a Druid Kafka supervisor spec reads from one JSON record, as Druid's JSON input format
     * reads it: flattenSpec {@code path} fields ({@code $.a.b} JSONPaths), and with field discovery
     * the record's top-level primitive fields; then the timestamp column, the dimensions and each
     * metric's {@code fieldName} among those.
     */
    static final class SpecCheck {
        private static final Set<String> NUMERIC_METRICS = Set.of("doubleSum", "doubleMin", "doubleMax", "longSum", "longMin", "longMax",
                "floatSum", "floatMin", "floatMax");

        private SpecCheck() {}

        static List<String> flattenedPaths(JsonNode spec) {
            List<String> paths = new ArrayList<>();
            spec.at("/spec/ioConfig/inputFormat/flattenSpec/fields").forEach(field -> paths.add(field.path("expr").asText()));
            return paths;
        }

        static List<String> dimensions(JsonNode spec) {
            List<String> names = new ArrayList<>();
            for (JsonNode dimension : spec.at("/spec/dataSchema/dimensionsSpec/dimensions")) {
                names.add(dimension.isTextual() ? dimension.asText() : dimension.path("name").asText());
            }
            return names;
        }

        /** Each column of the spec that the record does not provide, described; empty when all resolve. */
        static List<String> problems(JsonNode spec, JsonNode record) {
            List<String> problems = new ArrayList<>();
            Map<String, JsonNode> columns = new LinkedHashMap<>();
            JsonNode flatten = spec.at("/spec/ioConfig/inputFormat/flattenSpec");
            if (flatten.isMissingNode() || flatten.path("useFieldDiscovery").asBoolean(true)) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = record.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                        columns.put(field.getKey(), field.getValue());
                    }
                }
            }
            for (JsonNode field : flatten.path("fields")) {
                String name = field.path("name").asText();
                String type = field.path("type").asText();
                if (type.equals("root")) {
                    JsonNode value = record.get(name);
                    if (value == null || value.isNull()) {
                        problems.add("flattenSpec field " + name + " is absent");
                    } else {
                        columns.put(name, value);
                    }
                    continue;
                }
                if (!type.equals("path")) {
                    problems.add("flattenSpec field " + name + " has type " + type + ", which this check does not read");
                    continue;
                }
                String expression = field.path("expr").asText();
                JsonNode value = resolve(record, expression);
                if (value == null) {
                    problems.add("flattenSpec field " + name + ": " + expression + (expression.matches("\\$(\\.[A-Za-z0-9_]+)+") ? " is absent" : " is not a $.a.b path"));
                } else {
                    columns.put(name, value);
                }
            }
            JsonNode timestamp = spec.at("/spec/dataSchema/timestampSpec");
            String timeColumn = timestamp.path("column").asText("timestamp");
            JsonNode time = columns.get(timeColumn);
            if (time == null) {
                problems.add("timestamp column " + timeColumn + " is absent");
            } else if (!parsesAs(time, timestamp.path("format").asText("auto"))) {
                problems.add("timestamp " + timeColumn + " is not in format " + timestamp.path("format").asText("auto") + ": " + time);
            }
            for (String dimension : dimensions(spec)) {
                if (!columns.containsKey(dimension)) {
                    problems.add("dimension " + dimension + " is absent");
                }
            }
            for (JsonNode metric : spec.at("/spec/dataSchema/metricsSpec")) {
                String type = metric.path("type").asText();
                String fieldName = metric.path("fieldName").asText(null);
                if (type.equals("count") || fieldName == null) {
                    continue;
                }
                JsonNode value = columns.get(fieldName);
                if (value == null) {
                    problems.add("metric " + metric.path("name").asText() + " reads " + fieldName + ", which is absent");
                } else if (NUMERIC_METRICS.contains(type) && !value.isNumber()) {
                    problems.add("metric " + metric.path("name").asText() + " reads " + fieldName + ", which is not a number: " + value);
                }
            }
            return problems;
        }

        /** The value at a {@code $.a.b} path, or null when the path is not of that form or leads nowhere (or to null). */
        static JsonNode resolve(JsonNode record, String expression) {
            if (!expression.matches("\\$(\\.[A-Za-z0-9_]+)+")) {
                return null;
            }
            JsonNode node = record;
            for (String step : expression.substring(2).split("\\.")) {
                node = node.get(step);
                if (node == null || node.isNull()) {
                    return null;
                }
            }
            return node;
        }

        private static boolean parsesAs(JsonNode value, String format) {
            switch (format) {
                case "iso":
                    return value.isTextual() && parsesAsInstant(value.asText());
                case "millis":
                case "posix":
                case "micro":
                case "nano":
                    return value.isIntegralNumber();
                case "auto":
                    return value.isIntegralNumber() || value.isTextual() && parsesAsInstant(value.asText());
                default:
                    return false;
            }
        }

        private static boolean parsesAsInstant(String text) {
            try {
                Instant.parse(text);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }
}
