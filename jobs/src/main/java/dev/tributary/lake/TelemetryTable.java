package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The lake's telemetry table: enriched readings, appended, partitioned by day of event time,
 * format v2, in the configured file format (ORC by default). Its columns, and the child tables
 * beside it, are {@link TelemetryLakeLayout}'s.
 */
public final class TelemetryTable {
    private TelemetryTable() {}

    public static TableIdentifier identifier(LakeConfig lake) {
        return new TelemetryLakeLayout(lake).mainTable();
    }
}
