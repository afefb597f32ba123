package dev.tributary.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Debezium's change envelope as Kafka Connect's {@code JsonConverter} writes it, with or
 * without the {@code schema}/{@code payload} wrapper ({@code schemas.enable}). Reading accepts
 * both; writing produces the payload alone, as Debezium does with {@code schemas.enable=false}.
 *
 * <p>Topic names follow Debezium on Kafka Connect: {@code <prefix>.cdc.<database>.<table>}.
 */
public final class DebeziumJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    public static final String CONNECTOR_VERSION = "3.1.0.Final";

    private DebeziumJson() {}

    /**
     * Reads a change event value. Returns null for a tombstone (a null or empty value, which
     * Debezium sends after a delete so that compaction can drop the key).
     */
    public static ChangeEvent read(byte[] value) throws IOException {
        if (value == null || value.length == 0) {
            return null;
        }
        JsonNode root = MAPPER.readTree(value);
        JsonNode payload = root.has("payload") && root.has("schema") ? root.get("payload") : root;
        if (payload == null || !payload.isObject()) {
            throw new IOException("not a Debezium change event: no payload object");
        }
        JsonNode op = payload.get("op");
        if (op == null || !op.isTextual()) {
            throw new IOException("not a Debezium change event: no 'op'");
        }
        JsonNode source = payload.path("source");
        String table = source.path("table").asText(null);
        if (table == null) {
            throw new IOException("not a Debezium change event: no 'source.table'");
        }
        String database = source.hasNonNull("schema") ? source.get("schema").asText() : source.path("db").asText("");
        return new ChangeEvent(
                ChangeEvent.Operation.fromCode(op.textValue()),
                objectOrNull(payload.get("before")),
                objectOrNull(payload.get("after")),
                database,
                table,
                payload.path("ts_ms").asLong(0));
    }

    /** Writes the envelope's payload, with a {@code source} block like Debezium's PostgreSQL connector. */
    public static byte[] write(ChangeEvent event, String serverName) {
        ObjectNode payload = MAPPER.createObjectNode();
        payload.set("before", event.before());
        payload.set("after", event.after());
        ObjectNode source = payload.putObject("source");
        source.put("version", CONNECTOR_VERSION);
        source.put("connector", "postgresql");
        source.put("name", serverName);
        source.put("ts_ms", event.timestampMillis());
        source.put("snapshot", event.operation() == ChangeEvent.Operation.READ ? "true" : "false");
        source.put("db", serverName);
        source.put("schema", event.database());
        source.put("table", event.table());
        payload.put("op", event.operation().code());
        payload.put("ts_ms", event.timestampMillis());
        return toBytes(payload);
    }

    /** A record key as Debezium writes it: the primary key columns as a JSON object. */
    public static byte[] key(Map<String, ?> primaryKey) {
        return toBytes(MAPPER.valueToTree(primaryKey));
    }

    public static ObjectNode newRow() {
        return MAPPER.createObjectNode();
    }

    public static String topic(String prefix, String database, String table) {
        return prefix + ".cdc." + database + "." + table;
    }

    private static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode objectOrNull(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }
}
