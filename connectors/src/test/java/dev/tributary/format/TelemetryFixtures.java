package dev.tributary.format;

import dev.tributary.schemas.telemetry.Battery;
import dev.tributary.schemas.telemetry.Diagnostic;
import dev.tributary.schemas.telemetry.Door;
import dev.tributary.schemas.telemetry.Doors;
import dev.tributary.schemas.telemetry.Engine;
import dev.tributary.schemas.telemetry.Headlights;
import dev.tributary.schemas.telemetry.Lights;
import dev.tributary.schemas.telemetry.Location;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.time.Instant;
import java.util.List;

/** Readings for tests, built through the generated classes. */
final class TelemetryFixtures {
    static final Instant EVENT_TIME = Instant.parse("2025-03-14T09:26:53.589Z");

    private TelemetryFixtures() {}

    /** A reading with every field set, optional ones included, and two diagnostics. */
    static TelemetryReading fullReading() {
        return TelemetryReading.newBuilder()
                .setEventId("6f1c8a52-0c51-4c33-9a57-2c0b4f3b8e11")
                .setDeviceId("dev-0042")
                .setSequence(1207L)
                .setEventTime(EVENT_TIME)
                .setFirmwareVersion("4.2.1")
                .setEngine(new Engine(false, 0, 41.5, 180.25))
                .setDoors(new Doors(true, new Door(false), new Door(true), new Door(false), new Door(false), new Door(false)))
                .setLights(new Lights(new Headlights(true, false), true, false))
                .setBattery(new Battery(12.31, 87.5, 18.0))
                .setLocation(new Location(52.5200066, 13.404954, 0.0, 271.5))
                .setDiagnostics(List.of(
                        new Diagnostic("P0217", "alarm", "Engine over temperature"),
                        new Diagnostic("P0562", "warning", null)))
                .build();
    }
}
