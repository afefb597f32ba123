package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The lake's telemetry table: enriched readings, appended, partitioned by day of event time,
 * format v2, in the configured file format (ORC by default).
 */
public final class TelemetryTable {
    private TelemetryTable() {}

    public static Schema schema() {
        return IcebergSchemas.fromAvro(EnrichedTelemetry.getClassSchema());
    }

    public static TableIdentifier identifier(LakeConfig lake) {
        return TableIdentifier.of(Namespace.of(lake.namespace()), lake.telemetryTable());
    }

    /** Creates the table (and its namespace) if it does not exist yet, and returns it. */
    public static Table ensure(Catalog catalog, LakeConfig lake) {
        Schema schema = schema();
        return LakeTables.createIfMissing(catalog, lake, identifier(lake), schema, PartitionSpec.builderFor(schema).day("event_time").build(), Map.of());
    }
}
