package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Separates the parts of a drifting event that its registered schema cannot hold, so the drift
 * policies can keep them: the fields it lacks ({@link #additions}, which the evolve policy turns
 * into lake columns and the quarantine policy keeps as JSON), and the values of another type
 * ({@link #conform}, which the quarantine policy moves out of the event so that the rest of it
 * reads). Detection itself is {@link JsonShapeCheck}'s; this class walks the event the same way.
 *
 * <p>Concrete paths name one value: field names joined by {@code .}, an array element by its
 * index ({@code diagnostics[2].code}), a map value by its key ({@code tags{front}}).
 */
public final class DriftSplit {
    private final Schema schema;

    public DriftSplit(Schema schema) {
        this.schema = requireNonNull(schema, "schema is null");
    }

    /** One field the schema lacks, where it sits in the event, and its value as it arrived. */
    public record Addition(List<Object> location, JsonNode value) {
        public Addition {
            location = List.copyOf(location);
            requireNonNull(value, "value is null");
        }

        public String path() {
            return concretePath(location);
        }
    }

    /** A value of another type than the schema's, and whether the event still reads without it (an optional field or a map value). */
    public record Conflict(List<Object> location, JsonNode value, String expected, boolean removable) {
        public Conflict {
            location = List.copyOf(location);
        }

        public String path() {
            return concretePath(location);
        }
    }

    /** An event with its removable conflicts taken out, what was taken (by concrete path), and the conflicts that could not be. */
    public record Conformed(JsonNode event, Map<String, JsonNode> removed, List<Conflict> unresolved) {
        public Conformed {
            removed = Map.copyOf(removed);
            unresolved = List.copyOf(unresolved);
        }
    }

    /** Every field of the event that the schema lacks, at any depth, in the order met; a new object is one addition. */
    public List<Addition> additions(JsonNode event) {
        List<Addition> additions = new ArrayList<>();
        walkAdditions(schema, event, new ArrayList<>(), additions);
        return additions;
    }

    /**
     * The additions as one JSON object in the event's own shape: objects hold only what the
     * schema lacks (and the registered objects leading to it), arrays keep their length with an
     * empty object for an element without additions. Null when there are none.
     */
    public static ObjectNode extensionTree(List<Addition> additions) {
        if (additions.isEmpty()) {
            return null;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Addition addition : additions) {
            JsonNode container = root;
            List<Object> location = addition.location();
            for (int i = 0; i < location.size() - 1; i++) {
                container = child(container, location.get(i), location.get(i + 1));
            }
            ((ObjectNode) container).set(name(location.get(location.size() - 1)), addition.value());
        }
        return root;
    }

    /**
     * A copy of the event without the values whose type the schema cannot hold where the event
     * reads without them (an optional field, a map value); the conflicts at required places are
     * returned as unresolved, and the event cannot be kept as a row.
     */
    public Conformed conform(JsonNode event) {
        JsonNode copy = event.deepCopy();
        List<Conflict> conflicts = new ArrayList<>();
        walkConflicts(schema, copy, new ArrayList<>(), false, conflicts);
        Map<String, JsonNode> removed = new LinkedHashMap<>();
        List<Conflict> unresolved = new ArrayList<>();
        for (Conflict conflict : conflicts) {
            if (conflict.removable()) {
                remove(copy, conflict.location());
                removed.put(conflict.path(), conflict.value());
            } else {
                unresolved.add(conflict);
            }
        }
        return new Conformed(copy, removed, unresolved);
    }

    private void walkAdditions(Schema expected, JsonNode node, List<Object> location, List<Addition> out) {
        if (node == null || node.isNull()) {
            return;
        }
        Schema type = expected.getType() == Schema.Type.UNION ? branch(expected, node) : expected;
        if (type == null || !JsonShapeCheck.fits(type, node)) {
            return;
        }
        switch (type.getType()) {
            case RECORD -> {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    Schema.Field registered = type.getField(field.getKey());
                    location.add(field.getKey());
                    if (registered == null) {
                        out.add(new Addition(location, field.getValue()));
                    } else {
                        walkAdditions(registered.schema(), field.getValue(), location, out);
                    }
                    location.remove(location.size() - 1);
                }
            }
            case ARRAY -> {
                for (int i = 0; i < node.size(); i++) {
                    location.add(i);
                    walkAdditions(type.getElementType(), node.get(i), location, out);
                    location.remove(location.size() - 1);
                }
            }
            case MAP -> {
                for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    location.add(new MapKey(entry.getKey()));
                    walkAdditions(type.getValueType(), entry.getValue(), location, out);
                    location.remove(location.size() - 1);
                }
            }
            default -> {
                // a scalar: nothing below it
            }
        }
    }

    private void walkConflicts(Schema expected, JsonNode node, List<Object> location, boolean removable, List<Conflict> out) {
        if (node == null || node.isNull()) {
            return;
        }
        Schema type = expected.getType() == Schema.Type.UNION ? branch(expected, node) : expected;
        if (type == null || !JsonShapeCheck.fits(type, node)) {
            out.add(new Conflict(location, node, JsonShapeCheck.describe(expected), removable));
            return;
        }
        switch (type.getType()) {
            case RECORD -> {
                for (Schema.Field field : type.getFields()) {
                    JsonNode child = node.get(field.name());
                    if (child != null) {
                        location.add(field.name());
                        walkConflicts(field.schema(), child, location, optional(field), out);
                        location.remove(location.size() - 1);
                    }
                }
            }
            case ARRAY -> {
                for (int i = 0; i < node.size(); i++) {
                    location.add(i);
                    walkConflicts(type.getElementType(), node.get(i), location, false, out);
                    location.remove(location.size() - 1);
                }
            }
            case MAP -> {
                for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    location.add(new MapKey(entry.getKey()));
                    walkConflicts(type.getValueType(), entry.getValue(), location, true, out);
                    location.remove(location.size() - 1);
                }
            }
            default -> {
                // a scalar that fits
            }
        }
    }

    private static Schema branch(Schema union, JsonNode node) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL && JsonShapeCheck.fits(branch, node)) {
                return branch;
            }
        }
        return null;
    }

    private static boolean optional(Schema.Field field) {
        Schema schema = field.schema();
        return field.hasDefaultValue()
                || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
    }

    private static void remove(JsonNode root, List<Object> location) {
        JsonNode container = root;
        for (int i = 0; i < location.size() - 1; i++) {
            Object step = location.get(i);
            container = step instanceof Integer index ? container.get(index) : container.get(name(step));
        }
        ((ObjectNode) container).remove(name(location.get(location.size() - 1)));
    }

    /** The container at {@code step} under {@code parent}, created as an object or an array (by the step after it) when missing. */
    private static JsonNode child(JsonNode parent, Object step, Object next) {
        if (step instanceof Integer index) {
            ArrayNode array = (ArrayNode) parent;
            while (array.size() <= index) {
                array.addObject();
            }
            return array.get(index);
        }
        ObjectNode object = (ObjectNode) parent;
        JsonNode existing = object.get(name(step));
        if (existing != null) {
            return existing;
        }
        return next instanceof Integer ? object.putArray(name(step)) : object.putObject(name(step));
    }

    private static String name(Object step) {
        return step instanceof MapKey key ? key.key() : (String) step;
    }

    static String concretePath(List<Object> location) {
        StringBuilder path = new StringBuilder();
        for (Object step : location) {
            if (step instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else if (step instanceof MapKey key) {
                path.append('{').append(key.key()).append('}');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(step);
            }
        }
        return path.toString();
    }

    /** A step into a map, by key (a field name step is a plain String, an array step an Integer). */
    public record MapKey(String key) {
        public MapKey {
            requireNonNull(key, "key is null");
        }
    }
}
