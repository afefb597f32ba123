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
 * @param operation Debezium's {@code op}: {@code c}, {@code r} (snapshot read), {@code u} or {@code d}
 * @param committedMicros when the change was made in the database ({@code source.ts_us}, else
 *     {@code source.ts_ms}), in microseconds since the epoch; null when the event does not say
 * @param capturedMicros when Debezium processed the change (the envelope's {@code ts_us} or {@code ts_ms}); null when absent
 */
public record DecodedChange(
        String database,
        String table,
        Set<String> keyColumns,
        JsonNode rowSchema,
        JsonNode row,
        RowKind kind,
        String operation,
        Long committedMicros,
        Long capturedMicros) {}
