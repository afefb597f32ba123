package dev.tributary.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.cdc.ChangeRouter;
import dev.tributary.cdc.RowChange;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.schemas.telemetry.ReservationInfo;
import dev.tributary.schemas.telemetry.VehicleInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Enrichment, step 2: keyed by vehicle id, adds the vehicle ({@code vehicles} table) and its
 * active reservation ({@code reservations} table). Readings without a vehicle id pass through.
 */
public final class VehicleJoin extends StateJoin {
    /** Reservation statuses that can no longer be active; such rows leave the state. */
    private static final Set<String> FINISHED = Set.of("completed", "cancelled", "canceled", "expired");

    private transient ValueState<VehicleInfo> vehicle;
    private transient MapState<String, ReservationInfo> reservations;

    public VehicleJoin(Duration maxWait) {
        super(maxWait);
    }

    /** The key of a reading at this step: its vehicle, or its device when it has no vehicle. */
    public static String keyOf(EnrichedTelemetry reading) {
        return reading.getVehicleId() != null ? reading.getVehicleId() : "device:" + reading.getDeviceId();
    }

    @Override
    protected void openState() {
        vehicle = getRuntimeContext().getState(new ValueStateDescriptor<>("vehicle", TypeInformation.of(VehicleInfo.class)));
        reservations = getRuntimeContext().getMapState(new MapStateDescriptor<>("reservations",
                TypeInformation.of(String.class), TypeInformation.of(ReservationInfo.class)));
    }

    @Override
    protected boolean needsState(EnrichedTelemetry reading) {
        return reading.getVehicleId() != null;
    }

    @Override
    protected boolean stateKnown() throws Exception {
        return vehicle.value() != null;
    }

    @Override
    protected void enrich(EnrichedTelemetry reading) throws Exception {
        reading.setVehicle(vehicle.value());
        reading.setReservation(activeReservation(reading.getEventTime()));
        reading.setEnrichmentStatus(EnrichmentStatus.ENRICHED.value());
    }

    @Override
    protected EnrichmentStatus missingStatus() {
        return EnrichmentStatus.VEHICLE_UNKNOWN;
    }

    @Override
    protected void apply(RowChange change) throws Exception {
        JsonNode row = JsonAvroReader.mapper().readTree(change.rowJson());
        if (ChangeRouter.VEHICLES.equals(change.table())) {
            if (change.deleted()) {
                vehicle.clear();
            } else {
                vehicle.update(VehicleInfo.newBuilder()
                        .setVin(text(row, "vin"))
                        .setMake(text(row, "make"))
                        .setModel(text(row, "model"))
                        .setModelYear(row.hasNonNull("model_year") ? row.get("model_year").asInt() : null)
                        .setFuelType(text(row, "fuel_type"))
                        .setHomeZone(text(row, "home_zone"))
                        .build());
            }
        } else if (ChangeRouter.RESERVATIONS.equals(change.table())) {
            String reservationId = text(row, "id");
            String status = text(row, "status");
            if (reservationId == null) {
                return;
            }
            if (change.deleted() || (status != null && FINISHED.contains(status))) {
                reservations.remove(reservationId);
            } else {
                reservations.put(reservationId, ReservationInfo.newBuilder()
                        .setReservationId(reservationId)
                        .setCustomerId(text(row, "customer_id"))
                        .setStatus(status)
                        .setStartsAt(instant(row.get("starts_at")))
                        .setEndsAt(instant(row.get("ends_at")))
                        .build());
            }
        }
    }

    private ReservationInfo activeReservation(Instant at) throws Exception {
        ReservationInfo chosen = null;
        for (Map.Entry<String, ReservationInfo> entry : reservations.entries()) {
            ReservationInfo reservation = entry.getValue();
            boolean started = reservation.getStartsAt() == null || !reservation.getStartsAt().isAfter(at);
            boolean notEnded = reservation.getEndsAt() == null || reservation.getEndsAt().isAfter(at);
            if (started && notEnded && (chosen == null || later(reservation, chosen))) {
                chosen = reservation;
            }
        }
        return chosen;
    }

    private static boolean later(ReservationInfo a, ReservationInfo b) {
        Instant startA = a.getStartsAt() == null ? Instant.MIN : a.getStartsAt();
        Instant startB = b.getStartsAt() == null ? Instant.MIN : b.getStartsAt();
        return startA.isAfter(startB);
    }

    private static String text(JsonNode row, String column) {
        JsonNode value = row.get(column);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * A timestamp column as Debezium sends it: ISO-8601 text for {@code timestamptz}
     * (ZonedTimestamp), or epoch milliseconds or microseconds as a number.
     */
    static Instant instant(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return OffsetDateTime.parse(value.textValue()).toInstant();
        }
        long number = value.asLong();
        return Math.abs(number) > 100_000_000_000_000L ? Instant.ofEpochSecond(0, number * 1000) : Instant.ofEpochMilli(number);
    }
}
