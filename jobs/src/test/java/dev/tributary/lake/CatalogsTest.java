package dev.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.LakeConfig;
import dev.tributary.config.PipelineConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

class CatalogsTest {
    private static LakeConfig lake(Map<String, String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        values.putAll(settings);
        return PipelineConfig.from(values).lake();
    }

    @Test
    void aWarehouseOnS3IsWrittenWithS3FileIoThroughTheJdksHttpClient() {
        Map<String, String> properties = Catalogs.properties(lake(Map.of(
                "catalog.uri", "jdbc:sqlite:/tmp/catalog.db",
                "catalog.warehouse", "s3://lake-bucket/warehouse",
                "lake.s3.endpoint", "http://127.0.0.1:9000",
                "lake.s3.path-style-access", "true")));

        assertThat(properties)
                .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
                .containsEntry("http-client.type", "urlconnection")
                .containsEntry("s3.endpoint", "http://127.0.0.1:9000")
                .containsEntry("s3.path-style-access", "true")
                .containsEntry("warehouse", "s3://lake-bucket/warehouse")
                .containsEntry("uri", "jdbc:sqlite:/tmp/catalog.db")
                .containsEntry("jdbc.journal_mode", "WAL");
    }

    @Test
    void whatTheConfigurationSetsWinsOverTheDefaults() {
        Map<String, String> properties = Catalogs.properties(lake(Map.of(
                "catalog.uri", "jdbc:sqlite:/tmp/catalog.db",
                "catalog.warehouse", "s3://lake-bucket/warehouse",
                "catalog.property.io-impl", "org.apache.iceberg.hadoop.HadoopFileIO",
                "catalog.property.http-client.type", "apache",
                "catalog.property.jdbc.busy_timeout", "5000")));

        assertThat(properties)
                .containsEntry("io-impl", "org.apache.iceberg.hadoop.HadoopFileIO")
                .containsEntry("http-client.type", "apache")
                .containsEntry("jdbc.busy_timeout", "5000");
    }

    @Test
    void aLocalWarehouseKeepsIcebergsDefaultFileIo() {
        Map<String, String> properties = Catalogs.properties(lake(Map.of(
                "catalog.uri", "jdbc:sqlite:/tmp/catalog.db", "catalog.warehouse", "file:///tmp/warehouse")));
        assertThat(properties).doesNotContainKeys("io-impl", "http-client.type");
    }

    @Test
    void theGlueCatalogIsIcebergsGlueCatalogOverS3FileIo() throws Exception {
        LakeConfig lake = lake(Map.of("catalog.type", "glue", "catalog.warehouse", "s3://lake-bucket/warehouse",
                "lake.s3.region", "eu-west-1", "catalog.glue.id", "123456789012"));
        assertThat(Catalogs.implementation(lake)).isEqualTo("org.apache.iceberg.aws.glue.GlueCatalog");
        assertThat(Catalogs.properties(lake)).containsEntry("glue.id", "123456789012").containsEntry("client.region", "eu-west-1")
                .doesNotContainKey("uri");

        // Opening it builds its Glue client and S3FileIO from these jars (no request is sent until a table is looked at).
        Catalog catalog = Catalogs.open(lake);
        try {
            assertThat(catalog.getClass().getName()).isEqualTo("org.apache.iceberg.aws.glue.GlueCatalog");
            assertThat(catalog.name()).isEqualTo("lake");
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }
}
