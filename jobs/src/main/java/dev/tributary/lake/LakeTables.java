package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.flink.util.FlinkCompatibilityUtil;

/** Creating the lake's tables one way: format v2, the configured file format, ORC with zstd. */
public final class LakeTables {
    private LakeTables() {}

    public static Map<String, String> properties(LakeConfig lake) {
        return Map.of(
                TableProperties.FORMAT_VERSION, "2",
                TableProperties.DEFAULT_FILE_FORMAT, lake.fileFormat().name().toLowerCase(Locale.ROOT),
                TableProperties.ORC_COMPRESSION, "zstd",
                // Hash dictionaries instead of ORC's red-black trees: the writer's main cost (bench telemetry).
                "orc.dictionary.implementation", "hash",
                TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50",
                // Commits that Iceberg re-applies on newer metadata (appends, row deltas, compactions) lose
                // races to checkpoints, schema changes and maintenance more often than the default 4 allows.
                TableProperties.COMMIT_NUM_RETRIES, "10");
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
     * in parallel may race to create it: whoever loses loads the winner's table. (On SQLite,
     * {@link SqliteJdbcCatalog} reports a lost race as what it is.)
     */
    public static Table createIfMissing(Catalog catalog, LakeConfig lake, TableIdentifier identifier, Schema schema, PartitionSpec spec,
                                        Map<String, String> extraProperties) {
        ensureNamespace(catalog, identifier.namespace());
        if (catalog.tableExists(identifier)) {
            return catalog.loadTable(identifier);
        }
        Map<String, String> properties = new HashMap<>(properties(lake));
        properties.putAll(extraProperties);
        try {
            return catalog.createTable(identifier, schema, spec, properties);
        } catch (AlreadyExistsException e) {
            return catalog.loadTable(identifier);
        }
    }

    /** The Flink type of rows of {@code schema}. */
    public static TypeInformation<RowData> rowType(Schema schema) {
        return FlinkCompatibilityUtil.toTypeInfo(FlinkSchemaUtil.convert(schema));
    }

    /**
     * Appends {@code rows} to an existing table with Iceberg's {@code FlinkSink} (v1): the table's
     * schema when the job starts, committed as appends on checkpoints (and at end of input), by
     * {@code writeParallelism} writers (0: the job's parallelism).
     */
    public static void appendWithFlinkSink(DataStream<RowData> rows,
                                           LakeConfig lake, TableIdentifier table, String uidPrefix, int writeParallelism) {
        FlinkSink.Builder sink = FlinkSink.forRowData(rows)
                .tableLoader(TableLoader.fromCatalog(Catalogs.loader(lake), table))
                .uidPrefix(uidPrefix);
        if (writeParallelism > 0) {
            sink.writeParallelism(writeParallelism);
        }
        sink.append();
    }
}
