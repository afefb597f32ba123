package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * Compares one JSON event's shape with a registered Avro schema and lists the differences as
 * {@link SchemaChange}s, with paths from the record root: field names joined by {@code .},
 * {@code []} after an array and {@code {}} after a map ({@code diagnostics[].code},
 * {@code tags{}}).
 *
 * <ul>
 *   <li>{@code field_added}: a field the schema does not have, at any depth; a new object is
 *       reported at its own path, not once per leaf.
 *   <li>{@code field_missing}: a required field (not nullable, no default) that is absent.
 *   <li>{@code null_in_required}: a null in a field that is not nullable.
 *   <li>{@code type_changed}: a value of another kind (number to string, scalar to object, object
 *       to array, ...), with the schema's type as {@code expected} and the JSON kind as
 *       {@code found}; inside arrays and maps the elements' and values' shapes are checked too.
 * </ul>
 * Not drift: key order, an optional field absent or null, an integer where a long, float or
 * double is expected, an empty array or map, an ISO-8601 string where a timestamp is expected.
 */
public final class JsonShapeCheck {
    private static final Set<String> TIME_TYPES = Set.of("timestamp-millis", "timestamp-micros", "local-timestamp-millis",
            "local-timestamp-micros", "date", "time-millis", "time-micros");

    private final Schema schema;
    private final String subject;

    public JsonShapeCheck(Schema schema) {
        this.schema = requireNonNull(schema, "schema is null");
        this.subject = schema.getFullName();
    }

    /** The differences of one event, in the order met. */
    public List<SchemaChange> check(JsonNode event) {
        List<SchemaChange> changes = new ArrayList<>();
        value(schema, event, "", changes);
        return changes;
    }

    private void value(Schema expected, JsonNode node, String path, List<SchemaChange> out) {
        Schema type = expected;
        if (type.getType() == Schema.Type.UNION) {
            boolean nullable = type.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
            if (node == null || node.isNull()) {
                if (!nullable) {
                    out.add(change(SchemaChange.Kind.NULL_IN_REQUIRED, path, describe(type), "null"));
                }
                return;
            }
            Schema match = branchFor(type, node);
            if (match == null) {
                out.add(change(SchemaChange.Kind.TYPE_CHANGED, path, describe(type), kind(node)));
                return;
            }
            type = match;
        }
        if (node == null || node.isNull()) {
            if (type.getType() != Schema.Type.NULL) {
                out.add(change(SchemaChange.Kind.NULL_IN_REQUIRED, path, describe(type), "null"));
            }
            return;
        }
        if (!fits(type, node)) {
            out.add(change(SchemaChange.Kind.TYPE_CHANGED, path, describe(type), kind(node)));
            return;
        }
        switch (type.getType()) {
            case RECORD -> record(type, node, path, out);
            case ARRAY -> {
                for (JsonNode element : node) {
                    value(type.getElementType(), element, path + "[]", out);
                }
            }
            case MAP -> {
                for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
                    value(type.getValueType(), entries.next().getValue(), path + "{}", out);
                }
            }
            default -> {
                // a scalar that fits
            }
        }
    }

    private void record(Schema record, JsonNode node, String path, List<SchemaChange> out) {
        for (Schema.Field field : record.getFields()) {
            String fieldPath = join(path, field.name());
            JsonNode child = node.get(field.name());
            if (child == null) {
                if (!optional(field)) {
                    out.add(change(SchemaChange.Kind.FIELD_MISSING, fieldPath, describe(field.schema()), null));
                }
                continue;
            }
            value(field.schema(), child, fieldPath, out);
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (record.getField(entry.getKey()) == null) {
                out.add(change(SchemaChange.Kind.FIELD_ADDED, join(path, entry.getKey()), null, kind(entry.getValue())));
            }
        }
    }

    private static boolean optional(Schema.Field field) {
        Schema schema = field.schema();
        boolean nullable = schema.getType() == Schema.Type.NULL
                || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
        return nullable || field.hasDefaultValue();
    }

    /** The first branch of a union that the value fits, or null. */
    private static Schema branchFor(Schema union, JsonNode node) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL && fits(branch, node)) {
                return branch;
            }
        }
        return null;
    }

    /** Whether the JSON value is of the kind the schema type holds (its contents are checked separately). */
    static boolean fits(Schema type, JsonNode node) {
        LogicalType logical = type.getLogicalType();
        if (logical != null && TIME_TYPES.contains(logical.getName()) && node.isTextual()) {
            return true;
        }
        return switch (type.getType()) {
            case RECORD, MAP -> node.isObject();
            case ARRAY -> node.isArray();
            case STRING, ENUM, BYTES, FIXED -> node.isTextual();
            case BOOLEAN -> node.isBoolean();
            case INT -> node.isIntegralNumber() && node.canConvertToInt();
            case LONG -> node.isIntegralNumber() && node.canConvertToLong();
            case FLOAT, DOUBLE -> node.isNumber();
            case NULL -> node.isNull();
            case UNION -> branchFor(type, node) != null;
        };
    }

    /** The schema's type as reports name it: {@code double}, {@code record}, {@code array}, {@code timestamp-millis}. */
    static String describe(Schema type) {
        if (type.getType() == Schema.Type.UNION) {
            List<String> names = new ArrayList<>();
            for (Schema branch : type.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    names.add(describe(branch));
                }
            }
            return String.join("|", names);
        }
        LogicalType logical = type.getLogicalType();
        return logical != null ? logical.getName() : type.getType().getName();
    }

    /** The JSON value's kind: {@code object}, {@code array}, {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code null}. */
    public static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return node.isIntegralNumber() ? "integer" : "number";
    }

    private SchemaChange change(SchemaChange.Kind kind, String path, String expected, String found) {
        return new SchemaChange(subject, kind, path, expected, found);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
