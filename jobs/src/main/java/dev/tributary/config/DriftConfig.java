package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Schema drift of device events: whether each event's shape is compared with its registered
 * schema (plus the columns accepted since), and what happens to the parts that do not fit.
 * Keys ({@code drift.*}) and defaults are in README.md ("Configuration").
 *
 * @param onFieldAdded a field the schema lacks: {@code evolve} adds it to the lake table and writes
 *     its values, {@code quarantine} keeps it in the row's JSON {@code overflow} column, {@code reject}
 *     sends the event to the dead-letter topic
 * @param onTypeConflict a value of another type than its field's: {@code quarantine} keeps the row
 *     with the value in {@code overflow} (where the field may be empty), {@code reject} dead-letters it
 */
public record DriftConfig(boolean enabled, OnFieldAdded onFieldAdded, OnTypeConflict onTypeConflict) implements java.io.Serializable {
    public static final Set<String> KEYS = Set.of("drift.enabled", "drift.on-field-added", "drift.on-type-conflict");

    public enum OnFieldAdded { EVOLVE, QUARANTINE, REJECT }

    public enum OnTypeConflict { QUARANTINE, REJECT }

    public DriftConfig {
        requireNonNull(onFieldAdded, "onFieldAdded is null");
        requireNonNull(onTypeConflict, "onTypeConflict is null");
    }

    public static DriftConfig defaults() {
        return new DriftConfig(true, OnFieldAdded.EVOLVE, OnTypeConflict.QUARANTINE);
    }

    public static DriftConfig from(ConfigValues reader) {
        String conflict = reader.string("drift.on-type-conflict", null);
        if ("evolve".equals(conflict)) {
            throw new ConfigException("drift.on-type-conflict", conflict,
                    "a column's type cannot follow a value of another kind (Iceberg changes types only by widening); expected quarantine or reject");
        }
        return new DriftConfig(
                reader.bool("drift.enabled", true),
                reader.choice("drift.on-field-added", OnFieldAdded.class, OnFieldAdded.EVOLVE),
                reader.choice("drift.on-type-conflict", OnTypeConflict.class, OnTypeConflict.QUARANTINE));
    }
}
