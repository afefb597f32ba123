package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A scalar field of the enriched reading, named by its dotted path ({@code battery.voltage_v}),
 * resolved against the reading's Avro schema once and then read by position. A {@code *}
 * stands for every field of a record ({@code doors.*.open}).
 */
public final class ReadingField implements java.io.Serializable {
    /** What a rule or a metric may do with a field. */
    public enum Kind { BOOLEAN, NUMBER, STRING }

    private final String path;
    private final int[] positions;
    private final Kind kind;

    private ReadingField(String path, int[] positions, Kind kind) {
        this.path = requireNonNull(path, "path is null");
        this.positions = positions;
        this.kind = requireNonNull(kind, "kind is null");
    }

    /**
     * Resolves a path, expanding {@code *}; throws {@link IllegalArgumentException} with what is
     * wrong (an unknown name, with the closest one; a record or array where a value is needed).
     */
    public static List<ReadingField> resolve(String path) {
        List<ReadingField> fields = new ArrayList<>();
        expand(path, path.split("\\.", -1), 0, EnrichedTelemetry.getClassSchema(), new int[0], "", fields);
        return fields;
    }

    /** Resolves a path that must name exactly one field. */
    public static ReadingField resolveOne(String path) {
        List<ReadingField> fields = resolve(path);
        if (fields.size() != 1) {
            throw new IllegalArgumentException(path + " names " + fields.size() + " fields, expected one");
        }
        return fields.get(0);
    }

    private static void expand(String path, String[] parts, int index, Schema schema, int[] positions, String prefix, List<ReadingField> out) {
        Schema record = nonNull(schema);
        String where = prefix.isEmpty() ? "the enriched reading" : prefix;
        if (record.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(prefix + " is a " + record.getType().getName() + ", it has no field '" + parts[index] + "'");
        }
        String name = parts[index];
        List<Schema.Field> matched = new ArrayList<>();
        if (name.equals("*")) {
            matched.addAll(record.getFields());
        } else {
            Schema.Field field = record.getField(name);
            if (field == null) {
                String suggestion = closest(name, record.getFields().stream().map(Schema.Field::name).toList())
                        .map(best -> " (did you mean " + (prefix.isEmpty() ? "" : prefix + ".") + best + "?)").orElse("");
                throw new IllegalArgumentException("'" + name + "' is not a field of " + where + suggestion);
            }
            matched.add(field);
        }
        boolean wildcard = name.equals("*");
        int before = out.size();
        for (Schema.Field field : matched) {
            if (wildcard && index + 1 < parts.length && nonNull(field.schema()).getType() != Schema.Type.RECORD) {
                continue; // doors.*.open: the doors' records, not doors.locked
            }
            int[] next = Arrays.copyOf(positions, positions.length + 1);
            next[positions.length] = field.pos();
            String fieldPath = prefix.isEmpty() ? field.name() : prefix + "." + field.name();
            if (index + 1 < parts.length) {
                expand(path, parts, index + 1, field.schema(), next, fieldPath, out);
            } else {
                out.add(new ReadingField(fieldPath, next, kindOf(fieldPath, field.schema())));
            }
        }
        if (wildcard && out.size() == before) {
            throw new IllegalArgumentException("'*' matches no field of " + where);
        }
    }

    private static Kind kindOf(String path, Schema schema) {
        return switch (nonNull(schema).getType()) {
            case BOOLEAN -> Kind.BOOLEAN;
            case INT, LONG, FLOAT, DOUBLE -> Kind.NUMBER;
            case STRING, ENUM -> Kind.STRING;
            default -> throw new IllegalArgumentException(path + " is a " + nonNull(schema).getType().getName() + ", not a value");
        };
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }

    /** The candidate nearest to {@code name} by edit distance, if it is near enough to be a typo. */
    public static Optional<String> closest(String name, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            // A name cut short ("voltag" for "voltage_v") is as near as a one-letter typo.
            int distance = candidate.startsWith(name) && !name.isEmpty() ? 1 : editDistance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** The field's value in {@code reading}: a Boolean, a Number or a CharSequence; null when it or a record on its path is null. */
    public Object read(EnrichedTelemetry reading) {
        Object value = reading;
        for (int position : positions) {
            if (value == null) {
                return null;
            }
            value = ((GenericRecord) value).get(position);
        }
        return value;
    }

    /** The value as a number; NaN when null. */
    public double readNumber(EnrichedTelemetry reading) {
        Object value = read(reading);
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReadingField field && field.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
