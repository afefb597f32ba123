package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.deadletter.DeadLetter;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TelemetryParserTest {
    private static final String TOPIC = "fleet.telemetry.raw";
    private static final int PARTITION = 3;
    private static final long OFFSET = 98_765L;
    private static final long KAFKA_TIMESTAMP = 1_741_944_413_000L;
    private static final byte[] KEY = "dev-0042".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_741_944_500_000L;
    private static final Instant EVENT_TIME = Instant.parse("2025-03-14T09:26:53.589Z");

    private final TelemetryParser parser = new TelemetryParser(4096);

    @Test
    void validReadingIsPendingWithItsSourcePosition() {
        byte[] value = TestReadings.reading("dev-0042", 17, EVENT_TIME).headlightsOn(true).bytes();

        ParsedTelemetry parsed = parse(value);

        assertThat(parsed.deadLetter()).isNull();
        EnrichedTelemetry reading = parsed.reading();
        assertThat(reading.getEventId()).isEqualTo("dev-0042-17");
        assertThat(reading.getDeviceId()).isEqualTo("dev-0042");
        assertThat(reading.getSequence()).isEqualTo(17L);
        assertThat(reading.getEventTime()).isEqualTo(EVENT_TIME);
        assertThat(parsed.eventTimeMillis()).isEqualTo(EVENT_TIME.toEpochMilli());
        assertThat(reading.getLights().getHeadlights().getOn()).isTrue();
        assertThat(reading.getDiagnostics()).singleElement().satisfies(d -> assertThat(d.getCode()).isEqualTo("P0562"));
        assertThat(reading.getEnrichmentStatus()).isEqualTo("pending");
        assertThat(reading.getEnrichmentWaitMs()).isZero();
        assertThat(reading.getVehicleId()).isNull();
        assertThat(reading.getVehicle()).isNull();
        assertThat(reading.getReservation()).isNull();
        assertThat(reading.getSource().getTopic()).isEqualTo(TOPIC);
        assertThat(reading.getSource().getPartition()).isEqualTo(PARTITION);
        assertThat(reading.getSource().getOffset()).isEqualTo(OFFSET);
        assertThat(reading.getIngestedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
    }

    @Test
    void nullValueIsADeadLetter() {
        DeadLetter deadLetter = deadLetterOf(null, "empty message");

        assertThat(deadLetter.value()).isNull();
    }

    @Test
    void emptyValueIsADeadLetter() {
        deadLetterOf(new byte[0], "empty message");
    }

    @Test
    void oversizedValueIsADeadLetterEvenWhenItIsValidJson() {
        ObjectNode json = TestReadings.reading("dev-0042", 1, EVENT_TIME).json();
        json.put("firmware_version", "x".repeat(5000));
        byte[] value = bytes(json);

        DeadLetter deadLetter = deadLetterOf(value, "event too large");

        assertThat(deadLetter.reason()).contains(Integer.toString(value.length)).contains("telemetry.max-event-bytes=4096");
    }

    @Test
    void valueExactlyAtTheLimitIsAccepted() {
        byte[] value = TestReadings.reading("dev-0042", 1, EVENT_TIME).bytes();

        assertThat(new TelemetryParser(value.length).parse(TOPIC, PARTITION, OFFSET, KAFKA_TIMESTAMP, KEY, value, NOW).reading()).isNotNull();
        assertThat(new TelemetryParser(value.length - 1).parse(TOPIC, PARTITION, OFFSET, KAFKA_TIMESTAMP, KEY, value, NOW).deadLetter()).isNotNull();
    }

    @Test
    void malformedJsonIsADeadLetter() {
        deadLetterOf("{\"event_id\": \"e1\", \"device_id\":".getBytes(StandardCharsets.UTF_8), "malformed JSON");
    }

    @Test
    void missingFieldIsADeadLetterNamingThePath() {
        byte[] value = edited(json -> ((ObjectNode) json.get("engine")).remove("on"));

        DeadLetter deadLetter = deadLetterOf(value, "missing required field");

        assertThat(deadLetter.reason()).contains("'engine.on'");
    }

    @Test
    void wrongTypeIsADeadLetterNamingThePath() {
        byte[] value = edited(json -> ((ObjectNode) json.get("battery")).put("voltage_v", "12.4V"));

        DeadLetter deadLetter = deadLetterOf(value, "wrong type");

        assertThat(deadLetter.reason()).contains("'battery.voltage_v'").contains("double").contains("string");
    }

    @Test
    void blankDeviceIdIsADeadLetter() {
        DeadLetter deadLetter = deadLetterOf(edited(json -> json.put("device_id", "   ")), "empty value");

        assertThat(deadLetter.reason()).contains("'device_id'");
    }

    @Test
    void blankEventIdIsADeadLetter() {
        DeadLetter deadLetter = deadLetterOf(edited(json -> json.put("event_id", "")), "empty value");

        assertThat(deadLetter.reason()).contains("'event_id'");
    }

    @Test
    void negativeSequenceIsADeadLetter() {
        DeadLetter deadLetter = deadLetterOf(edited(json -> json.put("sequence", -3)), "negative value -3");

        assertThat(deadLetter.reason()).contains("'sequence'");
    }

    @Test
    void readingDatedTooFarAheadOfProcessingTimeIsADeadLetter() {
        Instant now = Instant.ofEpochMilli(NOW);
        DeadLetter deadLetter = deadLetterOf(edited(json -> json.put("event_time", now.plusSeconds(3601).toString())), "event_time_in_future");

        assertThat(deadLetter.reason()).contains("telemetry.max-future-skew=1h");
        assertThat(parse(edited(json -> json.put("event_time", now.plusSeconds(3599).toString()))).reading()).isNotNull();
        // A wrong clock far in the future, and beyond what epoch milliseconds can hold.
        deadLetterOf(edited(json -> json.put("event_time", Long.MAX_VALUE)), "event_time_in_future");
        deadLetterOf(edited(json -> json.put("event_time", "+1000000000-01-01T00:00:00Z")), "event_time_in_future");
    }

    @Test
    void readingDatedTooFarBackIsADeadLetter() {
        Instant now = Instant.ofEpochMilli(NOW);
        TelemetryParser parser = new TelemetryParser(new ReadingLimits(4096, java.time.Duration.ofHours(1), java.time.Duration.ofDays(30)));
        byte[] old = edited(json -> json.put("event_time", now.minus(java.time.Duration.ofDays(31)).toString()));
        DeadLetter deadLetter = parser.parse(TOPIC, PARTITION, OFFSET, KAFKA_TIMESTAMP, KEY, old, NOW).deadLetter();

        assertThat(deadLetter.reason()).startsWith("event_time_too_old").contains("telemetry.max-event-age=720h");
        assertThat(parser.parse(TOPIC, PARTITION, OFFSET, KAFKA_TIMESTAMP, KEY,
                edited(json -> json.put("event_time", now.minus(java.time.Duration.ofDays(29)).toString())), NOW).reading()).isNotNull();
        deadLetterOf(edited(json -> json.put("event_time", 0)), "event_time_too_old");
        deadLetterOf(edited(json -> json.put("event_time", "-1000000000-01-01T00:00:00Z")), "event_time_too_old");
    }

    @Test
    void numbersBeyondTheirTypeAreDeadLettersNotInfinity() {
        byte[] value = new String(TestReadings.reading("dev-0042", 1, EVENT_TIME).bytes(), StandardCharsets.UTF_8)
                .replace("\"coolant_temp_c\":40.5", "\"coolant_temp_c\":1e400").getBytes(StandardCharsets.UTF_8);

        DeadLetter deadLetter = deadLetterOf(value, "number out of range");

        assertThat(deadLetter.reason()).contains("'engine.coolant_temp_c'").contains("1e400");
    }

    @Test
    void textWithALoneSurrogateIsADeadLetter() {
        DeadLetter deadLetter = deadLetterOf(edited(json -> json.put("firmware_version", "4.2\ud800")), "invalid text");

        assertThat(deadLetter.reason()).contains("'firmware_version'").contains("U+D800");
        assertThat(parse(edited(json -> json.put("firmware_version", "4.2 \ud83d\ude97"))).reading().getFirmwareVersion()).endsWith("\ud83d\ude97");
    }

    @Test
    void idsLongerThanAKinesisPartitionKeyAreDeadLetters() {
        deadLetterOf(edited(json -> json.put("device_id", "d".repeat(257))), "value too long at 'device_id'");
        deadLetterOf(edited(json -> json.put("event_id", "e".repeat(257))), "value too long at 'event_id'");
        assertThat(parse(edited(json -> json.put("device_id", "d".repeat(256)))).reading()).isNotNull();
    }

    @Test
    void deadLetterHasNoEventTime() {
        assertThat(parse(new byte[0]).eventTimeMillis()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> new TelemetryParser(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private ParsedTelemetry parse(byte[] value) {
        return parser.parse(TOPIC, PARTITION, OFFSET, KAFKA_TIMESTAMP, KEY, value, NOW);
    }

    /** Parses a value that must be refused, checks the dead letter keeps the record whole, and returns it. */
    private DeadLetter deadLetterOf(byte[] value, String reasonStart) {
        byte[] original = value == null ? null : value.clone();

        ParsedTelemetry parsed = parse(value);

        assertThat(parsed.reading()).isNull();
        DeadLetter deadLetter = parsed.deadLetter();
        assertThat(deadLetter.reason()).startsWith(reasonStart);
        assertThat(deadLetter.value()).isEqualTo(original);
        assertThat(deadLetter.key()).isEqualTo(KEY);
        assertThat(deadLetter.sourceTopic()).isEqualTo(TOPIC);
        assertThat(deadLetter.sourcePartition()).isEqualTo(PARTITION);
        assertThat(deadLetter.sourceOffset()).isEqualTo(OFFSET);
        assertThat(deadLetter.sourceTimestamp()).isEqualTo(KAFKA_TIMESTAMP);
        assertThat(deadLetter.stage()).isEqualTo(TelemetryParser.STAGE);
        return deadLetter;
    }

    private static byte[] edited(Consumer<ObjectNode> edit) {
        ObjectNode json = TestReadings.reading("dev-0042", 1, EVENT_TIME).json();
        edit.accept(json);
        return bytes(json);
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return JsonAvroReader.mapper().writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
