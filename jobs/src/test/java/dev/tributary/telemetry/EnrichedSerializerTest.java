package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnrichedSerializerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptedDriftAppearsWhereTheDeviceSentItAndOverflowStaysAField() throws Exception {
        EnrichedTelemetry reading = TestReadings.reading("dev-1", 1, Instant.parse("2025-03-14T09:00:00Z")).parsed(3);
        reading.setExtensions("{\"engine\":{\"turbo\":{\"boost_kpa\":81}},\"diagnostics\":[{\"freeze_frame_rpm\":900}],\"cabin\":{\"co2_ppm\":640}}");
        reading.setOverflow("{\"battery.temperature_c\":\"21.5C\"}");

        JsonNode json = JSON.readTree(EnrichedSerializer.json(reading));

        assertThat(json.at("/engine/turbo/boost_kpa").asDouble()).isEqualTo(81.0);
        assertThat(json.at("/engine/coolant_temp_c").asDouble()).isEqualTo(40.5);
        assertThat(json.at("/diagnostics/0/freeze_frame_rpm").asInt()).isEqualTo(900);
        assertThat(json.at("/diagnostics/0/code").asText()).isEqualTo("P0562");
        assertThat(json.at("/cabin/co2_ppm").asInt()).isEqualTo(640);
        assertThat(json.has("extensions")).isFalse();
        assertThat(json.get("overflow").asText()).isEqualTo("{\"battery.temperature_c\":\"21.5C\"}");

        reading.setExtensions(null);
        JsonNode plain = JSON.readTree(EnrichedSerializer.json(reading));
        assertThat(plain.at("/engine/turbo").isMissingNode()).isTrue();
        assertThat(plain.has("extensions")).isFalse();
        assertThat(plain.get("event_id").asText()).isEqualTo(reading.getEventId());
    }
}
