package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LakeConfigTest {
    private static Map<String, String> onS3() {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        values.put("catalog.uri", "jdbc:sqlite:/tmp/catalog.db");
        values.put("catalog.warehouse", "s3://lake-bucket/warehouse");
        return values;
    }

    private static Map<String, String> glue() {
        Map<String, String> values = onS3();
        values.remove("catalog.uri");
        values.put("catalog.type", "glue");
        return values;
    }

    @Test
    void theS3AndGlueKeysBecomeIcebergPropertiesAndPassThroughKeysStayAsGiven() {
        Map<String, String> values = glue();
        values.put("lake.s3.endpoint", "http://127.0.0.1:9000");
        values.put("lake.s3.path-style-access", "TRUE");
        values.put("lake.s3.region", "eu-west-1");
        values.put("catalog.glue.id", "123456789012");
        values.put("catalog.glue.account-id", "123456789012");
        values.put("catalog.property.s3.sse.type", "kms");
        values.put("catalog.property.s3.sse.key", " arn:aws:kms:eu-west-1:123456789012:key/k-1 ");

        LakeConfig lake = PipelineConfig.from(values).lake();

        assertThat(lake.catalogType()).isEqualTo(LakeConfig.CatalogType.GLUE);
        assertThat(lake.uri()).isNull();
        assertThat(lake.catalogProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "s3.endpoint", "http://127.0.0.1:9000",
                "s3.path-style-access", "true",
                "client.region", "eu-west-1",
                "glue.id", "123456789012",
                "glue.account-id", "123456789012",
                "s3.sse.type", "kms",
                "s3.sse.key", "arn:aws:kms:eu-west-1:123456789012:key/k-1"));
    }

    @Test
    void aLakeWithoutThoseKeysHasNoCatalogProperties() {
        assertThat(PipelineConfig.from(onS3()).lake().catalogProperties()).isEmpty();
    }

    @Test
    void glueKeepsItsTablesOnS3() {
        Map<String, String> values = glue();
        values.put("catalog.warehouse", "file:///tmp/warehouse");
        assertThatThrownBy(() -> PipelineConfig.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'catalog.warehouse'")
                .hasMessageContaining("'file:///tmp/warehouse'")
                .hasMessageContaining("s3://");
    }

    @Test
    void glueNeedsNoUriButJdbcAndRestDo() {
        assertThat(PipelineConfig.from(glue()).lake().warehouse()).isEqualTo("s3://lake-bucket/warehouse");
        Map<String, String> rest = onS3();
        rest.remove("catalog.uri");
        rest.put("catalog.type", "rest");
        assertThatThrownBy(() -> PipelineConfig.from(rest)).hasMessageContaining("'catalog.uri'").hasMessageContaining("catalog.type=rest");
    }

    @Test
    void theHadoopCatalogIsRefusedOnS3() {
        Map<String, String> values = onS3();
        values.remove("catalog.uri");
        values.put("catalog.type", "hadoop");
        values.put("catalog.warehouse", "s3a://lake-bucket/warehouse");
        assertThatThrownBy(() -> PipelineConfig.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'catalog.warehouse'")
                .hasMessageContaining("catalog.type=jdbc, rest or glue");
    }

    @Test
    void badValuesNameTheirKey() {
        Map<String, String> endpoint = onS3();
        endpoint.put("lake.s3.endpoint", "localhost:9000");
        assertThatThrownBy(() -> PipelineConfig.from(endpoint)).hasMessageContaining("'lake.s3.endpoint'").hasMessageContaining("'localhost:9000'");
        Map<String, String> pathStyle = onS3();
        pathStyle.put("lake.s3.path-style-access", "yes");
        assertThatThrownBy(() -> PipelineConfig.from(pathStyle)).hasMessageContaining("'lake.s3.path-style-access'").hasMessageContaining("true or false");
        Map<String, String> typo = onS3();
        typo.put("lake.s3.endpiont", "http://127.0.0.1:9000");
        assertThatThrownBy(() -> PipelineConfig.from(typo)).hasMessageContaining("Unknown configuration key 'lake.s3.endpiont'");
    }

    @Test
    void aPropertySetTwiceOrOverTheWarehouseIsRefused() {
        Map<String, String> twice = onS3();
        twice.put("lake.s3.region", "eu-west-1");
        twice.put("catalog.property.client.region", "us-east-1");
        assertThatThrownBy(() -> PipelineConfig.from(twice))
                .hasMessageContaining("'catalog.property.client.region'").hasMessageContaining("'lake.s3.region'");
        Map<String, String> warehouse = onS3();
        warehouse.put("catalog.property.warehouse", "s3://other/warehouse");
        assertThatThrownBy(() -> PipelineConfig.from(warehouse)).hasMessageContaining("use catalog.warehouse");
    }

    @Test
    void describeListsTheCatalogPropertiesWithCredentialsMasked() {
        Map<String, String> values = onS3();
        values.put("lake.s3.endpoint", "http://127.0.0.1:9000");
        values.put("catalog.property.s3.access-key-id", "AKIDEXAMPLE");
        values.put("catalog.property.s3.secret-access-key", "wJalrXUtnFEMI");
        values.put("catalog.property.s3.session-token", "FwoGZXIvYXdzE");

        String described = PipelineConfig.from(values).describe();

        assertThat(described).contains("catalog property s3.endpoint = http://127.0.0.1:9000")
                .contains("catalog property s3.secret-access-key = ******")
                .doesNotContain("wJalrXUtnFEMI").doesNotContain("FwoGZXIvYXdzE").doesNotContain("AKIDEXAMPLE");
    }
}
