package dev.tributary.lake;

import dev.tributary.config.LakeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Iceberg catalogs from the lake configuration: JDBC (SQLite locally), REST, a Hadoop warehouse, or
 * the AWS Glue Data Catalog. A warehouse on {@code s3://} is read and written with Iceberg's
 * {@code S3FileIO}, through the JDK's HTTP client, with credentials from the AWS default chain
 * (environment, system properties, web identity, the instance profile on EMR).
 */
public final class Catalogs {
    public static final String GLUE_CATALOG = "org.apache.iceberg.aws.glue.GlueCatalog";
    public static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";
    /** Iceberg's AWS clients' HTTP client ({@code HttpClientProperties.CLIENT_TYPE}); the jobs jar has the JDK's only. */
    static final String HTTP_CLIENT_TYPE = "http-client.type";

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
            case GLUE:
                return CatalogLoader.custom(lake.catalogName(), properties, hadoop, GLUE_CATALOG);
            default:
                throw new IllegalArgumentException("unsupported catalog type " + lake.catalogType());
        }
    }

    /** The catalog's properties, as Iceberg's catalogs and Flink SQL's {@code CREATE CATALOG} take them. */
    public static Map<String, String> properties(LakeConfig lake) {
        Map<String, String> properties = new HashMap<>();
        boolean onAws = LakeConfig.isS3(lake.warehouse()) || lake.catalogType() == LakeConfig.CatalogType.GLUE;
        if (LakeConfig.isS3(lake.warehouse())) {
            properties.put(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO);
        }
        if (onAws) {
            // Iceberg's default is Apache's HTTP client, which the jobs jar leaves out (as for SNS).
            properties.put(HTTP_CLIENT_TYPE, "urlconnection");
        }
        if (lake.catalogType() == LakeConfig.CatalogType.JDBC) {
            properties.put("jdbc.schema-version", "V1");
            if (lake.uri().startsWith("jdbc:sqlite:")) {
                // Readers (queries, progress) must not lock out the committer, nor one committer another.
                properties.put("jdbc.journal_mode", "WAL");
                properties.put("jdbc.busy_timeout", "30000");
            }
        }
        // What the configuration sets wins over the defaults above (io-impl, http-client.type, ...).
        properties.putAll(lake.catalogProperties());
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, lake.warehouse());
        if (lake.uri() != null) {
            properties.put(CatalogProperties.URI, lake.uri());
        }
        return properties;
    }

    /** The implementation class Flink SQL's {@code CREATE CATALOG ... WITH ('catalog-impl'=...)} takes, or null for a built-in type. */
    public static String implementation(LakeConfig lake) {
        if (lake.catalogType() == LakeConfig.CatalogType.GLUE) {
            return GLUE_CATALOG;
        }
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
