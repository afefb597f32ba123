package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.cdc.ChangeRouter;
import dev.tributary.cdc.RowChange;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VehicleJoinTest {
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final Instant STARTS = Instant.parse("2025-03-14T08:00:00Z");
    private static final Instant ENDS = Instant.parse("2025-03-14T10:00:00Z");

    private KeyedTwoInputStreamOperatorTestHarness<String, EnrichedTelemetry, RowChange, EnrichedTelemetry> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new VehicleJoin(MAX_WAIT)),
                VehicleJoin::keyOf, RowChange::key, Types.STRING);
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void readingGetsItsVehicleAndTheActiveReservation() throws Exception {
        harness.processElement2(vehicle("veh-7"), 0);
        harness.processElement2(reservation("res-old", "veh-7", "completed", STARTS.minusSeconds(7200), STARTS.minusSeconds(3600)), 0);
        harness.processElement2(reservation("res-1", "veh-7", "active", STARTS, ENDS), 0);
        harness.processElement2(reservation("res-next", "veh-7", "active", ENDS, ENDS.plusSeconds(3600)), 0);

        send(reading("veh-7", 1, Instant.parse("2025-03-14T09:26:53Z")));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(reading -> {
            assertThat(reading.getEnrichmentStatus()).isEqualTo(EnrichmentStatus.ENRICHED.value());
            assertThat(reading.getVehicle().getVin()).isEqualTo("YV1XZ16A9P1234567");
            assertThat(reading.getVehicle().getMake()).isEqualTo("Volvo");
            assertThat(reading.getVehicle().getModelYear()).isEqualTo(2023);
            assertThat(reading.getVehicle().getHomeZone()).isNull();
            assertThat(reading.getReservation().getReservationId()).isEqualTo("res-1");
            assertThat(reading.getReservation().getCustomerId()).isEqualTo("cust-3");
            assertThat(reading.getReservation().getStatus()).isEqualTo("active");
            assertThat(reading.getReservation().getStartsAt()).isEqualTo(STARTS);
            assertThat(reading.getReservation().getEndsAt()).isEqualTo(ENDS);
        });
    }

    @Test
    void reservationIsActiveFromItsStartUntilJustBeforeItsEnd() throws Exception {
        harness.processElement2(vehicle("veh-7"), 0);
        harness.processElement2(reservation("res-1", "veh-7", "active", STARTS, ENDS), 0);

        send(reading("veh-7", 1, STARTS.minusMillis(1)));
        send(reading("veh-7", 2, STARTS));
        send(reading("veh-7", 3, ENDS.minusMillis(1)));
        send(reading("veh-7", 4, ENDS));

        assertThat(harness.extractOutputValues())
                .extracting(reading -> reading.getReservation() == null ? null : reading.getReservation().getReservationId())
                .containsExactly(null, "res-1", "res-1", null);
    }

    @Test
    void reservationThatLeftTheVehicleIsNoLongerAttached() throws Exception {
        harness.processElement2(vehicle("veh-7"), 0);
        harness.processElement2(reservation("res-1", "veh-7", "active", STARTS, ENDS), 0);
        send(reading("veh-7", 1, STARTS.plusSeconds(60)));
        harness.processElement2(new RowChange(ChangeRouter.RESERVATIONS, "veh-7", true,
                reservationRow("res-1", "veh-7", "active", STARTS, ENDS).toString()), 0);
        send(reading("veh-7", 2, STARTS.plusSeconds(120)));

        assertThat(harness.extractOutputValues())
                .extracting(reading -> reading.getReservation() == null ? null : reading.getReservation().getReservationId())
                .containsExactly("res-1", null);
    }

    @Test
    void readingWaitsForItsVehicle() throws Exception {
        send(reading("veh-7", 1, STARTS.plusSeconds(60)));
        harness.setProcessingTime(250);
        harness.processElement2(reservation("res-1", "veh-7", "active", STARTS, ENDS), 0);
        boolean emptyBeforeVehicle = harness.extractOutputValues().isEmpty();

        harness.processElement2(vehicle("veh-7"), 0);

        assertThat(emptyBeforeVehicle).as("a reservation alone is not the vehicle").isTrue();
        assertThat(harness.extractOutputValues()).singleElement().satisfies(reading -> {
            assertThat(reading.getEnrichmentStatus()).isEqualTo("enriched");
            assertThat(reading.getEnrichmentWaitMs()).isEqualTo(250L);
            assertThat(reading.getReservation().getReservationId()).isEqualTo("res-1");
        });
    }

    @Test
    void readingWithoutVehicleRowIsReleasedAfterMaxWaitAsVehicleUnknown() throws Exception {
        send(reading("veh-404", 1, STARTS));

        harness.setProcessingTime(MAX_WAIT.toMillis());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(reading -> {
            assertThat(reading.getEnrichmentStatus()).isEqualTo(EnrichmentStatus.VEHICLE_UNKNOWN.value());
            assertThat(reading.getVehicle()).isNull();
            assertThat(reading.getVehicleId()).isEqualTo("veh-404");
        });
    }

    @Test
    void readingWithoutVehicleIdPassesStraightThrough() throws Exception {
        EnrichedTelemetry unknownDevice = TestReadings.reading("dev-9", 1, STARTS).parsed(1);
        unknownDevice.setEnrichmentStatus(EnrichmentStatus.DEVICE_UNKNOWN.value());

        send(unknownDevice);

        assertThat(VehicleJoin.keyOf(unknownDevice)).isEqualTo("device:dev-9");
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(reading -> assertThat(reading.getEnrichmentStatus()).isEqualTo("device_unknown"));
    }

    @Test
    void waitingReadingsAreReleasedAtEndOfInput() throws Exception {
        send(reading("veh-404", 1, STARTS));

        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(reading -> assertThat(reading.getEnrichmentStatus()).isEqualTo("vehicle_unknown"));
    }

    @Test
    void timestampColumnsAreReadInDebeziumEncodings() {
        Instant at = Instant.parse("2025-03-14T09:26:53.589Z");

        assertThat(VehicleJoin.instant(JsonAvroReader.mapper().getNodeFactory().textNode("2025-03-14T10:26:53.589+01:00"))).isEqualTo(at);
        assertThat(VehicleJoin.instant(JsonAvroReader.mapper().getNodeFactory().numberNode(at.toEpochMilli()))).isEqualTo(at);
        assertThat(VehicleJoin.instant(JsonAvroReader.mapper().getNodeFactory().numberNode(at.toEpochMilli() * 1000))).isEqualTo(at);
        assertThat(VehicleJoin.instant(JsonAvroReader.mapper().getNodeFactory().nullNode())).isNull();
    }

    private void send(EnrichedTelemetry reading) throws Exception {
        harness.processElement1(reading, reading.getEventTime().toEpochMilli());
    }

    private static EnrichedTelemetry reading(String vehicleId, long sequence, Instant eventTime) {
        return TestReadings.reading("dev-1", sequence, eventTime).parsedForVehicle(vehicleId, sequence);
    }

    private static RowChange vehicle(String vehicleId) {
        ObjectNode row = JsonAvroReader.mapper().createObjectNode()
                .put("id", vehicleId).put("vin", "YV1XZ16A9P1234567").put("make", "Volvo").put("model", "XC40")
                .put("model_year", 2023).put("fuel_type", "electric").putNull("home_zone");
        return new RowChange(ChangeRouter.VEHICLES, vehicleId, false, row.toString());
    }

    private static RowChange reservation(String id, String vehicleId, String status, Instant startsAt, Instant endsAt) {
        return new RowChange(ChangeRouter.RESERVATIONS, vehicleId, false, reservationRow(id, vehicleId, status, startsAt, endsAt).toString());
    }

    private static ObjectNode reservationRow(String id, String vehicleId, String status, Instant startsAt, Instant endsAt) {
        return JsonAvroReader.mapper().createObjectNode()
                .put("id", id).put("vehicle_id", vehicleId).put("customer_id", "cust-3").put("status", status)
                .put("starts_at", startsAt.toString()).put("ends_at", endsAt.toString());
    }
}
