package dev.tributary.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class JsonAvroReaderTest {
    private final JsonAvroReader reader = new JsonAvroReader(SpecificData.getForClass(TelemetryReading.class));

    @Test
    void fullReadingSurvivesWriteAndRead() throws Exception {
        TelemetryReading original = TelemetryFixtures.fullReading();

        byte[] json = AvroJsonWriter.toJsonBytes(original);
        TelemetryReading read = reader.read(json, TelemetryReading.getClassSchema());

        assertThat(read).isInstanceOf(TelemetryReading.class).isEqualTo(original);
        assertThat(read.getDiagnostics()).hasSize(2);
        assertThat(read.getDiagnostics().get(1).getMessage()).isNull();
    }

    @Test
    void writerProducesPlainJsonWithIsoTimestampsAndNoUnionWrappers() throws Exception {
        JsonNode json = JsonAvroReader.mapper().readTree(AvroJsonWriter.toJsonBytes(TelemetryFixtures.fullReading()));

        assertThat(json.get("event_time").textValue()).isEqualTo(TelemetryFixtures.EVENT_TIME.toString());
        assertThat(json.get("firmware_version").isTextual()).isTrue();
        assertThat(json.at("/engine/oil_pressure_kpa").doubleValue()).isEqualTo(180.25);
        assertThat(json.at("/diagnostics/1/message").isNull()).isTrue();
    }

    @Test
    void missingRequiredFieldIsReportedWithItsPath() {
        byte[] json = edited(root -> object(root, "engine").remove("on"));

        assertInvalid(json, "engine.on", "missing required field");
    }

    @Test
    void wrongTypeIsReportedWithItsPathAndTheTypes() {
        byte[] json = edited(root -> object(root, "battery").put("voltage_v", "twelve"));

        InvalidRecordException error = assertInvalid(json, "battery.voltage_v", "wrong type: expected double, found string");
        assertThat(error.getMessage()).isEqualTo("wrong type: expected double, found string at 'battery.voltage_v'");
    }

    @Test
    void nullInRequiredFieldIsReported() {
        byte[] json = edited(root -> object(root, "engine").putNull("rpm"));

        assertInvalid(json, "engine.rpm", "null in required field");
    }

    @Test
    void nullTopLevelRequiredStringIsReported() {
        byte[] json = edited(root -> root.putNull("device_id"));

        assertInvalid(json, "device_id", "null in required field");
    }

    @Test
    void integerIsAcceptedInDoubleField() throws Exception {
        byte[] json = edited(root -> object(root, "battery").put("voltage_v", 12));

        TelemetryReading read = reader.read(json, TelemetryReading.getClassSchema());

        assertThat(read.getBattery().getVoltageV()).isEqualTo(12.0);
    }

    @Test
    void fractionIsRefusedInIntField() {
        byte[] json = edited(root -> object(root, "engine").put("rpm", 800.5));

        assertInvalid(json, "engine.rpm", "wrong type: expected int, found number");
    }

    @Test
    void absentOptionalFieldsBecomeNull() throws Exception {
        byte[] json = edited(root -> {
            root.remove("firmware_version");
            object(root, "battery").remove("state_of_charge_pct");
            object(root, "engine").putNull("oil_pressure_kpa");
        });

        TelemetryReading read = reader.read(json, TelemetryReading.getClassSchema());

        assertThat(read.getFirmwareVersion()).isNull();
        assertThat(read.getBattery().getStateOfChargePct()).isNull();
        assertThat(read.getEngine().getOilPressureKpa()).isNull();
        assertThat(read.getBattery().getTemperatureC()).isEqualTo(18.0);
    }

    @Test
    void absentFieldsWithDefaultsTakeTheirDefaults() throws Exception {
        byte[] json = edited(root -> {
            root.remove("diagnostics");
            object(root, "lights").remove("hazard_on");
            object(object(root, "lights"), "headlights").remove("high_beam");
        });

        TelemetryReading read = reader.read(json, TelemetryReading.getClassSchema());

        assertThat(read.getDiagnostics()).isEmpty();
        assertThat(read.getLights().getHazardOn()).isFalse();
        assertThat(read.getLights().getHeadlights().getHighBeam()).isFalse();
        assertThat(read.getLights().getHeadlights().getOn()).isTrue();
    }

    @Test
    void defaultListIsNotSharedBetweenRecords() throws Exception {
        byte[] json = edited(root -> root.remove("diagnostics"));
        TelemetryReading first = reader.read(json, TelemetryReading.getClassSchema());
        TelemetryReading second = reader.read(json, TelemetryReading.getClassSchema());

        first.getDiagnostics().add(TelemetryFixtures.fullReading().getDiagnostics().get(0));

        assertThat(second.getDiagnostics()).isEmpty();
        assertThat(reader.<TelemetryReading>read(json, TelemetryReading.getClassSchema()).getDiagnostics()).isEmpty();
    }

    @Test
    void malformedJsonIsReported() {
        byte[] json = "{\"event_id\": \"a\", ".getBytes(StandardCharsets.UTF_8);

        InvalidRecordException error = assertInvalid(json, "", "malformed JSON");
        assertThat(error.getMessage()).startsWith("malformed JSON: ").doesNotContain("\n");
    }

    @Test
    void emptyInputIsReported() {
        assertInvalid(new byte[0], "", "empty message");
        assertInvalid("  \n ".getBytes(StandardCharsets.UTF_8), "", "empty message");
    }

    @Test
    void jsonThatIsNotAnObjectIsReported() {
        assertInvalid("[1, 2]".getBytes(StandardCharsets.UTF_8), "", "wrong type: expected object, found array");
    }

    @Test
    void timestampAcceptsEpochMillisAndIsoInstants() throws Exception {
        long millis = TelemetryFixtures.EVENT_TIME.toEpochMilli();
        byte[] asMillis = edited(root -> root.put("event_time", millis));
        byte[] asIso = edited(root -> root.put("event_time", "2025-03-14T09:26:53.589Z"));
        byte[] asIsoWithOffset = edited(root -> root.put("event_time", "2025-03-14T10:26:53.589+01:00"));

        assertThat(reader.<TelemetryReading>read(asMillis, TelemetryReading.getClassSchema()).getEventTime()).isEqualTo(TelemetryFixtures.EVENT_TIME);
        assertThat(reader.<TelemetryReading>read(asIso, TelemetryReading.getClassSchema()).getEventTime()).isEqualTo(TelemetryFixtures.EVENT_TIME);
        assertThat(reader.<TelemetryReading>read(asIsoWithOffset, TelemetryReading.getClassSchema()).getEventTime()).isEqualTo(TelemetryFixtures.EVENT_TIME);
    }

    @Test
    void timestampRefusesGarbage() {
        byte[] text = edited(root -> root.put("event_time", "yesterday at noon"));
        byte[] bool = edited(root -> root.put("event_time", true));

        assertInvalid(text, "event_time", "invalid timestamp 'yesterday at noon'");
        assertInvalid(bool, "event_time", "wrong type: expected timestamp, found boolean");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        byte[] json = edited(root -> {
            root.put("odometer_km", 123456);
            object(root, "engine").put("turbo", true);
            ((ObjectNode) root.withArray("diagnostics").get(0)).put("freeze_frame", "x");
        });

        TelemetryReading read = reader.read(json, TelemetryReading.getClassSchema());

        assertThat(read).isEqualTo(TelemetryFixtures.fullReading());
    }

    @Test
    void fieldInsideAnArrayIsReportedWithArrayPath() {
        byte[] json = edited(root -> ((ObjectNode) root.withArray("diagnostics").get(1)).remove("code"));

        assertInvalid(json, "diagnostics[].code", "missing required field");
    }

    @Test
    void arrayItemOfWrongTypeIsReported() {
        byte[] json = edited(root -> root.withArray("diagnostics").add(7));

        assertInvalid(json, "diagnostics[]", "wrong type: expected object, found integer");
    }

    private InvalidRecordException assertInvalid(byte[] json, String path, String reason) {
        InvalidRecordException error;
        try {
            TelemetryReading read = reader.read(json, TelemetryReading.getClassSchema());
            throw new AssertionError("expected an InvalidRecordException (" + reason + " at '" + path + "'), read " + read);
        } catch (InvalidRecordException e) {
            error = e;
        }
        assertThat(error.path()).isEqualTo(path);
        assertThat(error.reason()).startsWith(reason);
        assertThat(error.getMessage()).contains(reason);
        if (!path.isEmpty()) {
            assertThat(error.getMessage()).endsWith(" at '" + path + "'");
        }
        return error;
    }

    /** The full reading as JSON, changed by {@code edit}. */
    private static byte[] edited(Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JsonAvroReader.mapper().readTree(AvroJsonWriter.toJsonBytes(TelemetryFixtures.fullReading()));
            edit.accept(root);
            return JsonAvroReader.mapper().writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        assertThat(child).as(name).isInstanceOf(ObjectNode.class);
        return (ObjectNode) child;
    }
}
