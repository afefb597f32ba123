package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cdc.ChangeRouter;
import dev.tributary.cdc.RowChange;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceJoinTest {
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2025-03-14T09:00:00Z");

    private KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new DeviceJoin(MAX_WAIT)),
                EnrichedTelemetry::getDeviceId, RowChange::key, Types.STRING);
        harness.setProcessingTime(1_000);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void readingWhoseDeviceIsKnownIsEnrichedAtOnce() throws Exception {
        harness.processElement2(device("dev-1", "veh-7"), 0);

        send(reading("dev-1", 1, 100));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(reading -> {
            assertThat(reading.getEventId()).isEqualTo("dev-1-1");
            assertThat(reading.getVehicleId()).isEqualTo("veh-7");
            assertThat(reading.getEnrichmentWaitMs()).isZero();
            assertThat(reading.getEnrichmentStatus()).as("the vehicle join sets the final status").isEqualTo("pending");
            assertThat(reading.getSource().getOffset()).isEqualTo(100L);
        });
    }

    @Test
    void readingWaitsForItsDeviceAndIsReleasedInOrderWhenTheRowArrives() throws Exception {
        send(reading("dev-1", 1, 100));
        send(reading("dev-1", 2, 101));
        harness.setProcessingTime(1_400);
        List<EnrichedTelemetry> whileWaiting = List.copyOf(harness.extractOutputValues());

        harness.processElement2(device("dev-1", "veh-7"), 0);

        assertThat(whileWaiting).isEmpty();
        assertThat(harness.extractOutputValues()).satisfiesExactly(
                first -> {
                    assertThat(first.getEventId()).isEqualTo("dev-1-1");
                    assertThat(first.getVehicleId()).isEqualTo("veh-7");
                    assertThat(first.getEnrichmentWaitMs()).isEqualTo(400L);
                },
                second -> {
                    assertThat(second.getEventId()).isEqualTo("dev-1-2");
                    assertThat(second.getVehicleId()).isEqualTo("veh-7");
                });
        harness.setProcessingTime(1_000 + MAX_WAIT.toMillis() + 1);
        assertThat(harness.extractOutputValues()).as("released once, not again at the deadline").hasSize(2);
    }

    @Test
    void readingAfterAWaitingOneWaitsBehindItKeepingOrder() throws Exception {
        send(reading("dev-1", 1, 100));
        harness.processElement2(device("dev-2", "veh-8"), 0);
        send(reading("dev-2", 1, 101));
        send(reading("dev-1", 2, 102));
        harness.processElement2(device("dev-1", "veh-7"), 0);

        assertThat(harness.extractOutputValues()).extracting(EnrichedTelemetry::getEventId)
                .containsExactly("dev-2-1", "dev-1-1", "dev-1-2");
    }

    @Test
    void readingWithoutDeviceIsReleasedAfterMaxWaitAsDeviceUnknown() throws Exception {
        send(reading("dev-9", 1, 100));
        harness.setProcessingTime(4_000);
        send(reading("dev-9", 2, 101));

        harness.setProcessingTime(1_000 + MAX_WAIT.toMillis() - 1);
        List<EnrichedTelemetry> beforeDeadline = List.copyOf(harness.extractOutputValues());
        harness.setProcessingTime(1_000 + MAX_WAIT.toMillis());
        List<EnrichedTelemetry> atFirstDeadline = List.copyOf(harness.extractOutputValues());
        harness.setProcessingTime(4_000 + MAX_WAIT.toMillis());

        assertThat(beforeDeadline).isEmpty();
        assertThat(atFirstDeadline).singleElement().satisfies(reading -> {
            assertThat(reading.getEventId()).isEqualTo("dev-9-1");
            assertThat(reading.getEnrichmentStatus()).isEqualTo(EnrichmentStatus.DEVICE_UNKNOWN.value());
            assertThat(reading.getEnrichmentWaitMs()).isEqualTo(MAX_WAIT.toMillis());
            assertThat(reading.getVehicleId()).isNull();
        });
        assertThat(harness.extractOutputValues()).extracting(EnrichedTelemetry::getEventId).containsExactly("dev-9-1", "dev-9-2");
        assertThat(harness.extractOutputValues().get(1).getEnrichmentStatus()).isEqualTo("device_unknown");
    }

    @Test
    void waitingReadingsAreReleasedAtEndOfInput() throws Exception {
        send(reading("dev-9", 1, 100));
        send(reading("dev-8", 1, 101));

        harness.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
        harness.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

        assertThat(harness.extractOutputValues())
                .extracting(EnrichedTelemetry::getEventId, EnrichedTelemetry::getEnrichmentStatus)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("dev-9-1", "device_unknown"),
                        org.assertj.core.groups.Tuple.tuple("dev-8-1", "device_unknown"));
    }

    @Test
    void deviceWithoutVehicleIsUnassigned() throws Exception {
        harness.processElement2(device("dev-1", null), 0);

        send(reading("dev-1", 1, 100));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(reading -> {
            assertThat(reading.getVehicleId()).isNull();
            assertThat(reading.getEnrichmentStatus()).isEqualTo(EnrichmentStatus.DEVICE_UNASSIGNED.value());
        });
    }

    @Test
    void deletedDeviceIsForgotten() throws Exception {
        harness.processElement2(device("dev-1", "veh-7"), 0);
        harness.processElement2(new RowChange(ChangeRouter.DEVICES, "dev-1", true, "{\"id\":\"dev-1\",\"vehicle_id\":\"veh-7\"}"), 0);

        send(reading("dev-1", 1, 100));

        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(1_000 + MAX_WAIT.toMillis());
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(reading -> assertThat(reading.getEnrichmentStatus()).isEqualTo("device_unknown"));
    }

    @Test
    void deviceMovedToAnotherVehicleEnrichesLaterReadingsWithTheNewOne() throws Exception {
        harness.processElement2(device("dev-1", "veh-7"), 0);
        send(reading("dev-1", 1, 100));
        harness.processElement2(device("dev-1", "veh-9"), 0);
        send(reading("dev-1", 2, 101));

        assertThat(harness.extractOutputValues()).extracting(EnrichedTelemetry::getVehicleId).containsExactly("veh-7", "veh-9");
    }

    private void send(EnrichedTelemetry reading) throws Exception {
        harness.processElement1(reading, reading.getEventTime().toEpochMilli());
    }

    private static EnrichedTelemetry reading(String deviceId, long sequence, long offset) {
        return TestReadings.reading(deviceId, sequence, T0.plusSeconds(sequence)).parsed(offset);
    }

    private static RowChange device(String deviceId, String vehicleId) {
        String vehicle = vehicleId == null ? "null" : "\"" + vehicleId + "\"";
        return new RowChange(ChangeRouter.DEVICES, deviceId, false, "{\"id\":\"" + deviceId + "\",\"vehicle_id\":" + vehicle + "}");
    }
}
