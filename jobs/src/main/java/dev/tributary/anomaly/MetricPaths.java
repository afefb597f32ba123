package dev.tributary.anomaly;

import dev.tributary.config.ConfigException;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Numeric fields of the enriched reading named by dotted paths ({@code battery.voltage_v}),
 * checked against the reading's Avro schema once, at start-up, and read without reflection.
 */
public final class MetricPaths implements java.io.Serializable {
    private final List<String> names;
    private final int[][] positions;

    private MetricPaths(List<String> names, int[][] positions) {
        this.names = List.copyOf(names);
        this.positions = positions;
    }

    /** Resolves the paths; an error names the key, the path and what is wrong with it. */
    public static MetricPaths resolve(String key, List<String> paths) {
        if (paths.isEmpty()) {
            throw new ConfigException(key, "", "expected at least one numeric field of the enriched reading");
        }
        int[][] positions = new int[paths.size()][];
        for (int i = 0; i < paths.size(); i++) {
            positions[i] = positions(key, paths.get(i));
        }
        return new MetricPaths(paths, positions);
    }

    private static int[] positions(String key, String path) {
        String[] parts = path.split("\\.");
        int[] positions = new int[parts.length];
        Schema schema = EnrichedTelemetry.getClassSchema();
        for (int i = 0; i < parts.length; i++) {
            schema = nonNull(schema);
            Schema.Field field = schema.getType() == Schema.Type.RECORD ? schema.getField(parts[i]) : null;
            if (field == null) {
                throw new ConfigException(key, path, "'" + parts[i] + "' is not a field of " + (i == 0 ? "the enriched reading" : String.join(".", java.util.Arrays.copyOf(parts, i))));
            }
            positions[i] = field.pos();
            schema = field.schema();
        }
        Schema.Type type = nonNull(schema).getType();
        if (type != Schema.Type.INT && type != Schema.Type.LONG && type != Schema.Type.FLOAT && type != Schema.Type.DOUBLE) {
            throw new ConfigException(key, path, "expected a numeric field, found " + type.getName());
        }
        return positions;
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

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** The value of metric {@code index} in {@code reading}, or NaN when it (or a record on its path) is null. */
    public double read(EnrichedTelemetry reading, int index) {
        Object value = reading;
        for (int position : positions[index]) {
            if (value == null) {
                return Double.NaN;
            }
            value = ((GenericRecord) value).get(position);
        }
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    /** The mean of each metric over readings, as the window aggregates them. */
    public static List<String> defaults() {
        return new ArrayList<>(List.of("battery.voltage_v", "engine.coolant_temp_c"));
    }
}
