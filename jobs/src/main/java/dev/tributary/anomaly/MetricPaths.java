package dev.tributary.anomaly;

import dev.tributary.config.ConfigException;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.telemetry.ReadingField;
import java.util.ArrayList;
import java.util.List;

/**
 * The numeric fields of the enriched reading that statistical detection watches, named by
 * dotted paths ({@code battery.voltage_v}) and checked against the reading's schema once, at
 * start-up.
 */
public final class MetricPaths implements java.io.Serializable {
    private final List<String> names;
    private final ReadingField[] fields;

    private MetricPaths(List<String> names, ReadingField[] fields) {
        this.names = List.copyOf(names);
        this.fields = fields;
    }

    /** Resolves the paths; an error names the key, the path and what is wrong with it. */
    public static MetricPaths resolve(String key, List<String> paths) {
        if (paths.isEmpty()) {
            throw new ConfigException(key, "", "expected at least one numeric field of the enriched reading");
        }
        ReadingField[] fields = new ReadingField[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            try {
                fields[i] = ReadingField.resolveOne(paths.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, paths.get(i), e.getMessage());
            }
            if (fields[i].kind() != ReadingField.Kind.NUMBER) {
                throw new ConfigException(key, paths.get(i), "expected a numeric field, found a " + fields[i].kind().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new MetricPaths(paths, fields);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** The value of metric {@code index} in {@code reading}, or NaN when it (or a record on its path) is null. */
    public double read(EnrichedTelemetry reading, int index) {
        return fields[index].readNumber(reading);
    }

    /** The metrics watched when none are configured. */
    public static List<String> defaults() {
        return new ArrayList<>(List.of("battery.voltage_v", "engine.coolant_temp_c"));
    }
}
