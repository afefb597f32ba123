package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the lake lives: an Iceberg catalog and the tables the pipeline writes.
 *
 * @param uri the catalog's URI: a JDBC URL ({@code jdbc:sqlite:/path/catalog.db}) or a REST endpoint;
 *     none for the Hadoop and Glue catalogs
 * @param warehouse the warehouse location ({@code file:///path}, {@code s3://bucket/path})
 * @param arrays how arrays of records in a reading land: as list columns of the telemetry table, or
 *     pivoted into child tables with one row per element ({@code <telemetry-table>_<path>})
 * @param writer how the telemetry job writes the lake: Iceberg's Dynamic Iceberg Sink (columns added
 *     while the job runs are written; needs Flink 1.20.2 or later) or Iceberg's {@code FlinkSink}
 *     (the table's schema when the job starts; appends; runs on Flink 1.20.0 as on EMR 7.x)
 * @param catalogProperties Iceberg catalog properties the configuration sets besides the warehouse and
 *     URI: those of the {@code lake.s3.*} and {@code catalog.glue.*} keys, and every
 *     {@code catalog.property.<iceberg-key>} as given (S3 endpoint, region, server-side encryption, ...)
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
        Writer writer,
        Map<String, String> catalogProperties) implements java.io.Serializable {

    /** As a record's, with the catalog properties' secrets masked. */
    @Override
    public String toString() {
        return "LakeConfig[catalogType=" + catalogType + ", catalogName=" + catalogName + ", uri=" + SecretKeys.shown("catalog.uri", uri)
                + ", warehouse=" + warehouse + ", namespace=" + namespace + ", telemetryTable=" + telemetryTable + ", fileFormat=" + fileFormat
                + ", arrays=" + arrays + ", writer=" + writer + ", catalogProperties=" + SecretKeys.shown(catalogProperties) + "]";
    }

    /** Iceberg properties given as they are: {@code catalog.property.s3.sse.type=kms}. */
    public static final String CATALOG_PROPERTY_PREFIX = "catalog.property.";

    /** The keys that map onto one Iceberg property each, and that property. */
    private static final Map<String, String> MAPPED_KEYS = mappedKeys();

    /** Every key {@link #from} reads besides those under {@link #CATALOG_PROPERTY_PREFIX}. */
    public static final Set<String> KEYS = keys();

    /** {@code catalog.type}: {@code glue} is the AWS Glue Data Catalog (Athena and Trino on EMR read its tables). */
    public enum CatalogType { JDBC, REST, HADOOP, GLUE }

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
        catalogProperties = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(catalogProperties, "catalogProperties is null")));
        String type = catalogType.name().toLowerCase(Locale.ROOT);
        boolean needsUri = catalogType == CatalogType.JDBC || catalogType == CatalogType.REST;
        if (needsUri && (uri == null || uri.isBlank())) {
            throw new ConfigException("Missing required configuration key 'catalog.uri' (needed by catalog.type=" + type + ")");
        }
        if (catalogType == CatalogType.GLUE && !isS3(warehouse)) {
            throw new ConfigException("catalog.warehouse", warehouse, "the Glue catalog keeps its tables on S3: expected s3://bucket/path");
        }
        if (catalogType == CatalogType.HADOOP && isS3(warehouse)) {
            throw new ConfigException("catalog.warehouse", warehouse, "the Hadoop catalog needs a file system with atomic renames, which S3 is not: "
                    + "use catalog.type=jdbc, rest or glue for a lake on S3");
        }
    }

    /** A lake with no catalog properties besides its warehouse and URI. */
    public LakeConfig(CatalogType catalogType, String catalogName, String uri, String warehouse, String namespace, String telemetryTable,
                      FileFormat fileFormat, ArrayLayout arrays, Writer writer) {
        this(catalogType, catalogName, uri, warehouse, namespace, telemetryTable, fileFormat, arrays, writer, Map.of());
    }

    /** The lake's keys, read and checked. */
    static LakeConfig from(ConfigValues reader) {
        return new LakeConfig(
                reader.choice("catalog.type", CatalogType.class, CatalogType.JDBC),
                reader.string("catalog.name", "lake"),
                reader.string("catalog.uri", null),
                reader.required("catalog.warehouse"),
                reader.string("lake.namespace", "fleet"),
                reader.string("lake.telemetry-table", "telemetry"),
                reader.choice("lake.file-format", FileFormat.class, FileFormat.ORC),
                reader.choice("lake.arrays", ArrayLayout.class, ArrayLayout.LIST),
                reader.choice("lake.writer", Writer.class, Writer.DYNAMIC_SINK),
                catalogProperties(reader));
    }

    /** Whether a location is on S3 ({@code s3://}, or Hadoop's {@code s3a://} spelling, which S3FileIO reads too). */
    public static boolean isS3(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("s3://") || lower.startsWith("s3a://");
    }

    private static Map<String, String> catalogProperties(ConfigValues reader) {
        Map<String, String> properties = new LinkedHashMap<>();
        String endpoint = reader.string("lake.s3.endpoint", null);
        if (endpoint != null) {
            requireHttpUri("lake.s3.endpoint", endpoint);
            properties.put(MAPPED_KEYS.get("lake.s3.endpoint"), endpoint);
        }
        if (reader.string("lake.s3.path-style-access", null) != null) {
            properties.put(MAPPED_KEYS.get("lake.s3.path-style-access"), Boolean.toString(reader.bool("lake.s3.path-style-access", false)));
        }
        for (String key : new String[] {"lake.s3.region", "catalog.glue.id", "catalog.glue.account-id"}) {
            String value = reader.string(key, null);
            if (value != null) {
                properties.put(MAPPED_KEYS.get(key), value);
            }
        }
        String glueEndpoint = reader.string("catalog.glue.endpoint", null);
        if (glueEndpoint != null) {
            requireHttpUri("catalog.glue.endpoint", glueEndpoint);
            properties.put(MAPPED_KEYS.get("catalog.glue.endpoint"), glueEndpoint);
        }
        for (Map.Entry<String, String> given : reader.withPrefix(CATALOG_PROPERTY_PREFIX).entrySet()) {
            String property = given.getKey();
            String key = CATALOG_PROPERTY_PREFIX + property;
            if (property.isBlank()) {
                throw new ConfigException("Configuration key '" + key + "' names no Iceberg property");
            }
            if (property.equals("warehouse") || property.equals("uri")) {
                throw new ConfigException("Configuration key '" + key + "' sets what catalog." + property + " sets: use catalog." + property);
            }
            for (Map.Entry<String, String> mapped : MAPPED_KEYS.entrySet()) {
                if (mapped.getValue().equals(property) && reader.string(mapped.getKey(), null) != null) {
                    throw new ConfigException("Configuration keys '" + key + "' and '" + mapped.getKey() + "' both set the Iceberg property "
                            + property + ": keep one");
                }
            }
            properties.put(property, given.getValue() == null ? "" : given.getValue().trim());
        }
        return properties;
    }

    private static void requireHttpUri(String key, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(key, value, "expected an http:// or https:// URL");
    }

    private static Map<String, String> mappedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("lake.s3.endpoint", "s3.endpoint");
        keys.put("lake.s3.path-style-access", "s3.path-style-access");
        // Iceberg's region for every AWS client it opens: S3 and Glue alike.
        keys.put("lake.s3.region", "client.region");
        keys.put("catalog.glue.id", "glue.id");
        keys.put("catalog.glue.account-id", "glue.account-id");
        keys.put("catalog.glue.endpoint", "glue.endpoint");
        return Collections.unmodifiableMap(keys);
    }

    private static Set<String> keys() {
        Set<String> keys = new java.util.HashSet<>(Set.of("catalog.type", "catalog.uri", "catalog.warehouse", "catalog.name",
                "lake.namespace", "lake.telemetry-table", "lake.file-format", "lake.arrays", "lake.writer"));
        keys.addAll(MAPPED_KEYS.keySet());
        return Collections.unmodifiableSet(keys);
    }
}
