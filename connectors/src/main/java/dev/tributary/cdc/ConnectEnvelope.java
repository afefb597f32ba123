package dev.tributary.cdc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium change events with their Kafka Connect schema, as {@code JsonConverter} writes them
 * with {@code schemas.enable=true} (Debezium's default on Kafka Connect): what the lake mirror
 * reads. For tools and tests that need change events without a database.
 */
public final class ConnectEnvelope {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String database;
    private final String table;
    private final List<Column> columns = new ArrayList<>();
    private final List<String> key = new ArrayList<>();

    private record Column(String name, String type, boolean optional, String semantic, Map<String, String> parameters) {}

    private ConnectEnvelope(String database, String table) {
        this.database = requireNonNull(database, "database is null");
        this.table = requireNonNull(table, "table is null");
    }

    /** @param database the schema (PostgreSQL) or database (MySQL) holding the table */
    public static ConnectEnvelope table(String database, String table) {
        return new ConnectEnvelope(database, table);
    }

    /** A primary key column, with a Connect type ({@code int64}, {@code string}, ...). */
    public ConnectEnvelope keyColumn(String name, String type) {
        key.add(name);
        columns.add(new Column(name, type, false, null, Map.of()));
        return this;
    }

    public ConnectEnvelope column(String name, String type, boolean optional) {
        columns.add(new Column(name, type, optional, null, Map.of()));
        return this;
    }

    /** A column with a semantic type: {@code io.debezium.time.MicroTimestamp}, Connect's {@code Decimal}, ... */
    public ConnectEnvelope column(String name, String type, boolean optional, String semantic, Map<String, String> parameters) {
        columns.add(new Column(name, type, optional, semantic, Map.copyOf(parameters)));
        return this;
    }

    public String topic(String prefix) {
        return DebeziumJson.topic(prefix, database, table);
    }

    /** The record key: the primary key columns of {@code row}, with their schema. */
    public byte[] key(Map<String, ?> row) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode fields = struct(root.putObject("schema"), "Key", false).putArray("fields");
        ObjectNode payload = root.putObject("payload");
        for (Column column : columns) {
            if (key.contains(column.name())) {
                fields.add(field(column));
                payload.set(column.name(), JSON.valueToTree(row.get(column.name())));
            }
        }
        return bytes(root);
    }

    /** A change event value; {@code op} is Debezium's code (c, u, d, r); before or after may be null. */
    public byte[] value(String op, Map<String, ?> before, Map<String, ?> after, long commitMillis) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode envelope = struct(root.putObject("schema"), "Envelope", false).putArray("fields");
        envelope.add(rowSchema("before"));
        envelope.add(rowSchema("after"));
        ObjectNode source = envelope.addObject();
        source.put("type", "struct");
        source.put("field", "source");
        source.put("optional", false);
        source.put("name", "io.debezium.connector.postgresql.Source");
        ObjectNode op1 = envelope.addObject();
        op1.put("type", "string");
        op1.put("field", "op");
        op1.put("optional", false);
        ObjectNode ts = envelope.addObject();
        ts.put("type", "int64");
        ts.put("field", "ts_ms");
        ts.put("optional", true);
        ObjectNode payload = root.putObject("payload");
        payload.set("before", before == null ? null : JSON.valueToTree(new LinkedHashMap<>(before)));
        payload.set("after", after == null ? null : JSON.valueToTree(new LinkedHashMap<>(after)));
        ObjectNode sourceValue = payload.putObject("source");
        sourceValue.put("version", DebeziumJson.CONNECTOR_VERSION);
        sourceValue.put("connector", "postgresql");
        sourceValue.put("ts_ms", commitMillis);
        sourceValue.put("snapshot", op.equals("r") ? "true" : "false");
        sourceValue.put("db", database);
        sourceValue.put("schema", database);
        sourceValue.put("table", table);
        payload.put("op", op);
        payload.put("ts_ms", commitMillis);
        return bytes(root);
    }

    private ObjectNode rowSchema(String name) {
        ObjectNode row = struct(JSON.createObjectNode().put("field", name), "Value", true);
        ArrayNode fields = row.putArray("fields");
        columns.forEach(column -> fields.add(field(column)));
        return row;
    }

    /** A Connect struct schema named after the table, e.g. {@code tributary.public.items.Value}. */
    private ObjectNode struct(ObjectNode schema, String suffix, boolean optional) {
        schema.put("type", "struct");
        schema.put("optional", optional);
        schema.put("name", "tributary." + database + "." + table + "." + suffix);
        return schema;
    }

    private static ObjectNode field(Column column) {
        ObjectNode field = JSON.createObjectNode();
        field.put("type", column.type());
        field.put("optional", column.optional());
        if (column.semantic() != null) {
            field.put("name", column.semantic());
        }
        if (!column.parameters().isEmpty()) {
            ObjectNode parameters = field.putObject("parameters");
            column.parameters().forEach(parameters::put);
        }
        field.put("field", column.name());
        return field;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
