package dev.tributary.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema-compatibility guard. Data written with any recorded version of a top-level schema
 * (in Kafka topics, in the lake) must stay readable by the current schema, and every change
 * to a schema must be recorded as the next version in {@code schemas/history}.
 */
class SchemaCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Schema> topLevelSchemas() {
        return SchemaHistory.TOP_LEVEL.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("topLevelSchemas")
    void currentSchemaReadsDataOfEveryRecordedVersion(Schema current) {
        List<SchemaHistory.Version> versions = SchemaHistory.ofModule().versions(current);
        assertThat(versions)
                .as("no recorded version of %s in %s: record the current schema as v1 (SchemaHistory#main)",
                        current.getFullName(), SchemaHistory.ofModule().directoryOf(current))
                .isNotEmpty();

        List<String> problems = backwardProblems(current, versions);

        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("topLevelSchemas")
    void currentSchemaIsTheNewestRecordedVersion(Schema current) {
        SchemaHistory history = SchemaHistory.ofModule();

        String problem = unrecordedChange(current, history);

        if (problem != null) {
            fail(problem);
        }
    }

    @Test
    void versionsAreNumberedWithoutGaps() {
        SchemaHistory history = SchemaHistory.ofModule();
        for (Schema schema : SchemaHistory.TOP_LEVEL) {
            List<Integer> numbers = history.versions(schema).stream().map(SchemaHistory.Version::number).toList();
            for (int i = 0; i < numbers.size(); i++) {
                assertThat(numbers.get(i)).as("versions of %s: %s", schema.getFullName(), numbers).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void recordedVersionsAreSelfContainedAndNameTheirRecord() {
        SchemaHistory history = SchemaHistory.ofModule();
        for (Schema schema : SchemaHistory.TOP_LEVEL) {
            for (SchemaHistory.Version version : history.versions(schema)) {
                // Parsed on its own by SchemaHistory, without the named types of telemetry.avsc.
                assertThat(version.schema().getFullName()).as("%s", version.file()).isEqualTo(schema.getFullName());
            }
        }
    }

    @Test
    void newRequiredFieldWithoutDefaultIsIncompatible() throws IOException {
        Schema current = TelemetryReading.getClassSchema();
        ObjectNode variant = (ObjectNode) JSON.readTree(current.toString());
        ((ArrayNode) variant.get("fields")).addObject().put("name", "odometer_km").put("type", "double");
        Schema incompatible = new Schema.Parser().parse(variant.toString());

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(incompatible, current);
        List<String> problems = backwardProblems(incompatible, List.of(new SchemaHistory.Version(1, Path.of("v1.avsc"), current)));

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities())
                .extracting(Incompatibility::getType)
                .contains(SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
        assertThat(problems).singleElement().asString()
                .contains(TelemetryReading.getClassSchema().getFullName(), "v1", "READER_FIELD_MISSING_DEFAULT_VALUE", "odometer_km");
    }

    @Test
    void fieldTypeChangedFromDoubleToStringIsIncompatible() throws IOException {
        Schema current = TelemetryReading.getClassSchema();
        ObjectNode variant = (ObjectNode) JSON.readTree(current.toString());
        ObjectNode voltage = (ObjectNode) findField(findField(variant, "battery").get("type"), "voltage_v");
        voltage.put("type", "string");
        Schema incompatible = new Schema.Parser().parse(variant.toString());

        Schema.Field battery = current.getField("battery");
        String voltagePointer = "/fields/" + battery.pos() + "/type/fields/" + battery.schema().getField("voltage_v").pos() + "/type";

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(incompatible, current);
        List<String> problems = backwardProblems(incompatible, List.of(new SchemaHistory.Version(3, Path.of("v3.avsc"), current)));

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities())
                .anySatisfy(incompatibility -> {
                    assertThat(incompatibility.getType()).isEqualTo(SchemaCompatibility.SchemaIncompatibilityType.TYPE_MISMATCH);
                    assertThat(incompatibility.getLocation()).isEqualTo(voltagePointer);
                });
        assertThat(problems).singleElement().asString().contains("v3", "TYPE_MISMATCH", voltagePointer);
    }

    @Test
    void newOptionalFieldWithDefaultIsCompatibleButMustBeRecorded(@TempDir Path directory) throws IOException {
        Schema current = TelemetryReading.getClassSchema();
        SchemaHistory history = new SchemaHistory(directory);
        Path v1 = history.nextVersionFile(current);
        Files.createDirectories(v1.getParent());
        Files.writeString(v1, current.toString(true), StandardCharsets.UTF_8);
        ObjectNode variant = (ObjectNode) JSON.readTree(current.toString());
        ObjectNode added = ((ArrayNode) variant.get("fields")).addObject().put("name", "odometer_km");
        added.putArray("type").add("null").add("double");
        added.putNull("default");
        Schema evolved = new Schema.Parser().parse(variant.toString());

        assertThat(backwardProblems(evolved, history.versions(current))).isEmpty();
        assertThat(unrecordedChange(current, history)).isNull();
        assertThat(unrecordedChange(evolved, history))
                .contains(current.getFullName(), "v1", directory.resolve(current.getFullName()).resolve("v2.avsc").toString());
    }

    @Test
    void changedDefaultCountsAsAChange() throws IOException {
        Schema current = TelemetryReading.getClassSchema();
        String json = current.toString();
        String changedJson = json.replace("\"name\":\"hazard_on\",\"type\":\"boolean\",\"default\":false",
                "\"name\":\"hazard_on\",\"type\":\"boolean\",\"default\":true");
        assertThat(changedJson).isNotEqualTo(json);

        assertThat(sameSchema(current, new Schema.Parser().parse(changedJson))).isFalse();
        assertThat(sameSchema(current, new Schema.Parser().parse(current.toString(true)))).isTrue();
    }

    /** Every way data written with a recorded version cannot be read with {@code current}. */
    static List<String> backwardProblems(Schema current, List<SchemaHistory.Version> versions) {
        List<String> problems = new ArrayList<>();
        for (SchemaHistory.Version version : versions) {
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, version.schema());
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                StringBuilder message = new StringBuilder()
                        .append(current.getFullName()).append(": the current schema cannot read data written with v")
                        .append(version.number()).append(" (").append(version.file()).append("):");
                for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                    message.append("\n  ").append(incompatibility.getType())
                            .append(" at ").append(incompatibility.getLocation())
                            .append(": ").append(incompatibility.getMessage());
                }
                problems.add(message.toString());
            }
        }
        return problems;
    }

