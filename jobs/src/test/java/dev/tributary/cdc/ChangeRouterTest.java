package dev.tributary.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.format.JsonAvroReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRouterTest {
    private static final String SERVER = "fleet";

    @Test
    void deviceIsRoutedById() throws IOException {
        ObjectNode row = DebeziumJson.newRow().put("id", "dev-0042").put("vehicle_id", "veh-7");

        List<RowChange> changes = route(ChangeEvent.Operation.CREATE, null, row, "devices");

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.table()).isEqualTo(ChangeRouter.DEVICES);
            assertThat(change.key()).isEqualTo("dev-0042");
            assertThat(change.deleted()).isFalse();
            assertThat(json(change.rowJson())).isEqualTo(row);
        });
    }

    @Test
    void vehicleIsRoutedByIdAndItsDeleteKeepsTheOldRow() throws IOException {
        ObjectNode row = DebeziumJson.newRow().put("id", "veh-7").put("make", "Volvo");

        List<RowChange> updated = route(ChangeEvent.Operation.UPDATE, null, row, "vehicles");
        List<RowChange> deleted = route(ChangeEvent.Operation.DELETE, row, null, "vehicles");

        assertThat(updated).containsExactly(new RowChange(ChangeRouter.VEHICLES, "veh-7", false, row.toString()));
        assertThat(deleted).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo("veh-7");
            assertThat(change.deleted()).isTrue();
            assertThat(json(change.rowJson())).isEqualTo(row);
        });
    }

    @Test
    void reservationIsRoutedByItsVehicle() throws IOException {
        ObjectNode row = reservation("res-1", "veh-7");

        List<RowChange> changes = route(ChangeEvent.Operation.CREATE, null, row, "reservations");

        assertThat(changes).containsExactly(new RowChange(ChangeRouter.RESERVATIONS, "veh-7", false, row.toString()));
    }

    @Test
    void reservationMovedToAnotherVehicleLeavesTheFirst() throws IOException {
        ObjectNode before = reservation("res-1", "veh-7");
        ObjectNode after = reservation("res-1", "veh-9");

        List<RowChange> changes = route(ChangeEvent.Operation.UPDATE, before, after, "reservations");

        assertThat(changes).containsExactly(
                new RowChange(ChangeRouter.RESERVATIONS, "veh-7", true, before.toString()),
                new RowChange(ChangeRouter.RESERVATIONS, "veh-9", false, after.toString()));
    }

    @Test
    void reservationUpdatedOnTheSameVehicleIsOneUpsert() throws IOException {
        ObjectNode before = reservation("res-1", "veh-7");
        ObjectNode after = reservation("res-1", "veh-7").put("status", "completed");

        List<RowChange> changes = route(ChangeEvent.Operation.UPDATE, before, after, "reservations");

        assertThat(changes).containsExactly(new RowChange(ChangeRouter.RESERVATIONS, "veh-7", false, after.toString()));
    }

    @Test
    void reservationDeleteIsRoutedByTheVehicleItHad() throws IOException {
        ObjectNode before = reservation("res-1", "veh-7");

        List<RowChange> changes = route(ChangeEvent.Operation.DELETE, before, null, "reservations");

        assertThat(changes).containsExactly(new RowChange(ChangeRouter.RESERVATIONS, "veh-7", true, before.toString()));
    }

    @Test
    void reservationTakenOffItsVehicleOnlyLeavesIt() throws IOException {
        ObjectNode before = reservation("res-1", "veh-7");
        ObjectNode after = reservation("res-1", "veh-7").putNull("vehicle_id");

        List<RowChange> changes = route(ChangeEvent.Operation.UPDATE, before, after, "reservations");

        assertThat(changes).containsExactly(new RowChange(ChangeRouter.RESERVATIONS, "veh-7", true, before.toString()));
    }

    @Test
    void otherTablesAreIgnored() throws IOException {
        ObjectNode customer = DebeziumJson.newRow().put("id", "cust-1").put("email", "someone@example.com");

        assertThat(route(ChangeEvent.Operation.CREATE, null, customer, "customers")).isEmpty();
    }

    @Test
    void tombstonesAndTruncatesAreIgnored() throws IOException {
        assertThat(ChangeRouter.route(null)).isEmpty();
        assertThat(ChangeRouter.route(new byte[0])).isEmpty();
        assertThat(route(ChangeEvent.Operation.TRUNCATE, null, null, "devices")).isEmpty();
    }

    @Test
    void deviceWithoutIdIsAnError() {
        ObjectNode row = DebeziumJson.newRow().put("vehicle_id", "veh-7");

        assertThatThrownBy(() -> route(ChangeEvent.Operation.CREATE, null, row, "devices"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'devices'")
                .hasMessageContaining("'id'");
    }

    @Test
    void unreadableEventIsAnError() {
        assertThatThrownBy(() -> ChangeRouter.route("{\"payload\": 1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    private static List<RowChange> route(ChangeEvent.Operation operation, ObjectNode before, ObjectNode after, String table) throws IOException {
        ChangeEvent event = new ChangeEvent(operation, before, after, "public", table, 1_741_944_413_000L);
        return ChangeRouter.route(DebeziumJson.write(event, SERVER));
    }

    private static ObjectNode reservation(String id, String vehicleId) {
        return DebeziumJson.newRow().put("id", id).put("vehicle_id", vehicleId).put("customer_id", "cust-3").put("status", "active")
                .put("starts_at", "2025-03-14T08:00:00Z").put("ends_at", "2025-03-14T10:00:00Z");
    }

    private static JsonNode json(String text) throws IOException {
        return JsonAvroReader.mapper().readTree(text);
    }
}
