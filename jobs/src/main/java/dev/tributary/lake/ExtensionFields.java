package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Checks the fields a reading brought beyond its registered schema (its extension tree, from
 * {@code DriftSplit}) against what the lake has accepted so far (the logical shape of
 * {@link TelemetryLakeLayout}): which are new (with the Iceberg type their values suggest), and
 * which values conflict with the type their field was accepted with. Conflicting values are
 * taken out of the tree.
 *
 * <p>Types of new fields: JSON booleans {@code boolean}, numbers {@code double} (JSON has one
 * number type; an integer fits a double, a fraction would not fit a long), strings {@code string},
 * objects structs, arrays lists of their elements' type (records merge their fields). A field whose
 * values so far are null or empty gets its column when a typed value arrives. New fields are
 * optional, as Iceberg requires of added columns.
 */
public final class ExtensionFields {
    private ExtensionFields() {}

    /** A value of a type its accepted field cannot hold. */
    public record Conflict(String concretePath, String path, JsonNode value, String expected) {
        public Conflict {
            requireNonNull(concretePath, "concretePath is null");
            requireNonNull(path, "path is null");
            requireNonNull(value, "value is null");
            requireNonNull(expected, "expected is null");
        }
    }

    /** What one reading's extension tree holds: fields to add, and conflicts (removed from the tree). */
    public record Outcome(List<TelemetryLakeLayout.NewField> newFields, List<Conflict> conflicts) {
        public Outcome {
            newFields = List.copyOf(newFields);
            conflicts = List.copyOf(conflicts);
        }
    }

    /** Checks {@code extensions} (changed in place: conflicting values are removed) against the {@code logical} shape. */
    public static Outcome check(Types.StructType logical, ObjectNode extensions) {
        Walk walk = new Walk();
        walk.struct(logical, extensions, new ArrayList<>(), "");
        return new Outcome(new ArrayList<>(walk.newFields.values()), walk.conflicts);
    }

    /** The path drift reports use: names joined by {@code .}, {@code []} after an array, {@code {}} after a map. */
    static String path(List<String> parent, String name) {
        List<String> steps = new ArrayList<>(parent);
        steps.add(name);
        return path(steps);
    }

    static String path(List<String> steps) {
        StringBuilder path = new StringBuilder();
        for (String step : steps) {
            if (step.equals("[]") || step.equals("{}")) {
                path.append(step);
            } else {
                path.append(path.isEmpty() ? "" : ".").append(step);
            }
        }
        return path.toString();
    }

    private static final class Walk {
        private final Map<String, TelemetryLakeLayout.NewField> newFields = new LinkedHashMap<>();
        private final List<Conflict> conflicts = new ArrayList<>();

        void struct(Types.StructType type, ObjectNode node, List<String> steps, String concrete) {
            List<String> removed = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                String name = entry.getKey();
                JsonNode value = entry.getValue();
                String concretePath = concrete.isEmpty() ? name : concrete + "." + name;
                Types.NestedField field = type.field(name);
                Type accepted = field != null ? field.type() : pending(steps, name);
                if (accepted == null) {
                    Type inferred = infer(value);
                    if (inferred != null) {
                        newFields.put(path(steps, name), new TelemetryLakeLayout.NewField(steps, name, inferred));
                    }
                } else if (!value(accepted, value, child(steps, name), concretePath)) {
                    conflicts.add(new Conflict(concretePath, path(steps, name), value, describe(accepted)));
                    removed.add(name);
                }
            }
            removed.forEach(node::remove);
        }

