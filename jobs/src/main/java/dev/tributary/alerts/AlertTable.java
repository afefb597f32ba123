package dev.tributary.alerts;

import dev.tributary.config.LakeConfig;
import dev.tributary.lake.AvroRowConverter;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.IcebergSchemas;
import dev.tributary.lake.LakeTables;
import dev.tributary.schemas.alerts.Alert;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The lake's alert history: every alert event (opened, escalated, resolved) as a row of
 * {@code <lake.namespace>.<lake.alerts-table>} (default {@code fleet.alerts}), with the columns of the
 * alert schema, partitioned by day of {@code observed_at}, appended exactly once (commits on
 * checkpoints: an event a replay sends again to Kafka is not committed twice here), so analysts can
 * compare alerts per hour with the same hour last week.
 */
public final class AlertTable {
    private AlertTable() {}

    public static Schema schema() {
        return IcebergSchemas.fromAvro(Alert.getClassSchema());
    }

    public static TableIdentifier identifier(LakeConfig lake, NotificationConfig notifications) {
        return TableIdentifier.of(Namespace.of(lake.namespace()), notifications.lakeTable());
    }

    /** Creates the table if it is missing. */
    public static void ensure(Catalog catalog, LakeConfig lake, NotificationConfig notifications) {
        Schema schema = schema();
        LakeTables.createIfMissing(catalog, lake, identifier(lake, notifications), schema,
                PartitionSpec.builderFor(schema).day("observed_at").build(), Map.of());
    }

    /** Appends the alerts to the table with Iceberg's {@code FlinkSink} (its schema is fixed: the alert schema's). */
    public static void append(DataStream<Alert> alerts, LakeConfig lake, NotificationConfig notifications) {
        Catalog catalog = Catalogs.open(lake);
        try {
            ensure(catalog, lake, notifications);
        } finally {
            Catalogs.closeQuietly(catalog);
        }
        Schema schema = schema();
        DataStream<RowData> rows = alerts
                .map(new AvroRowConverter.Rows<Alert>(schema, Alert.getClassSchema()), LakeTables.rowType(schema))
                .uid("alerts-lake-rows")
                .name("alerts to lake rows");
        LakeTables.appendWithFlinkSink(rows, lake, identifier(lake, notifications), "lake-alerts", 0);
    }
}
