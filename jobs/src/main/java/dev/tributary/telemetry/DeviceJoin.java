package dev.tributary.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.cdc.RowChange;
import dev.tributary.format.JsonAvroReader;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Enrichment, step 1: keyed by device id, finds the vehicle the device is installed in ({@code devices} table). */
public final class DeviceJoin extends StateJoin {
    private transient ValueState<DeviceRow> device;

    public DeviceJoin(Duration maxWait) {
        super(maxWait);
    }

    /** What the pipeline keeps of a {@code devices} row. */
    public record DeviceRow(String vehicleId) {}

    @Override
    protected void openState() {
        device = getRuntimeContext().getState(new ValueStateDescriptor<>("device", TypeInformation.of(DeviceRow.class)));
    }

    @Override
    protected boolean needsState(EnrichedTelemetry reading) {
        return true;
    }

    @Override
    protected boolean stateKnown() throws Exception {
        return device.value() != null;
    }

    @Override
    protected void enrich(EnrichedTelemetry reading) throws Exception {
        String vehicleId = device.value().vehicleId();
        reading.setVehicleId(vehicleId);
        if (vehicleId == null) {
            reading.setEnrichmentStatus(EnrichmentStatus.DEVICE_UNASSIGNED.value());
        }
    }

    @Override
    protected void apply(RowChange change) throws Exception {
        if (change.deleted()) {
            device.clear();
            return;
        }
        JsonNode row = JsonAvroReader.mapper().readTree(change.rowJson());
        JsonNode vehicleId = row.get("vehicle_id");
        device.update(new DeviceRow(vehicleId == null || vehicleId.isNull() ? null : vehicleId.asText()));
    }

    @Override
    protected EnrichmentStatus missingStatus() {
        return EnrichmentStatus.DEVICE_UNKNOWN;
    }
}
