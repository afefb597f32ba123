package dev.tributary.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.types.RowKind;

/**
 * Takes Debezium change events apart: key, envelope, row schema. Events it cannot use raise
 * {@link UnusableChangeException} with a reason fit for a dead letter; tombstones and
 * Debezium's logical messages decode to null (they carry no row).
 */
public final class ChangeDecoder {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ChangeDecoder() {}

    public static DecodedChange decode(byte[] key, byte[] value) throws UnusableChangeException {
        if (value == null || value.length == 0) {
            return null;
        }
        if (key == null || key.length == 0) {
            throw new UnusableChangeException("change event has no key: the mirror upserts by primary key,"
                    + " so capture only tables with a primary key (or set Debezium's message.key.columns)");
        }
        JsonNode root = parse(value, "value");
        JsonNode schema = root.get("schema");
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new UnusableChangeException("malformed change envelope: no 'payload' object");
        }
        if (schema == null || !schema.isObject()) {
            throw new UnusableChangeException("change event carries no schema: the mirror needs Kafka Connect's JsonConverter"
                    + " with schemas.enable=true (Debezium's default), which says each column's type");
        }
        String op = payload.path("op").asText(null);
        if (op == null) {
            throw new UnusableChangeException("malformed change envelope: no 'op'");
        }
        if (op.equals("m")) {
            return null;
        }
        JsonNode source = payload.path("source");
        String table = source.path("table").asText(null);
        if (table == null) {
            throw new UnusableChangeException("malformed change envelope: no 'source.table'");
        }
        String database = source.hasNonNull("schema") ? source.get("schema").asText() : source.path("db").asText("");
        RowKind kind;
        switch (op) {
            case "c":
            case "r":
                kind = RowKind.INSERT;
                break;
            case "u":
                kind = RowKind.UPDATE_AFTER;
                break;
            case "d":
                kind = RowKind.DELETE;
                break;
            case "t":
                throw new UnusableChangeException("table " + database + "." + table + " was truncated: the mirror does not"
                        + " empty tables on its own; re-snapshot the table to bring the mirror back in line");
            default:
                throw new UnusableChangeException("malformed change envelope: unknown op '" + op + "'");
        }
        JsonNode rowSchema = rowSchema(schema);
        JsonNode keyRoot = parse(key, "key");
        JsonNode keyPayload = keyRoot.has("payload") && keyRoot.has("schema") ? keyRoot.get("payload") : keyRoot;
        if (keyPayload == null || !keyPayload.isObject() || keyPayload.isEmpty()) {
            throw new UnusableChangeException("change event key is not an object of primary key columns: " + abbreviate(keyRoot.toString()));
        }
        Set<String> keyColumns = new LinkedHashSet<>();
        keyPayload.fieldNames().forEachRemaining(keyColumns::add);
        JsonNode row = kind == RowKind.DELETE ? payload.get("before") : payload.get("after");
        if (row == null || !row.isObject()) {
            if (kind != RowKind.DELETE) {
                throw new UnusableChangeException("malformed change envelope: op '" + op + "' without an 'after' row");
            }
            row = keyPayload;
        } else if (kind == RowKind.DELETE) {
            // The row before a delete may hold only the key (PostgreSQL's default replica identity): the key decides.
            ObjectNode merged = ((ObjectNode) row).deepCopy();
            keyPayload.fields().forEachRemaining(entry -> merged.set(entry.getKey(), entry.getValue()));
            row = merged;
        }
        for (String column : keyColumns) {
            if (!row.hasNonNull(column)) {
                throw new UnusableChangeException("row has no value for primary key column '" + column + "'");
            }
        }
        return new DecodedChange(database, table, keyColumns, rowSchema, row, kind, op, micros(source), micros(payload));
    }

    /** A Debezium timestamp pair ({@code ts_us}, else {@code ts_ms}) in microseconds; null when neither is a number. */
    private static Long micros(JsonNode node) {
        JsonNode micros = node.get("ts_us");
        if (micros != null && micros.canConvertToLong()) {
            return micros.asLong();
        }
        JsonNode millis = node.get("ts_ms");
        return millis != null && millis.canConvertToLong() ? millis.asLong() * 1000 : null;
    }

    /** The schema of {@code after} (or {@code before}) inside the envelope's schema. */
    private static JsonNode rowSchema(JsonNode envelopeSchema) throws UnusableChangeException {
        for (JsonNode field : envelopeSchema.path("fields")) {
            String name = field.path("field").asText();
            if ((name.equals("after") || name.equals("before")) && field.path("type").asText().equals("struct")) {
                return field;
            }
        }
        throw new UnusableChangeException("malformed change envelope: its schema has no 'after' struct");
    }

    private static JsonNode parse(byte[] bytes, String what) throws UnusableChangeException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new UnusableChangeException("malformed change event: the " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new UnusableChangeException("malformed change event: the " + what + " is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    /** Why a change event cannot be mirrored; the message goes into the dead letter. */
    public static final class UnusableChangeException extends Exception {
        public UnusableChangeException(String reason) {
            super(reason);
        }
    }
}
