package dev.tributary.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.simulator.FleetSimulator;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.ParsedTelemetry;
import dev.tributary.telemetry.TelemetryParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The per-entity statistical detector over a simulated day of a fleet: the same window means
 * and detectors the telemetry job runs, fed in event-time order per vehicle.
 */
class FleetAnomalyDetectionTest {
    static final Duration WINDOW = Duration.ofMinutes(1);

    @Test
    void aDayOfCleanVehiclesRaisesNoAlertAndWhatIsRaisedIsAnInjectedFault() {
        int vehicles = 20;
        long rounds = Duration.ofDays(1).dividedBy(Duration.ofSeconds(5));
        Map<String, List<EnrichedTelemetry>> byDevice = simulate(SimulatorConfig.defaults(vehicles, vehicles * rounds).withBadInput(0, 0));
        MetricPaths metrics = MetricPaths.resolve("anomaly.metrics", MetricPaths.defaults());

        Map<String, List<Alert>> opened = new TreeMap<>();
        for (Map.Entry<String, List<EnrichedTelemetry>> device : byDevice.entrySet()) {
            opened.put(device.getKey(), detect(device.getValue(), metrics, AnomalyConfig.PER_ENTITY).stream()
                    .filter(alert -> alert.getStatus().equals("opened")).toList());
        }
        Set<String> faulty = report.scenarios().stream()
                .filter(scenario -> !scenario.type().equals(Scenario.HEADLIGHTS_LEFT_ON))
                .map(Scenario::deviceId).collect(Collectors.toSet());
        assertThat(faulty).isNotEmpty();
        opened.forEach((device, alerts) -> {
            if (!faulty.contains(device)) {
                assertThat(alerts).as("clean %s", device).isEmpty();
            }
        });
        // Each alert it raised falls inside an injected fault of that vehicle (or the minutes right
        // after, as an overheated engine cools down), and it raised some.
        List<Alert> raised = opened.values().stream().flatMap(List::stream).toList();
        System.out.printf("per-entity detector over %d vehicle-days: %d alerts opened, on %s%n", byDevice.size(), raised.size(),
                raised.stream().map(alert -> alert.getDeviceId() + " " + alert.getObservedValues().get("metric")).toList());
        assertThat(raised).isNotEmpty();

        // Why the per-entity default lets the forest vote alone (see AnomalyConfig.PER_ENTITY):
        // with novelty voting too, the same day floods.
        DetectorSettings combined = AnomalyConfig.PER_ENTITY.withSignals(DetectorSettings.Signals.FOREST_AND_NOVELTY);
        long flood = byDevice.values().stream().mapToLong(readings -> detect(readings, metrics, combined).stream()
                .filter(alert -> alert.getStatus().equals("opened")).count()).sum();
        System.out.printf("with novelty voting too: %d alerts opened%n", flood);
        assertThat(flood).isGreaterThan(10L * raised.size());
        for (Alert alert : raised) {
            assertThat(report.scenarios()).as(alert.getExplanation()).anyMatch(scenario -> scenario.deviceId().equals(alert.getDeviceId())
                    && !alert.getConditionSince().isBefore(scenario.conditionStart().minus(WINDOW))
                    && !alert.getConditionSince().isAfter(scenario.conditionEnd().plus(WINDOW.multipliedBy(3))));
            assertThat(alert.getAlertType()).isEqualTo(EntityDetectors.TYPE);
            assertThat(alert.getExplanation()).contains(alert.getObservedValues().get("metric")).contains(alert.getEntityId());
        }
    }

    private SimulationReport report;

    private Map<String, List<EnrichedTelemetry>> simulate(SimulatorConfig config) {
        TelemetryParser parser = new TelemetryParser(1 << 20);
        // A fixed clock: the same windows, and so the same detections, on every run; readings are processed at its time.
        java.time.Instant now = java.time.Instant.parse("2026-01-02T00:00:00Z");
        Map<String, List<EnrichedTelemetry>> byDevice = new TreeMap<>();
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                // Parsed at once and not kept: a day of a fleet does not fit a mock's history.
                ParsedTelemetry parsed = parser.parse(record.topic(), 0, 0, 0, record.key(), record.value(), now.toEpochMilli());
                byDevice.computeIfAbsent(parsed.reading().getDeviceId(), key -> new ArrayList<>()).add(parsed.reading());
                if (callback != null) {
                    callback.onCompletion(null, null);
                }
                return CompletableFuture.completedFuture(null);
            }
        };
        report = new FleetSimulator(config).run(producer, "telemetry", now);
        return byDevice;
    }

    /** Window means per minute of event time, then the entity's detectors, as the job runs them. */
    static List<Alert> detect(List<EnrichedTelemetry> readings, MetricPaths metrics, DetectorSettings settings) {
        readings.sort(Comparator.comparing(EnrichedTelemetry::getEventTime));
        MetricWindowAggregator aggregator = new MetricWindowAggregator(metrics);
        EntityDetectors detectors = new EntityDetectors(settings, metrics.size());
        List<Alert> alerts = new ArrayList<>();
        long window = WINDOW.toMillis();
        long start = -1;
        MetricWindowAggregator.Accumulator accumulator = aggregator.createAccumulator();
        for (EnrichedTelemetry reading : readings) {
            long time = reading.getEventTime().toEpochMilli();
            long windowStart = time - time % window;
            if (start >= 0 && windowStart != start) {
                alerts.addAll(detectors.observe(MetricWindowAggregator.aggregate(accumulator, start, start + window), metrics, WINDOW));
                accumulator = aggregator.createAccumulator();
            }
            start = windowStart;
            aggregator.add(reading, accumulator);
        }
        return alerts;
    }
}
