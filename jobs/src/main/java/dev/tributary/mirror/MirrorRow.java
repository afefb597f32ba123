package dev.tributary.mirror;

import java.util.Set;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A row to upsert into (or delete from) a mirrored table, in the schema it arrived in; the
 * row's {@link org.apache.flink.types.RowKind} says which. Passed between chained operators only.
 */
public record MirrorRow(TableIdentifier table, Schema schema, Set<String> keyColumns, RowData row) {}
