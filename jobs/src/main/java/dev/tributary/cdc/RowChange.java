package dev.tributary.cdc;

import static java.util.Objects.requireNonNull;

/**
 * A change to one row of an operational table, routed for the state it feeds.
 *
 * @param table the source table, e.g. {@code devices}
 * @param key the key of the state the change belongs to (a device id, a vehicle id)
 * @param deleted whether the row is gone (for that key)
 * @param rowJson the row after the change (before it, for a delete), as JSON
 */
public record RowChange(String table, String key, boolean deleted, String rowJson) {
    public RowChange {
        requireNonNull(table, "table is null");
        requireNonNull(key, "key is null");
        requireNonNull(rowJson, "rowJson is null");
    }
}
