package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The drift corpus: each kind at depth 1 and at depth 5, inside arrays and maps; and what is not drift. */
class JsonShapeCheckTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Schema SCHEMA = schema();

    static Schema schema() {
        try (InputStream in = JsonShapeCheckTest.class.getResourceAsStream("/drift/vehicle-event.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid event; every test changes one thing. */
    static ObjectNode valid() {
        try {
            return (ObjectNode) MAPPER.readTree("""
                    {"event_id": "e1", "event_time": "2025-03-14T09:00:00Z", "speed_kph": 42.5, "odometer_km": 12000,
                     "firmware": "4.2.1",
                     "vehicle": {"vin": "KMH1", "body": {"color": "blue", "doors": {
                         "front_left": {"open": false, "window_pct": 0.0}, "front_right": {"open": true}}}},
                     "diagnostics": [{"code": "P0420", "level": 1}, {"code": "P0562", "level": 2}],
                     "tags": {"fleet": "seoul", "tier": "gold"}}
                    """);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode at(ObjectNode root, String... path) {
        ObjectNode node = root;
        for (String name : path) {
            node = (ObjectNode) node.get(name);
        }
        return node;
    }

    static Arguments drift(String name, Consumer<ObjectNode> change, String kind, String path, String expected, String found) {
        return Arguments.of(name, change, kind, path, expected, found);
    }

    static List<Arguments> driftCases() {
        return List.of(
                drift("added, depth 1", e -> e.put("driver_score", 7), "field_added", "driver_score", null, "integer"),
                drift("added, depth 5", e -> at(e, "vehicle", "body", "doors", "front_left").put("ajar", true),
                        "field_added", "vehicle.body.doors.front_left.ajar", null, "boolean"),
                drift("added object reported once", e -> at(e, "vehicle", "body").putObject("roof").putObject("rack").put("load_kg", 20),
                        "field_added", "vehicle.body.roof", null, "object"),
                drift("added inside an array", e -> ((ObjectNode) e.get("diagnostics").get(1)).put("ecu", "engine"),
                        "field_added", "diagnostics[].ecu", null, "string"),
                drift("missing, depth 1", e -> e.remove("odometer_km"), "field_missing", "odometer_km", "long", null),
                drift("missing, depth 5", e -> at(e, "vehicle", "body", "doors", "front_right").remove("open"),
                        "field_missing", "vehicle.body.doors.front_right.open", "boolean", null),
                drift("missing inside an array", e -> ((ObjectNode) e.get("diagnostics").get(0)).remove("level"),
                        "field_missing", "diagnostics[].level", "int", null),
                drift("number to string, depth 1", e -> e.put("speed_kph", "fast"), "type_changed", "speed_kph", "double", "string"),
                drift("scalar to object, depth 5", e -> at(e, "vehicle", "body", "doors", "front_left").putObject("open").put("since", 3),
                        "type_changed", "vehicle.body.doors.front_left.open", "boolean", "object"),
                drift("object to array", e -> at(e, "vehicle").putArray("body"), "type_changed", "vehicle.body", "record", "array"),
                drift("fraction in a long", e -> e.put("odometer_km", 12000.5), "type_changed", "odometer_km", "long", "number"),
                drift("array elements change shape", e -> ((ArrayNode) e.get("diagnostics")).add("P0300"),
                        "type_changed", "diagnostics[]", "record", "string"),
                drift("map values change shape", e -> at(e, "tags").putObject("region").put("name", "north"),
                        "type_changed", "tags{}", "string", "object"),
                drift("null in required, depth 1", e -> e.putNull("event_id"), "null_in_required", "event_id", "string", "null"),
                drift("null in required, depth 5", e -> at(e, "vehicle", "body", "doors", "front_left").putNull("open"),
                        "null_in_required", "vehicle.body.doors.front_left.open", "boolean", "null"),
                drift("null in required inside an array", e -> ((ObjectNode) e.get("diagnostics").get(0)).putNull("code"),
                        "null_in_required", "diagnostics[].code", "string", "null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("driftCases")
    void eachKindOfDriftIsFoundOnceAtItsPath(String name, Consumer<ObjectNode> change, String kind, String path, String expected, String found) {
        ObjectNode event = valid();
        change.accept(event);
        List<SchemaChange> changes = new JsonShapeCheck(SCHEMA).check(event);
        assertThat(changes).singleElement().satisfies(only -> {
            assertThat(only.kind().code()).isEqualTo(kind);
            assertThat(only.path()).isEqualTo(path);
            assertThat(only.expected()).isEqualTo(expected);
            assertThat(only.found()).isEqualTo(found);
        });
    }

    static List<Arguments> cleanCases() {
        return List.<Arguments>of(
                Arguments.of("the valid event", (Consumer<ObjectNode>) e -> { }),
                Arguments.of("key order", (Consumer<ObjectNode>) e -> {
                    JsonNode vehicle = e.remove("vehicle");
                    JsonNode id = e.remove("event_id");
                    e.set("vehicle", vehicle);
                    e.set("event_id", id);
                }),
                Arguments.of("null in an optional field", (Consumer<ObjectNode>) e -> at(e, "vehicle", "body").putNull("color")),
                Arguments.of("optional field absent, depth 5", (Consumer<ObjectNode>) e -> at(e, "vehicle", "body", "doors", "front_left").remove("window_pct")),
                Arguments.of("field with a default absent", (Consumer<ObjectNode>) e -> e.remove("diagnostics")),
                Arguments.of("integer in a double", (Consumer<ObjectNode>) e -> e.put("speed_kph", 42)),
                Arguments.of("empty array", (Consumer<ObjectNode>) e -> e.putArray("diagnostics")),
                Arguments.of("empty map", (Consumer<ObjectNode>) e -> e.putObject("tags")),
                Arguments.of("epoch millis for a timestamp", (Consumer<ObjectNode>) e -> e.put("event_time", 1741942800000L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cleanCases")
    void whatIsNotDrift(String name, Consumer<ObjectNode> change) {
        ObjectNode event = valid();
        change.accept(event);
        assertThat(new JsonShapeCheck(SCHEMA).check(event)).isEmpty();
    }

    @Test
    void aDriftCheckCountsEventsAndKeepsTheFirstIndex() {
        DriftCheck check = new DriftCheck(SCHEMA);
        for (int i = 0; i < 5; i++) {
            ObjectNode event = valid();
            if (i >= 2) {
                ((ObjectNode) event.get("diagnostics").get(0)).put("ecu", "engine");
                ((ObjectNode) event.get("diagnostics").get(1)).put("ecu", "body");
            }
            check.add(i, event.toString());
        }
        check.add(5, "{not json");
        assertThat(check.findings()).hasSize(2);
        DriftCheck.Finding added = check.findings().get(0);
        assertThat(added.path()).isEqualTo("diagnostics[].ecu");
        assertThat(added.firstIndex()).isEqualTo(2);
        assertThat(added.count()).as("an event with it in two elements counts once").isEqualTo(3);
        assertThat(DriftCheck.toJson(check.findings().get(1))).startsWith("{\"kind\":\"invalid_json\",\"index\":5,\"first_index\":5,\"count\":1");
        assertThat(check.events()).isEqualTo(6);
    }
}