    /** Null when {@code current} is the newest recorded version, else what the developer must do. */
    static String unrecordedChange(Schema current, SchemaHistory history) {
        List<SchemaHistory.Version> versions = history.versions(current);
        if (versions.isEmpty()) {
            return current.getFullName() + " has no recorded version: save Schema.toString(true) of the current schema as "
                    + history.nextVersionFile(current) + " (run SchemaHistory#main from schemas/)";
        }
        SchemaHistory.Version newest = versions.get(versions.size() - 1);
        if (sameSchema(newest.schema(), current)) {
            return null;
        }
        return current.getFullName() + " differs from its newest recorded version v" + newest.number() + " (" + newest.file()
                + "). Record the current schema as the next version, " + history.nextVersionFile(current)
                + " (Schema.toString(true), or run SchemaHistory#main from schemas/).";
    }

    /**
     * Whether two schemas are the same for the data they describe: the same parsing canonical
     * form (names, types, order) and the same defaults and logical types, which the canonical
     * form leaves out. Documentation does not count.
     */
    static boolean sameSchema(Schema a, Schema b) {
        return SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b) && a.equals(b);
    }

    private static JsonNode findField(JsonNode record, String name) {
        for (JsonNode field : record.get("fields")) {
            if (field.get("name").asText().equals(name)) {
                return field;
            }
        }
        throw new AssertionError("no field " + name + " in " + record);
    }
}
