package dev.tributary.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes Debezium change events of the operational tables to the state they feed:
 * {@code devices} by device id, {@code vehicles} by vehicle id, and {@code reservations} by
 * the vehicle they reserve (a reservation moved to another vehicle leaves the first one).
 * Tables the enrichment does not use are skipped, as are tombstones.
 */
public final class ChangeRouter {
    public static final String DEVICES = "devices";
    public static final String VEHICLES = "vehicles";
    public static final String RESERVATIONS = "reservations";

    private ChangeRouter() {}

    public static List<RowChange> route(byte[] value) throws IOException {
        ChangeEvent event = DebeziumJson.read(value);
        if (event == null || event.operation() == ChangeEvent.Operation.TRUNCATE) {
            return List.of();
        }
        boolean deleted = event.operation() == ChangeEvent.Operation.DELETE;
        switch (event.table()) {
            case DEVICES:
            case VEHICLES:
                return List.of(new RowChange(event.table(), requiredText(event.row(), "id", event.table()), deleted, event.row().toString()));
            case RESERVATIONS: {
                List<RowChange> changes = new ArrayList<>(2);
                String vehicleBefore = event.before() == null ? null : text(event.before(), "vehicle_id");
                String vehicleNow = text(event.row(), "vehicle_id");
                if (vehicleBefore != null && !deleted && !vehicleBefore.equals(vehicleNow)) {
                    changes.add(new RowChange(RESERVATIONS, vehicleBefore, true, event.before().toString()));
                }
                if (vehicleNow != null) {
                    changes.add(new RowChange(RESERVATIONS, vehicleNow, deleted, event.row().toString()));
                }
                return changes;
            }
            default:
                return List.of();
        }
    }

    private static String requiredText(ObjectNode row, String column, String table) throws IOException {
        String value = text(row, column);
        if (value == null) {
            throw new IOException("change to table '" + table + "' has no '" + column + "' column");
        }
        return value;
    }

    static String text(JsonNode row, String column) {
        JsonNode value = row.get(column);
        return value == null || value.isNull() ? null : value.asText();
    }
}
