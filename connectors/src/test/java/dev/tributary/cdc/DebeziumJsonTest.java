package dev.tributary.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebeziumJsonTest {
    private static final String PAYLOAD = """
            {"before": null,
             "after": {"id": "dev-0042", "vehicle_id": "veh-7", "installed_at": 1741944413000},
             "source": {"version": "3.4.0.Final", "connector": "postgresql", "name": "fleet", "ts_ms": 1741944413123,
                        "snapshot": "false", "db": "fleet", "schema": "public", "table": "devices"},
             "op": "c",
             "ts_ms": 1741944413456}
            """;

    @Test
    void readsPayloadWithoutWrapper() throws IOException {
        ChangeEvent event = DebeziumJson.read(bytes(PAYLOAD));

        assertThat(event.operation()).isEqualTo(ChangeEvent.Operation.CREATE);
        assertThat(event.before()).isNull();
        assertThat(event.after().get("vehicle_id").textValue()).isEqualTo("veh-7");
        assertThat(event.row()).isSameAs(event.after());
        assertThat(event.database()).isEqualTo("public");
        assertThat(event.table()).isEqualTo("devices");
        assertThat(event.timestampMillis()).isEqualTo(1741944413456L);
    }

    @Test
    void readsPayloadInsideSchemaWrapper() throws IOException {
        String wrapped = "{\"schema\": {\"type\": \"struct\", \"optional\": false, \"name\": \"fleet.public.devices.Envelope\"}, \"payload\": " + PAYLOAD + "}";

        ChangeEvent event = DebeziumJson.read(bytes(wrapped));

        assertThat(event).isEqualTo(DebeziumJson.read(bytes(PAYLOAD)));
    }

    @Test
    void databaseFallsBackToDbWithoutSchema() throws IOException {
        String mysql = PAYLOAD.replace("\"schema\": \"public\", ", "");

        assertThat(mysql).isNotEqualTo(PAYLOAD);
        assertThat(DebeziumJson.read(bytes(mysql)).database()).isEqualTo("fleet");
    }

    @Test
    void tombstoneIsNull() throws IOException {
        assertThat(DebeziumJson.read(null)).isNull();
        assertThat(DebeziumJson.read(new byte[0])).isNull();
    }

    @Test
    void deleteKeepsTheRowBefore() throws IOException {
        String delete = """
                {"before": {"id": "dev-0042", "vehicle_id": "veh-7"}, "after": null,
                 "source": {"schema": "public", "table": "devices"}, "op": "d", "ts_ms": 5}
                """;

        ChangeEvent event = DebeziumJson.read(bytes(delete));

        assertThat(event.operation()).isEqualTo(ChangeEvent.Operation.DELETE);
        assertThat(event.after()).isNull();
        assertThat(event.before().get("id").textValue()).isEqualTo("dev-0042");
        assertThat(event.row()).isSameAs(event.before());
    }

    @Test
    void writtenEventsReadBackEqual() throws IOException {
        ObjectNode before = DebeziumJson.newRow().put("id", "res-1").put("vehicle_id", "veh-7").put("status", "active");
        ObjectNode after = DebeziumJson.newRow().put("id", "res-1").put("vehicle_id", "veh-9").put("status", "active").putNull("customer_id");
        ChangeEvent update = new ChangeEvent(ChangeEvent.Operation.UPDATE, before, after, "public", "reservations", 1741944413456L);
        ChangeEvent delete = new ChangeEvent(ChangeEvent.Operation.DELETE, after, null, "public", "reservations", 1741944414000L);
        ChangeEvent snapshot = new ChangeEvent(ChangeEvent.Operation.READ, null, before, "public", "reservations", 1L);

        for (ChangeEvent event : new ChangeEvent[] {update, delete, snapshot}) {
            assertThat(DebeziumJson.read(DebeziumJson.write(event, "fleet"))).as("%s", event.operation()).isEqualTo(event);
        }
    }

    @Test
    void writeNamesTheSourceLikeDebezium() throws IOException {
        ChangeEvent snapshot = new ChangeEvent(ChangeEvent.Operation.READ, null, DebeziumJson.newRow().put("id", "veh-7"), "public", "vehicles", 1L);

        ObjectNode written = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(DebeziumJson.write(snapshot, "fleet"));

        assertThat(written.get("op").textValue()).isEqualTo("r");
        assertThat(written.at("/source/snapshot").textValue()).isEqualTo("true");
        assertThat(written.at("/source/db").textValue()).isEqualTo("fleet");
        assertThat(written.at("/source/table").textValue()).isEqualTo("vehicles");
    }

    @Test
    void missingOperationIsAnIoException() {
        String withoutOp = PAYLOAD.replace("\"op\": \"c\",", "");

        assertThat(withoutOp).isNotEqualTo(PAYLOAD);
        assertThatThrownBy(() -> DebeziumJson.read(bytes(withoutOp)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'op'");
    }

    @Test
    void missingTableIsAnIoException() {
        String withoutTable = PAYLOAD.replace("\"table\": \"devices\"", "\"tables\": \"devices\"");

        assertThatThrownBy(() -> DebeziumJson.read(bytes(withoutTable)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("source.table");
    }

    @Test
    void malformedJsonIsAnIoException() {
        assertThatThrownBy(() -> DebeziumJson.read(bytes("{\"op\": ")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void keyAndTopicFollowDebeziumNaming() {
        assertThat(new String(DebeziumJson.key(Map.of("id", "dev-0042")), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"dev-0042\"}");
        assertThat(DebeziumJson.topic("fleet", "public", "devices")).isEqualTo("fleet.cdc.public.devices");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
