package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
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

/** Creating the lake's tables one way: format v2, the configured file format, ORC with zstd. */
public final class LakeTables {
    private static final int CREATE_ATTEMPTS = 5;

    private LakeTables() {}

    public static Map<String, String> properties(LakeConfig lake) {
        return Map.of(
                TableProperties.FORMAT_VERSION, "2",
                TableProperties.DEFAULT_FILE_FORMAT, lake.fileFormat().name().toLowerCase(Locale.ROOT),
                TableProperties.ORC_COMPRESSION, "zstd",
                // Hash dictionaries instead of ORC's red-black trees: the writer's main cost (bench telemetry).
                "orc.dictionary.implementation", "hash",
                TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50");
    }

    public static void ensureNamespace(Catalog catalog, Namespace namespace) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
            try {
                namespaces.createNamespace(namespace);
            } catch (AlreadyExistsException e) {
                // created concurrently: fine
            }
        }
    }

    /**
     * The table, created with {@code schema} and {@code spec} if it does not exist yet. Writers
     * in parallel may race to create it: whoever loses loads the winner's table. A catalog that
     * reports the race as another failure (SQLite's "database is locked") is asked again.
     */
    public static Table createIfMissing(Catalog catalog, LakeConfig lake, TableIdentifier identifier, Schema schema, PartitionSpec spec,
                                        Map<String, String> extraProperties) {
        ensureNamespace(catalog, identifier.namespace());
        RuntimeException last = null;
        for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
            if (catalog.tableExists(identifier)) {
                return catalog.loadTable(identifier);
            }
            try {
                Map<String, String> properties = new java.util.HashMap<>(properties(lake));
                properties.putAll(extraProperties);
                return catalog.createTable(identifier, schema, spec, properties);
            } catch (AlreadyExistsException e) {
                return catalog.loadTable(identifier);
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }
}
