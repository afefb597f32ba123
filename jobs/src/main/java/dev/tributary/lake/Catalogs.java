package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;

/** Iceberg catalogs from the lake configuration: JDBC (SQLite locally), REST, or a Hadoop warehouse. */
public final class Catalogs {
    private Catalogs() {}

    public static CatalogLoader loader(LakeConfig lake) {
        Map<String, String> properties = properties(lake);
        Configuration hadoop = new Configuration();
        switch (lake.catalogType()) {
            case JDBC:
                return CatalogLoader.custom(lake.catalogName(), properties, hadoop, implementation(lake));
            case REST:
                return CatalogLoader.rest(lake.catalogName(), hadoop, properties);
            case HADOOP:
                return CatalogLoader.hadoop(lake.catalogName(), hadoop, properties);
            default:
                throw new IllegalArgumentException("unsupported catalog type " + lake.catalogType());
        }
    }

    /** The catalog's properties, as Iceberg's catalogs and Flink SQL's {@code CREATE CATALOG} take them. */
    public static Map<String, String> properties(LakeConfig lake) {
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, lake.warehouse());
        if (lake.uri() != null) {
            properties.put(CatalogProperties.URI, lake.uri());
        }
        if (lake.catalogType() == LakeConfig.CatalogType.JDBC) {
            properties.put("jdbc.schema-version", "V1");
            if (lake.uri().startsWith("jdbc:sqlite:")) {
                // Readers (queries, progress) must not lock out the committer, nor one committer another.
                properties.put("jdbc.journal_mode", "WAL");
                properties.put("jdbc.busy_timeout", "30000");
            }
        }
        return properties;
    }

    /** The implementation class Flink SQL's {@code CREATE CATALOG ... WITH ('catalog-impl'=...)} takes, or null for a built-in type. */
    public static String implementation(LakeConfig lake) {
        if (lake.catalogType() != LakeConfig.CatalogType.JDBC) {
            return null;
        }
        return lake.uri().startsWith("jdbc:sqlite:") ? SqliteJdbcCatalog.class.getName() : "org.apache.iceberg.jdbc.JdbcCatalog";
    }

    public static Catalog open(LakeConfig lake) {
        return loader(lake).loadCatalog();
    }

    /** Closes a catalog that was opened for one task; a failure to close loses nothing. */
    public static void closeQuietly(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // the task is done; nothing to keep
            }
        }
    }
}
