package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Raw telemetry JSON as devices send it, and pending readings parsed from it by
 * {@link TelemetryParser}, for tests.
 */
public final class TestReadings {
    public static final String TOPIC = "fleet.telemetry.raw";
    public static final Instant INGESTED_AT = Instant.parse("2025-03-14T12:00:00Z");

    private final String deviceId;
    private final long sequence;
    private final Instant eventTime;
    private boolean engineOn;
    private boolean headlightsOn;
    private boolean frontLeftOpen;
    private double voltage = 12.4;
    private double coolant = 40.5;

    private TestReadings(String deviceId, long sequence, Instant eventTime) {
        this.deviceId = requireNonNull(deviceId, "deviceId is null");
        this.sequence = sequence;
        this.eventTime = requireNonNull(eventTime, "eventTime is null");
    }

    /** A parked reading: engine off, doors closed, headlights off. */
    public static TestReadings reading(String deviceId, long sequence, Instant eventTime) {
        return new TestReadings(deviceId, sequence, eventTime);
    }

    public TestReadings engineOn(boolean on) {
        this.engineOn = on;
        return this;
    }

    public TestReadings headlightsOn(boolean on) {
        this.headlightsOn = on;
        return this;
    }

    public TestReadings voltage(double volts) {
        this.voltage = volts;
        return this;
    }

    public TestReadings coolant(double celsius) {
        this.coolant = celsius;
        return this;
    }

    public TestReadings frontLeftOpen(boolean open) {
        this.frontLeftOpen = open;
        return this;
    }

    public ObjectNode json() {
        ObjectNode root = JsonAvroReader.mapper().createObjectNode();
        root.put("event_id", deviceId + "-" + sequence);
        root.put("device_id", deviceId);
        root.put("sequence", sequence);
        root.put("event_time", eventTime.toString());
        root.put("firmware_version", "4.2.1");
        root.putObject("engine").put("on", engineOn).put("rpm", engineOn ? 820 : 0).put("coolant_temp_c", coolant);
        ObjectNode doors = root.putObject("doors").put("locked", !frontLeftOpen);
        doors.putObject("front_left").put("open", frontLeftOpen);
        for (String door : new String[] {"front_right", "rear_left", "rear_right", "trunk"}) {
            doors.putObject(door).put("open", false);
        }
        root.putObject("lights").putObject("headlights").put("on", headlightsOn);
        root.putObject("battery").put("voltage_v", voltage).put("state_of_charge_pct", 81);
        root.putObject("location").put("latitude", 52.52).put("longitude", 13.405).put("speed_kph", 0).putNull("heading_deg");
        root.putArray("diagnostics").addObject().put("code", "P0562").put("severity", "warning");
        return root;
    }

    public byte[] bytes() {
        try {
            return JsonAvroReader.mapper().writeValueAsBytes(json());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reading as {@link TelemetryParser} turns it out: pending, with its source position. */
    public EnrichedTelemetry parsed(long offset) {
        // Processed as it is taken (the parser bounds event time against processing time), then stamped INGESTED_AT.
        ParsedTelemetry parsed = new TelemetryParser(64 * 1024).parse(TOPIC, 0, offset, eventTime.toEpochMilli(),
                deviceId.getBytes(StandardCharsets.UTF_8), bytes(), eventTime.toEpochMilli());
        if (parsed.reading() == null) {
            throw new IllegalStateException("test reading is invalid: " + parsed.deadLetter().reason());
        }
        parsed.reading().setIngestedAt(INGESTED_AT);
        return parsed.reading();
    }

    /** The parsed reading, as if the device join had found its vehicle. */
    public EnrichedTelemetry parsedForVehicle(String vehicleId, long offset) {
        EnrichedTelemetry reading = parsed(offset);
        reading.setVehicleId(vehicleId);
        return reading;
    }
}
