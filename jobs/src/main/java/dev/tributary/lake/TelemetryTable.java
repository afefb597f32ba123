package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

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
        TableIdentifier identifier = identifier(lake);
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(identifier.namespace())) {
            try {
                namespaces.createNamespace(identifier.namespace());
            } catch (AlreadyExistsException e) {
                // created concurrently: fine
            }
        }
        if (catalog.tableExists(identifier)) {
            return catalog.loadTable(identifier);
        }
        Schema schema = schema();
        PartitionSpec spec = PartitionSpec.builderFor(schema).day("event_time").build();
        try {
            return catalog.createTable(identifier, schema, spec, Map.of(
                    TableProperties.FORMAT_VERSION, "2",
                    TableProperties.DEFAULT_FILE_FORMAT, lake.fileFormat().name().toLowerCase(Locale.ROOT),
                    TableProperties.ORC_COMPRESSION, "zstd",
                    // Hash dictionaries instead of ORC's red-black trees: the writer's main cost (bench telemetry).
                    "orc.dictionary.implementation", "hash",
                    TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                    TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50"));
        } catch (AlreadyExistsException e) {
            return catalog.loadTable(identifier);
        }
    }
}
