package dev.tributary.mirror;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The {@code _cdc} column of a mirrored table: where each row's latest change came from. With it a
 * query measures freshness row by row (database commit to lake file) and traces a row back to its
 * Kafka record.
 *
 * <table>
 *   <caption>Fields of {@code _cdc}</caption>
 *   <tr><td>{@code op}</td><td>Debezium's operation: {@code c} insert, {@code u} update, {@code r} snapshot read</td></tr>
 *   <tr><td>{@code committed_at}</td><td>when the change was made in the database ({@code source.ts_us} or {@code source.ts_ms})</td></tr>
 *   <tr><td>{@code captured_at}</td><td>when Debezium read it (the envelope's {@code ts_us} or {@code ts_ms})</td></tr>
 *   <tr><td>{@code topic}, {@code partition}, {@code offset}</td><td>the change event on Kafka</td></tr>
 * </table>
 */
final class CdcMetadata {
    static final String COLUMN = "_cdc";

    private CdcMetadata() {}

    /** The row schema with {@code _cdc} appended as its last column (fresh ids after the schema's highest). */
    static Schema appendTo(Schema rowSchema) {
        int id = rowSchema.highestFieldId();
        Types.StructType type = Types.StructType.of(
                Types.NestedField.optional(++id, "op", Types.StringType.get()),
                Types.NestedField.optional(++id, "committed_at", Types.TimestampType.withZone()),
                Types.NestedField.optional(++id, "captured_at", Types.TimestampType.withZone()),
                Types.NestedField.optional(++id, "topic", Types.StringType.get()),
                Types.NestedField.optional(++id, "partition", Types.IntegerType.get()),
                Types.NestedField.optional(++id, "offset", Types.LongType.get()));
        List<Types.NestedField> columns = new ArrayList<>(rowSchema.columns());
        columns.add(Types.NestedField.optional(++id, COLUMN, type, "where the row's latest change came from (Tributary lake mirror)"));
        return new Schema(columns, rowSchema.identifierFieldIds());
    }

    /** The value of {@code _cdc} for one change. */
    static GenericRowData of(DecodedChange change, CdcRecord record) {
        return GenericRowData.of(
                StringData.fromString(change.operation()),
                timestamp(change.committedMicros()),
                timestamp(change.capturedMicros()),
                StringData.fromString(record.topic()),
                record.partition(),
                record.offset());
    }

    private static TimestampData timestamp(Long micros) {
        return micros == null ? null : TimestampData.fromEpochMillis(Math.floorDiv(micros, 1000L), (int) Math.floorMod(micros, 1000L) * 1000);
    }
}
