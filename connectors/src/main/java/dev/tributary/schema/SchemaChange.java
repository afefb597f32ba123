package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One difference between the shape data arrives in and the shape it is registered or stored
 * with. The lake mirror finds these between a captured table and its Iceberg table; the
 * telemetry job between device events and their Avro schema. Both publish them the same way
 * ({@link SchemaChangeCloudEvents}).
 *
 * @param subject what changed shape: a table ({@code fleet.vehicles}) or a record type
 * @param path the field, from the record root, joined by {@code .}
 * @param expected the type registered or stored; null for an added field
 * @param found the type that arrived; null for a missing field
 */
public record SchemaChange(String subject, Kind kind, String path, String expected, String found) {
    public SchemaChange {
        requireNonNull(subject, "subject is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(path, "path is null");
    }

    public enum Kind {
        /** A field the registered shape does not have. */
        FIELD_ADDED(true),
        /** A registered field that did not arrive (dropped or renamed at the source). */
        FIELD_MISSING(false),
        /** A type that holds every value of the registered one: int to long, float to double, a wider decimal. */
        TYPE_WIDENED(true),
        /** The reverse of widening: the values still fit the registered type. */
        TYPE_NARROWED(false),
        /** A type the registered one cannot hold. */
        TYPE_CHANGED(false),
        /** A null where the registered shape requires a value. */
        NULL_IN_REQUIRED(false);

        private final boolean evolvable;

        Kind(boolean evolvable) {
            this.evolvable = evolvable;
        }

        /** Whether the stored schema can follow it (Iceberg adds the column or widens the type). */
        public boolean evolvable() {
            return evolvable;
        }

        /** The name in events and reports: {@code field_added}, {@code type_changed}, ... */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A one-line description for people: {@code fleet.vehicles: type_changed at mileage (long -> string)}. */
    public String describe() {
        StringBuilder text = new StringBuilder(subject).append(": ").append(kind.code()).append(" at ").append(path);
        if (expected != null || found != null) {
            text.append(" (").append(expected == null ? "-" : expected).append(" -> ").append(found == null ? "-" : found).append(')');
        }
        return text.toString();
    }
}
