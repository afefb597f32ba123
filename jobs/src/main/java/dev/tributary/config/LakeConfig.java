package dev.tributary.config;

import static java.util.Objects.requireNonNull;

/**
 * Where the lake lives: an Iceberg catalog and the tables the pipeline writes.
 *
 * @param uri the catalog's URI: a JDBC URL ({@code jdbc:sqlite:/path/catalog.db}) or a REST endpoint
 * @param warehouse the warehouse location ({@code file:///path}, {@code s3://bucket/path})
 * @param arrays how arrays of records in a reading land: as list columns of the telemetry table, or
 *     pivoted into child tables with one row per element ({@code <telemetry-table>_<path>})
 * @param writer how the telemetry job writes the lake: Iceberg's Dynamic Iceberg Sink (columns added
 *     while the job runs are written; needs Flink 1.20.2 or later) or Iceberg's {@code FlinkSink}
 *     (the table's schema when the job starts; appends; runs on Flink 1.20.0 as on EMR 7.x)
 */
public record LakeConfig(
        CatalogType catalogType,
        String catalogName,
        String uri,
        String warehouse,
        String namespace,
        String telemetryTable,
        FileFormat fileFormat,
        ArrayLayout arrays,
        Writer writer) implements java.io.Serializable {

    public enum CatalogType { JDBC, REST, HADOOP }

    public enum FileFormat { ORC, PARQUET, AVRO }

    /** {@code lake.arrays}: {@code list} or {@code child-table}. */
    public enum ArrayLayout { LIST, CHILD_TABLE }

    /** {@code lake.writer}: {@code dynamic-sink} or {@code flink-sink}. */
    public enum Writer { DYNAMIC_SINK, FLINK_SINK }

    public LakeConfig {
        requireNonNull(catalogType, "catalogType is null");
        requireNonNull(catalogName, "catalogName is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(telemetryTable, "telemetryTable is null");
        requireNonNull(fileFormat, "fileFormat is null");
        requireNonNull(arrays, "arrays is null");
        requireNonNull(writer, "writer is null");
        if (catalogType != CatalogType.HADOOP && (uri == null || uri.isBlank())) {
            throw new ConfigException("Missing required configuration key 'catalog.uri' (needed by catalog.type=" + catalogType.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }
}