        /** Whether {@code value} fits {@code type}; inside records and arrays, descends (and records conflicts there). */
        boolean value(Type type, JsonNode value, List<String> steps, String concrete) {
            if (value == null || value.isNull()) {
                return true;
            }
            switch (type.typeId()) {
                case STRUCT:
                    if (!value.isObject()) {
                        return false;
                    }
                    struct(type.asStructType(), (ObjectNode) value, steps, concrete);
                    return true;
                case LIST: {
                    if (!value.isArray()) {
                        return false;
                    }
                    Type element = type.asListType().elementType();
                    List<String> elementSteps = child(steps, "[]");
                    ArrayNode array = (ArrayNode) value;
                    for (int i = 0; i < array.size(); i++) {
                        String elementPath = concrete + "[" + i + "]";
                        if (!value(element, array.get(i), elementSteps, elementPath)) {
                            conflicts.add(new Conflict(elementPath, path(steps) + "[]", array.get(i), describe(element)));
                            array.set(i, (JsonNode) null);
                        }
                    }
                    return true;
                }
                case MAP: {
                    if (!value.isObject()) {
                        return false;
                    }
                    Type valueType = type.asMapType().valueType();
                    List<String> removed = new ArrayList<>();
                    for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
                        Map.Entry<String, JsonNode> entry = entries.next();
                        String entryPath = concrete + "{" + entry.getKey() + "}";
                        if (!value(valueType, entry.getValue(), child(steps, "{}"), entryPath)) {
                            conflicts.add(new Conflict(entryPath, path(steps) + "{}", entry.getValue(), describe(valueType)));
                            removed.add(entry.getKey());
                        }
                    }
                    removed.forEach(((ObjectNode) value)::remove);
                    return true;
                }
                default:
                    return scalarFits(type, value);
            }
        }

        /** The type a field added earlier in this same reading was given (in another element of an array). */
        private Type pending(List<String> steps, String name) {
            TelemetryLakeLayout.NewField field = newFields.get(path(steps, name));
            return field == null ? null : field.type();
        }
    }

    static boolean scalarFits(Type type, JsonNode value) {
        return switch (type.typeId()) {
            case BOOLEAN -> value.isBoolean();
            case INTEGER -> value.isIntegralNumber() && value.canConvertToInt();
            case LONG -> value.isIntegralNumber() && value.canConvertToLong();
            case FLOAT, DOUBLE -> value.isNumber();
            case STRING -> value.isTextual();
            case TIMESTAMP -> value.isTextual() || value.isIntegralNumber();
            default -> false;
        };
    }

    /** The Iceberg type the value suggests, or null for a null or an empty object or array. */
    public static Type infer(JsonNode value) {
        return infer(value, new AtomicInteger(1));
    }

    private static Type infer(JsonNode value, AtomicInteger ids) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return Types.BooleanType.get();
        }
        if (value.isNumber()) {
            return Types.DoubleType.get();
        }
        if (value.isTextual()) {
            return Types.StringType.get();
        }
        if (value.isObject()) {
            List<Types.NestedField> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = entries.next();
                Type type = infer(entry.getValue(), ids);
                if (type != null) {
                    fields.add(Types.NestedField.optional(ids.getAndIncrement(), entry.getKey(), type));
                }
            }
            return fields.isEmpty() ? null : Types.StructType.of(fields);
        }
        if (value.isArray()) {
            Type element = null;
            for (JsonNode item : value) {
                element = merge(element, infer(item, ids), ids);
            }
            return element == null ? null : Types.ListType.ofOptional(ids.getAndIncrement(), element);
        }
        return null;
    }

    /** Records merge their fields; otherwise the first type found stands (later elements that differ are conflicts). */
    private static Type merge(Type first, Type second, AtomicInteger ids) {
        if (first == null) {
            return second;
        }
        if (second == null || !first.isStructType() || !second.isStructType()) {
            return first;
        }
        List<Types.NestedField> fields = new ArrayList<>(first.asStructType().fields());
        for (Types.NestedField field : second.asStructType().fields()) {
            if (first.asStructType().field(field.name()) == null) {
                fields.add(Types.NestedField.optional(ids.getAndIncrement(), field.name(), field.type()));
            }
        }
        return Types.StructType.of(fields);
    }

    /** Type names as drift reports give them: {@code double}, {@code string}, {@code struct}, {@code list}. */
    static String describe(Type type) {
        return switch (type.typeId()) {
            case STRUCT -> "record";
            case LIST -> "array";
            case MAP -> "map";
            case TIMESTAMP -> "timestamp";
            default -> type.typeId().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<String> child(List<String> steps, String step) {
        List<String> child = new ArrayList<>(steps);
        child.add(step);
        return child;
    }
}
