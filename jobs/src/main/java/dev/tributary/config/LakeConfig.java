package dev.tributary.config;

import static java.util.Objects.requireNonNull;

/**
 * Where the lake lives: an Iceberg catalog and the tables the pipeline writes.
 *
 * @param uri the catalog's URI: a JDBC URL ({@code jdbc:sqlite:/path/catalog.db}) or a REST endpoint
 * @param warehouse the warehouse location ({@code file:///path}, {@code s3://bucket/path})
 */
public record LakeConfig(
        CatalogType catalogType,
        String catalogName,
        String uri,
        String warehouse,
        String namespace,
        String telemetryTable,
        FileFormat fileFormat) implements java.io.Serializable {

    public enum CatalogType { JDBC, REST, HADOOP }

    public enum FileFormat { ORC, PARQUET, AVRO }

    public LakeConfig {
        requireNonNull(catalogType, "catalogType is null");
        requireNonNull(catalogName, "catalogName is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(telemetryTable, "telemetryTable is null");
        requireNonNull(fileFormat, "fileFormat is null");
        if (catalogType != CatalogType.HADOOP && (uri == null || uri.isBlank())) {
            throw new ConfigException("Missing required configuration key 'catalog.uri' (needed by catalog.type=" + catalogType.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }
}
