package dev.tributary.simulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.format.AvroJsonWriter;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends device telemetry for a fleet: each vehicle alternates driving and parking, with
 * plausible engine, door, light, battery and location values, per-device sequence numbers and
 * event times. Some readings arrive out of order and some late. Labelled scenarios are
 * injected (headlights left on, a battery draining, an engine overheating), and so is bad
 * input; the {@link SimulationReport} says exactly what was sent.
 *
 * <p>Parking after a drive with the lights on leaves them on briefly (well under the rule's
 * duration) and opens a door: near misses that must not raise an alert.
 */
public final class FleetSimulator {
    /** Kinds of refused input the simulator mixes in. */
    public enum InvalidKind { MALFORMED_JSON, MISSING_FIELD, WRONG_TYPE, EMPTY, NULL_VALUE, OVERSIZED }

    private final SimulatorConfig config;
    private final AtomicLong sent = new AtomicLong();

    public FleetSimulator(SimulatorConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** Records sent so far, for progress reports from another thread. */
    public long sent() {
        return sent.get();
    }

    public long rounds() {
        long fleetReadings = config.events() - config.unknownDeviceReadings();
        return (fleetReadings + config.vehicles() - 1) / config.vehicles();
    }

    /** Event time of the first round: now in real time, otherwise so that the last round ends now. */
    public Instant startTime(Instant now) {
        return config.realTime() ? now : now.minusMillis(rounds() * config.readingInterval().toMillis());
    }

    public SimulationReport run(Producer<byte[], byte[]> producer, String topic) {
        return run(producer, topic, Instant.now());
    }

    public SimulationReport run(Producer<byte[], byte[]> producer, String topic, Instant now) {
        Run run = new Run(producer, topic, startTime(now));
        run.execute();
        return run.report();
    }

    private final class Run {
        private final Producer<byte[], byte[]> producer;
        private final String topic;
        private final long startMillis;
        private final long intervalMillis = config.readingInterval().toMillis();
        private final int ruleRounds;
        private final long fleetReadings;
        private final long rounds;
        private final VehicleModel[] vehicles;
        private final PriorityQueue<Pending> queue = new PriorityQueue<>();
        private final Random random;
        private final Map<String, Long> invalidByKind = new TreeMap<>();
        private final Set<String> eventIds;
        private final Set<String> extendedIds = new HashSet<>();
        private final Set<String> conflictingIds = new HashSet<>();
        private long driftReadings;
        private final List<Scenario> scenarios = new ArrayList<>();
        private final long badEvery;
        private long valid;
        private long invalid;
        private long unknownDevice;
        private long nullKeys;
        private long outOfOrder;
        private long late;
        private long readingsGenerated;
        private int badInjected;
        private long pacingStartNanos;
        private long queueOrder;
        private long lastEventMillis = Long.MIN_VALUE;

        Run(Producer<byte[], byte[]> producer, String topic, Instant start) {
            this.producer = producer;
            this.topic = topic;
            this.startMillis = start.toEpochMilli();
            this.ruleRounds = (int) Math.max(1, (config.headlightsMinDuration().toMillis() + intervalMillis - 1) / intervalMillis);
            this.fleetReadings = config.events() - config.unknownDeviceReadings();
            this.rounds = rounds();
            this.random = new Random(config.seed());
            this.eventIds = config.collectEventIds() ? new HashSet<>() : null;
            this.vehicles = new VehicleModel[config.vehicles()];
            for (int i = 0; i < vehicles.length; i++) {
                vehicles[i] = new VehicleModel(i, new Random(config.seed() * 31 + i), (int) rounds, ruleRounds);
                for (VehicleModel.Planned planned : vehicles[i].scenarios()) {
                    scenarios.add(new Scenario(planned.type(), Fleet.vehicleId(i), Fleet.deviceId(i),
                            Instant.ofEpochMilli(eventTime(planned.startRound(), i)),
                            Instant.ofEpochMilli(eventTime(planned.endRound(), i))));
                }
            }
            long bad = config.invalidRecords() + config.unknownDeviceReadings();
            this.badEvery = bad == 0 ? Long.MAX_VALUE : Math.max(1, (long) (fleetReadings * 0.8) / bad);
        }

        long eventTime(long round, int vehicle) {
            return startMillis + round * intervalMillis + (intervalMillis * vehicle) / config.vehicles();
        }

        void execute() {
            pacingStartNanos = System.nanoTime();
            for (long round = 0; round < rounds; round++) {
                long roundStart = startMillis + round * intervalMillis;
                drainUntil(roundStart);
                for (int v = 0; v < vehicles.length && readingsGenerated < fleetReadings; v++) {
                    VehicleModel vehicle = vehicles[v];
                    long eventMillis = eventTime(round, v);
                    TelemetryReading reading = vehicle.next((int) round, eventMillis, config.seed());
                    readingsGenerated++;
                    long delay = 0;
                    double draw = random.nextDouble();
                    if (draw < config.lateFraction() && vehicle.mayArriveLate()) {
                        delay = 20_000 + random.nextInt(40_001);
                        late++;
                    } else if (draw < config.lateFraction() + config.outOfOrderFraction()) {
                        delay = 1_000 + random.nextInt(3_001);
                        outOfOrder++;
                    }
                    boolean withKey = config.nullKeyEvery() <= 0 || readingsGenerated % config.nullKeyEvery() != 0;
                    queue.add(new Pending(eventMillis + delay, queueOrder++, reading, withKey));
                    if (readingsGenerated % badEvery == 0 && readingsGenerated < fleetReadings * 0.8) {
                        injectBad(reading, eventMillis);
                    }
                }
            }
            drainUntil(Long.MAX_VALUE);
            while (badInjected < config.invalidRecords() + config.unknownDeviceReadings()) {
                injectBad(null, lastEventMillis == Long.MIN_VALUE ? startMillis : lastEventMillis);
            }
            producer.flush();
        }

        private void drainUntil(long sendBeforeMillis) {
            while (!queue.isEmpty() && queue.peek().sendAtMillis() < sendBeforeMillis) {
                Pending next = queue.poll();
                TelemetryReading reading = next.reading();
                byte[] key = next.withKey() ? reading.getDeviceId().getBytes(StandardCharsets.UTF_8) : null;
                if (!next.withKey()) {
                    nullKeys++;
                }
                send(key, drifted(reading), next.sendAtMillis());
                valid++;
                lastEventMillis = Math.max(lastEventMillis, reading.getEventTime().toEpochMilli());
                if (eventIds != null) {
                    eventIds.add(reading.getEventId());
                }
            }
        }

        /** The reading's JSON, with the configured schema drift from the middle of the run on. */
        private byte[] drifted(TelemetryReading reading) {
            byte[] json = AvroJsonWriter.toJsonBytes(reading);
            long index = driftReadings++;
            if (!config.schemaDrift() || index < fleetReadings / 2) {
                return json;
            }
            try {
                ObjectNode node = (ObjectNode) JsonAvroReader.mapper().readTree(json);
                ObjectNode turbo = ((ObjectNode) node.get("engine")).putObject("turbo");
                turbo.put("boost_kpa", reading.getEngine().getRpm() / 10.0);
                turbo.putObject("wastegate").putObject("valve").put("open", reading.getEngine().getOn());
                track(extendedIds, reading);
                if (index >= fleetReadings * 3 / 4 && index % 50 == 0) {
                    ((ObjectNode) node.get("battery")).put("temperature_c", "21.5C");
                    track(conflictingIds, reading);
                }
                return JsonAvroReader.mapper().writeValueAsBytes(node);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void track(Set<String> ids, TelemetryReading reading) {
            if (eventIds != null) {
                ids.add(reading.getEventId());
            }
        }

        /** The next refused record or unknown-device reading, in turn. */
        private void injectBad(TelemetryReading template, long eventMillis) {
            int index = badInjected++;
            if (index < config.unknownDeviceReadings() && (index % 2 == 1 || index >= config.invalidRecords())) {
                unknownDevice(index, eventMillis);
                return;
            }
            int invalidIndex = (int) invalid;
            if (invalidIndex >= config.invalidRecords()) {
                unknownDevice(index, eventMillis);
                return;
            }
            InvalidKind kind = InvalidKind.values()[invalidIndex % InvalidKind.values().length];
            TelemetryReading base = template != null ? template : vehicles[0].next(0, eventMillis, config.seed() + 7);
            byte[] value = invalidValue(kind, base);
            send(base.getDeviceId().getBytes(StandardCharsets.UTF_8), value, eventMillis);
            invalid++;
            invalidByKind.merge(kind.name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        }

        private void unknownDevice(int index, long eventMillis) {
            String deviceId = String.format("dev-unknown-%03d", index);
            TelemetryReading reading = VehicleModel.parked(deviceId, index, eventMillis, UUID.nameUUIDFromBytes((config.seed() + deviceId).getBytes(StandardCharsets.UTF_8)).toString());
            send(deviceId.getBytes(StandardCharsets.UTF_8), AvroJsonWriter.toJsonBytes(reading), eventMillis);
            valid++;
            unknownDevice++;
            if (eventIds != null) {
                eventIds.add(reading.getEventId());
            }
        }

        private byte[] invalidValue(InvalidKind kind, TelemetryReading base) {
            byte[] json = AvroJsonWriter.toJsonBytes(base);
            try {
                switch (kind) {
                    case MALFORMED_JSON:
                        return Arrays.copyOf(json, json.length / 2);
                    case MISSING_FIELD: {
                        ObjectNode node = (ObjectNode) JsonAvroReader.mapper().readTree(json);
                        ((ObjectNode) node.get("engine")).remove("on");
                        return JsonAvroReader.mapper().writeValueAsBytes(node);
                    }
                    case WRONG_TYPE: {
                        ObjectNode node = (ObjectNode) JsonAvroReader.mapper().readTree(json);
                        ((ObjectNode) node.get("battery")).put("voltage_v", "12.6 V");
                        return JsonAvroReader.mapper().writeValueAsBytes(node);
                    }
                    case EMPTY:
                        return new byte[0];
                    case NULL_VALUE:
                        return null;
                    case OVERSIZED: {
                        ObjectNode node = (ObjectNode) JsonAvroReader.mapper().readTree(json);
                        node.put("firmware_version", "x".repeat(1_000_000));
                        return JsonAvroReader.mapper().writeValueAsBytes(node);
                    }
                    default:
                        throw new IllegalStateException(kind.name());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void send(byte[] key, byte[] value, long eventMillis) {
            pace(eventMillis);
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    System.err.println("simulator: send failed: " + error);
                }
            });
            sent.incrementAndGet();
        }

        private void pace(long eventMillis) {
            if (config.realTime()) {
                long wait = eventMillis - System.currentTimeMillis();
                sleep(wait);
            } else if (config.ratePerSecond() > 0) {
                long due = pacingStartNanos + (long) (sent.get() * 1e9 / config.ratePerSecond());
                long wait = (due - System.nanoTime()) / 1_000_000;
                sleep(wait);
            }
        }

        private void sleep(long millis) {
            if (millis > 0) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("simulator interrupted", e);
                }
            }
        }

        SimulationReport report() {
            return new SimulationReport(sent.get(), valid, invalid, invalidByKind, unknownDevice, nullKeys, outOfOrder, late,
                    List.copyOf(scenarios), Instant.ofEpochMilli(startMillis),
                    Instant.ofEpochMilli(lastEventMillis == Long.MIN_VALUE ? startMillis : lastEventMillis),
                    eventIds == null ? Set.of() : eventIds, Set.copyOf(extendedIds), Set.copyOf(conflictingIds));
        }
    }

    private record Pending(long sendAtMillis, long order, TelemetryReading reading, boolean withKey) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending other) {
            int byTime = Long.compare(sendAtMillis, other.sendAtMillis);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
