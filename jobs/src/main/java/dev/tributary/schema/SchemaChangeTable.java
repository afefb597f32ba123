package dev.tributary.schema;

import dev.tributary.config.LakeConfig;
import dev.tributary.lake.LakeTables;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The lake table of reported schema changes, {@code <lake.namespace>.<lake.schema-changes-table>}:
 * one row per change as it was reported (the CloudEvent's id, where and what changed, the first
 * sighting and its example record, the count of events so far), appended; format v2, the
 * lake's file format, unpartitioned (a table of few rows).
 */
public final class SchemaChangeTable {
    /** Iceberg's Flink committer otherwise commits an empty snapshot every tenth checkpoint, and this table is mostly quiet. */
    private static final String MAX_CONTINUOUS_EMPTY_COMMITS = "flink.max-continuous-empty-commits";

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "change_id", Types.StringType.get(), "the CloudEvent id: the same change has the same id"),
            Types.NestedField.required(2, "pipeline", Types.StringType.get()),
            Types.NestedField.required(3, "stage", Types.StringType.get(), "the stage that found it: telemetry, lake-mirror"),
            Types.NestedField.required(4, "subject", Types.StringType.get(), "the table or record type that changed shape"),
            Types.NestedField.required(5, "kind", Types.StringType.get(), "field_added, field_missing, type_widened, type_narrowed, type_changed, null_in_required"),
            Types.NestedField.required(6, "path", Types.StringType.get(), "the field, from the record root"),
            Types.NestedField.optional(7, "expected", Types.StringType.get(), "the type registered or stored; null for an added field"),
            Types.NestedField.optional(8, "found", Types.StringType.get(), "the type that arrived; null for a missing field"),
            Types.NestedField.required(9, "description", Types.StringType.get()),
            Types.NestedField.required(10, "first_seen", Types.TimestampType.withZone()),
            Types.NestedField.required(11, "example_topic", Types.StringType.get()),
            Types.NestedField.required(12, "example_partition", Types.IntegerType.get()),
            Types.NestedField.required(13, "example_offset", Types.LongType.get()),
            Types.NestedField.required(14, "event_count", Types.LongType.get(), "events that showed the change before it was reported"),
            Types.NestedField.required(15, "action", Types.StringType.get(), "what the stage did with the events: reported, evolved, continued, dead-lettered, failed"),
            Types.NestedField.required(16, "reported_at", Types.TimestampType.withZone()));

    private SchemaChangeTable() {}

    public static Schema schema() {
        return SCHEMA;
    }

    public static TableIdentifier identifier(LakeConfig lake, SchemaChangeConfig config) {
        return TableIdentifier.of(Namespace.of(lake.namespace()), config.table());
    }

    /** Creates the table (and its namespace) if it does not exist yet, and returns it. */
    public static Table ensure(Catalog catalog, LakeConfig lake, SchemaChangeConfig config) {
        return LakeTables.createIfMissing(catalog, lake, identifier(lake, config), SCHEMA, PartitionSpec.unpartitioned(),
                Map.of(MAX_CONTINUOUS_EMPTY_COMMITS, Integer.toString(Integer.MAX_VALUE)));
    }

    /** The Flink type of the table's rows. */
    public static TypeInformation<RowData> rowType() {
        return LakeTables.rowType(SCHEMA);
    }

    /** The row of one reported change. */
    public static RowData row(SchemaChangeEvent event, String pipeline, String stage, long reportedAtMillis) {
        SchemaChange change = event.change();
        return GenericRowData.of(
                StringData.fromString(SchemaChangeCloudEvents.id(change)),
                StringData.fromString(pipeline),
                StringData.fromString(stage),
                StringData.fromString(change.subject()),
                StringData.fromString(change.kind().code()),
                StringData.fromString(change.path()),
                StringData.fromString(change.expected()),
                StringData.fromString(change.found()),
                StringData.fromString(change.describe()),
                TimestampData.fromEpochMillis(event.firstSeenMillis()),
                StringData.fromString(event.exampleTopic()),
                event.examplePartition(),
                event.exampleOffset(),
                event.count(),
                StringData.fromString(event.action()),
                TimestampData.fromEpochMillis(reportedAtMillis));
    }
}
