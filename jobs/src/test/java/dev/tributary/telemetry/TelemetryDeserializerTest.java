package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.config.DriftConfig;
import dev.tributary.schema.SchemaChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TelemetryDeserializerTest {
    /** Recent: the deserializer checks event time against the wall clock (telemetry.max-event-age). */
    static final Instant AT = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(3600);

    /** Drift checked, added fields quarantined (evolving needs a lake: {@code DriftHandlerTest}). */
    static TelemetryDeserializer checkingDrift() {
        return new TelemetryDeserializer(1 << 20, new DriftConfig(true, DriftConfig.OnFieldAdded.QUARANTINE, DriftConfig.OnTypeConflict.QUARANTINE), null, null);
    }

    static List<ParsedTelemetry> read(TelemetryDeserializer deserializer, byte[] value) {
        List<ParsedTelemetry> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>(TestReadings.TOPIC, 2, 41L, "dev-1".getBytes(StandardCharsets.UTF_8), value), new Collector<>() {
            @Override
            public void collect(ParsedTelemetry record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void aNewNestedObjectTravelsAsOneDriftWithItsExampleAndTheReadingStillGoesOn() {
        ObjectNode json = TestReadings.reading("dev-1", 1, AT).json();
        ((ObjectNode) json.get("engine")).putObject("turbo").put("boost_kpa", 80).putObject("wastegate").put("open", false);
        ParsedTelemetry parsed = read(checkingDrift(), json.toString().getBytes(StandardCharsets.UTF_8)).get(0);

        assertThat(parsed.reading()).isNotNull();
        assertThat(parsed.drift()).singleElement().satisfies(drift -> {
            assertThat(drift.change().kind().code()).isEqualTo("field_added");
            assertThat(drift.change().path()).isEqualTo("engine.turbo");
            assertThat(drift.change().subject()).isEqualTo("dev.tributary.schemas.telemetry.TelemetryReading");
            assertThat(drift.exampleTopic()).isEqualTo(TestReadings.TOPIC);
            assertThat(drift.examplePartition()).isEqualTo(2);
            assertThat(drift.exampleOffset()).isEqualTo(41L);
            assertThat(drift.count()).isEqualTo(1);
        });
    }

    @Test
    void aReadingOfTheRegisteredShapeHasNoDriftAndDriftCheckingCanBeOff() {
        byte[] clean = TestReadings.reading("dev-1", 1, AT).bytes();
        assertThat(read(checkingDrift(), clean).get(0).drift()).isEmpty();

        ObjectNode json = TestReadings.reading("dev-1", 1, AT).json();
        json.put("battery_health", "good");
        assertThat(read(new TelemetryDeserializer(1 << 20), json.toString().getBytes(StandardCharsets.UTF_8)).get(0).drift()).isEmpty();
    }

    @Test
    void aTypeConflictIsDriftAndADeadLetterAndMalformedJsonIsOnlyADeadLetter() {
        ObjectNode json = TestReadings.reading("dev-1", 1, AT).json();
        ((ObjectNode) json.get("battery")).put("voltage_v", "low");
        ParsedTelemetry conflict = read(checkingDrift(), json.toString().getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(conflict.deadLetter()).isNotNull();
        assertThat(conflict.drift()).extracting(SchemaChangeEvent::change).extracting(change -> change.kind().code() + " " + change.path()
                + " " + change.expected() + " -> " + change.found()).containsExactly("type_changed battery.voltage_v double -> string");

        ParsedTelemetry malformed = read(checkingDrift(), "{\"event_id\": ".getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(malformed.deadLetter()).isNotNull();
        assertThat(malformed.drift()).isEmpty();
    }
}
