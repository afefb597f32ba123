package dev.tributary.simulator;

import dev.tributary.schemas.telemetry.Battery;
import dev.tributary.schemas.telemetry.Diagnostic;
import dev.tributary.schemas.telemetry.Door;
import dev.tributary.schemas.telemetry.Doors;
import dev.tributary.schemas.telemetry.Engine;
import dev.tributary.schemas.telemetry.Headlights;
import dev.tributary.schemas.telemetry.Lights;
import dev.tributary.schemas.telemetry.Location;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * One vehicle's day, planned up front as segments of rounds (one reading per round): driving,
 * parking, and at most one injected scenario. {@link #next} turns the current round into a reading.
 */
final class VehicleModel {
    enum Kind { DRIVE, PARK, HEADLIGHTS_LEFT_ON, BATTERY_DRAIN, ENGINE_OVERHEAT }

    /** A stretch of rounds of one kind. {@code lightsOnRounds}: rounds the headlights stay on after parking. */
    record Segment(Kind kind, int start, int length, int lightsOnRounds, int doorOpenAt, boolean headlights) {
        int end() {
            return start + length;
        }
    }

    /** An injected scenario: its type and the rounds its condition spans. */
    record Planned(String type, int startRound, int endRound) {}

    private static final Door CLOSED = new Door(false);
    private static final Door OPEN = new Door(true);

    private final int index;
    private final String deviceId;
    private final Random random;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Planned> scenarios = new ArrayList<>();
    private int segmentIndex;
    private long sequence;
    private double latitude;
    private double longitude;
    private double heading;

    VehicleModel(int index, Random random, int rounds, int ruleRounds) {
        this.index = index;
        this.deviceId = Fleet.deviceId(index);
        this.random = random;
        this.latitude = 37.45 + (index % 97) * 0.002;
        this.longitude = 126.90 + (index % 89) * 0.002;
        this.heading = random.nextInt(360);
        plan(rounds, ruleRounds);
    }

    List<Planned> scenarios() {
        return scenarios;
    }

    private void plan(int rounds, int ruleRounds) {
        Kind scenario = switch (index % 10) {
            case 3 -> Kind.HEADLIGHTS_LEFT_ON;
            case 5 -> Kind.BATTERY_DRAIN;
            case 7 -> Kind.ENGINE_OVERHEAT;
            default -> null;
        };
        int lightsLeftOn = ruleRounds + Math.max(1, ruleRounds / 2 + random.nextInt(ruleRounds / 2 + 1));
        int scenarioLength = scenario == null ? 0 : switch (scenario) {
            case HEADLIGHTS_LEFT_ON -> lightsLeftOn + 5 + random.nextInt(10);
            case BATTERY_DRAIN -> 100 + random.nextInt(50);
            default -> 40 + random.nextInt(20);
        };
        int earliest = rounds / 10;
        int latest = (int) (rounds * 0.8) - scenarioLength;
        int scenarioAt = scenario != null && latest > earliest ? earliest + random.nextInt(latest - earliest + 1) : -1;
        boolean placed = scenarioAt < 0;
        boolean driving = random.nextBoolean();
        boolean lastDriveLights = false;
        int round = 0;
        while (round < rounds) {
            if (!placed && round >= scenarioAt) {
                boolean parkType = scenario != Kind.ENGINE_OVERHEAT;
                if (parkType != driving) {
                    if (round + scenarioLength <= rounds * 0.85) {
                        int lightsOn = scenario == Kind.HEADLIGHTS_LEFT_ON ? lightsLeftOn : 0;
                        segments.add(new Segment(scenario, round, scenarioLength, lightsOn, -1, scenario == Kind.ENGINE_OVERHEAT));
                        int conditionEnd = scenario == Kind.HEADLIGHTS_LEFT_ON ? round + lightsLeftOn : round + scenarioLength;
                        scenarios.add(new Planned(typeOf(scenario), round, conditionEnd));
                    }
                    placed = true;
                    round += scenarioLength;
                    lastDriveLights = scenario == Kind.ENGINE_OVERHEAT;
                    driving = !driving;
                    continue;
                }
            }
            int length = driving ? 20 + random.nextInt(60) : 30 + random.nextInt(90);
            if (!placed && round < scenarioAt) {
                length = Math.min(length, Math.max(3, scenarioAt - round));
            } else if (!placed) {
                length = 3;
            }
            if (driving) {
                lastDriveLights = random.nextBoolean();
                segments.add(new Segment(Kind.DRIVE, round, length, 0, -1, lastDriveLights));
            } else {
                // Harmless: lights on for at most half the rule's duration, and a door opens.
                int lightsOn = lastDriveLights ? random.nextInt(Math.max(1, ruleRounds / 2)) : 0;
                segments.add(new Segment(Kind.PARK, round, length, lightsOn, 1 + random.nextInt(2), false));
            }
            round += length;
            driving = !driving;
        }
    }

    private static String typeOf(Kind kind) {
        return switch (kind) {
            case HEADLIGHTS_LEFT_ON -> Scenario.HEADLIGHTS_LEFT_ON;
            case BATTERY_DRAIN -> Scenario.BATTERY_DRAIN;
            default -> Scenario.ENGINE_OVERHEAT;
        };
    }

    /** Whether the current reading may be delayed past the watermark without changing any rule's outcome. */
    boolean mayArriveLate() {
        return segments.get(segmentIndex).kind() == Kind.DRIVE;
    }

    TelemetryReading next(int round, long eventMillis, long seed) {
        while (segmentIndex < segments.size() - 1 && round >= segments.get(segmentIndex).end()) {
            segmentIndex++;
        }
        Segment segment = segments.get(segmentIndex);
        int at = round - segment.start();
        long seq = sequence++;
        String eventId = UUID.nameUUIDFromBytes((seed + ":" + deviceId + ":" + seq).getBytes(StandardCharsets.UTF_8)).toString();
        boolean driving = segment.kind() == Kind.DRIVE || segment.kind() == Kind.ENGINE_OVERHEAT;
        Engine engine;
        Doors doors;
        Lights lights;
        Battery battery;
        double speed;
        List<Diagnostic> diagnostics = new ArrayList<>(0);
        if (driving) {
            double coolant = 88 + random.nextDouble() * 8;
            if (segment.kind() == Kind.ENGINE_OVERHEAT) {
                coolant = Math.min(124, 92 + 32.0 * at / Math.max(1, segment.length() * 2 / 3));
                if (coolant > 110) {
                    diagnostics.add(new Diagnostic("P0217", "critical", "Engine coolant over temperature"));
                }
            }
            engine = new Engine(true, 1200 + random.nextInt(1800), round1(coolant), round1(280 + random.nextDouble() * 100));
            doors = doors(true, false);
            lights = new Lights(new Headlights(segment.headlights(), random.nextInt(50) == 0), false, false);
            battery = new Battery(round2(13.9 + random.nextDouble() * 0.4), round1(70 + random.nextDouble() * 25), round1(25 + random.nextDouble() * 5));
            speed = round1(10 + random.nextDouble() * 70);
            heading = (heading + random.nextInt(21) - 10 + 360) % 360;
            latitude += Math.cos(Math.toRadians(heading)) * speed / 3_600_000 * 5;
            longitude += Math.sin(Math.toRadians(heading)) * speed / 3_600_000 * 5;
            if (random.nextInt(200) == 0) {
                diagnostics.add(new Diagnostic("P0420", "info", null));
            }
        } else {
            boolean doorOpen = segment.doorOpenAt() >= 0 && at >= segment.doorOpenAt() && at < segment.doorOpenAt() + 2;
            boolean headlightsOn = at < segment.lightsOnRounds();
            engine = new Engine(false, 0, round1(Math.max(18, 90 - 2.0 * at)), null);
            doors = doors(!doorOpen && at > 0, doorOpen);
            lights = new Lights(new Headlights(headlightsOn, false), false, doorOpen);
            double voltage = 12.4 + random.nextDouble() * 0.3;
            if (segment.kind() == Kind.BATTERY_DRAIN) {
                voltage = 12.5 - 1.5 * at / segment.length();
            }
            battery = new Battery(round2(voltage), round1(Math.max(5, (voltage - 11.0) * 50)), round1(15 + random.nextDouble() * 5));
            speed = 0;
        }
        return new TelemetryReading(eventId, deviceId, seq, Instant.ofEpochMilli(eventMillis), "4.2." + (index % 3),
                engine, doors, lights, battery,
                new Location(round6(latitude), round6(longitude), speed, (double) Math.round(heading)), diagnostics);
    }

    /** A parked vehicle's reading, for devices the fleet does not know. */
    static TelemetryReading parked(String deviceId, long sequence, long eventMillis, String eventId) {
        return new TelemetryReading(eventId, deviceId, sequence, Instant.ofEpochMilli(eventMillis), null,
                new Engine(false, 0, 20.0, null), doors(true, false),
                new Lights(new Headlights(false, false), false, false),
                new Battery(12.6, null, null), new Location(37.5665, 126.978, 0.0, null), new ArrayList<>());
    }

    private static Doors doors(boolean locked, boolean driverOpen) {
        return new Doors(locked, driverOpen ? OPEN : CLOSED, CLOSED, CLOSED, CLOSED, CLOSED);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double round6(double value) {
        return Math.round(value * 1_000_000) / 1_000_000.0;
    }
}
