package dev.tributary.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.apache.flink.types.RowKind;

/**
 * A Debezium change event taken apart for the mirror.
 *
 * @param rowSchema the Connect schema of the row struct
 * @param row the row after the change, or the row before it (or its key) for a delete
 * @param kind INSERT for creates and snapshot reads, UPDATE_AFTER for updates, DELETE for deletes
 */
public record DecodedChange(String database, String table, Set<String> keyColumns, JsonNode rowSchema, JsonNode row, RowKind kind) {}
