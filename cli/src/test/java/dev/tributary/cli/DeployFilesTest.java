package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.capture.CaptureConfig;
import dev.tributary.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be checked here of the deployment files: they parse, and they name things that exist. */
class DeployFilesTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theLakeMirrorAndCaptureConfigurationsParse() throws Exception {
        PipelineConfig mirror = PipelineConfig.fromFile(ROOT.resolve("deploy/flink/lake-mirror.properties"), Map.of());
        assertThat(mirror.mirror().tables()).contains("public.vehicles");
        for (String file : new String[] {"postgres.properties", "aurora-mysql.properties"}) {
            CaptureConfig capture = CaptureConfig.fromFile(ROOT.resolve("deploy/capture").resolve(file), Map.of(), Map.of("TRIBUTARY_CAPTURE_PASSWORD", "secret"));
            assertThat(capture.password()).as("from the environment").isEqualTo("secret");
            assertThat(capture.describe()).doesNotContain("secret");
            assertThat(capture.debeziumProperties().getProperty("topic.prefix")).isEqualTo("fleet.cdc");
        }
    }

    @Test
    void theClusterConfigurationIsValid() throws Exception {
        PipelineConfig config = PipelineConfig.fromFile(ROOT.resolve("deploy/flink/telemetry.properties"), Map.of());
        assertThat(config.lake().namespace()).isEqualTo("fleet");
        assertThat(config.telemetryTopic()).isEqualTo("fleet.telemetry.raw");
    }

    @Test
    void theAwsProfilesPutTheLakeInGlueAndOnS3WhereTrinoAndAthenaLook() throws Exception {
        java.util.Properties trino = properties(ROOT.resolve("deploy/trino/glue/lake.properties"));
        String athena = Files.readString(ROOT.resolve("deploy/athena/01-database.sql"));
        for (String file : new String[] {"telemetry.properties", "lake-mirror.properties"}) {
            PipelineConfig config = PipelineConfig.fromFile(ROOT.resolve("deploy/flink/aws").resolve(file), Map.of());
            dev.tributary.config.LakeConfig lake = config.lake();
            assertThat(lake.catalogType()).as(file).isEqualTo(dev.tributary.config.LakeConfig.CatalogType.GLUE);
            assertThat(dev.tributary.lake.Catalogs.implementation(lake)).isEqualTo("org.apache.iceberg.aws.glue.GlueCatalog");
            assertThat(dev.tributary.lake.Catalogs.properties(lake)).as(file)
                    .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
                    .containsEntry("http-client.type", "urlconnection")
                    .containsEntry("client.region", trino.getProperty("hive.metastore.glue.region"))
                    .doesNotContainKeys("s3.endpoint", "uri");
            assertThat(lake.warehouse()).as(file).isEqualTo(trino.getProperty("hive.metastore.glue.default-warehouse-dir"));
            assertThat(trino.getProperty("s3.region")).isEqualTo(lake.catalogProperties().get("client.region"));
            // The Glue database the jobs create their tables in is the one Athena's statements and Trino's queries name.
            String database = file.startsWith("lake-mirror") ? config.mirror().namespace() : lake.namespace();
            assertThat(database).isEqualTo("fleet");
            assertThat(athena).contains("CREATE DATABASE IF NOT EXISTS " + database);
            assertThat(config.describe()).as(file).contains("lake = glue s3://");
        }
        PipelineConfig telemetry = PipelineConfig.fromFile(ROOT.resolve("deploy/flink/aws/telemetry.properties"), Map.of());
        assertThat(telemetry.lake().writer()).as("EMR 7's Flink 1.20.0").isEqualTo(dev.tributary.config.LakeConfig.Writer.FLINK_SINK);
    }

    @Test
    void dockerComposePinsItsImagesAndNamesTheJarAndConfigurationWeBuild() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        Iterator<Map.Entry<String, JsonNode>> services = compose.get("services").fields();
        int count = 0;
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> service = services.next();
            String image = service.getValue().path("image").asText();
            assertThat(image).as(service.getKey()).matches("[a-z0-9./-]+:(?:[0-9][A-Za-z0-9.-]*|RELEASE\\.[0-9TZ-]+)");
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(4);
        String command = compose.at("/services/submit-telemetry/command").asText();
        Matcher jar = Pattern.compile("/opt/tributary/jobs/(\\S+\\.jar)").matcher(command);
        assertThat(jar.find()).isTrue();
        assertThat(ROOT.resolve("jobs/target").resolve(jar.group(1))).as("the shaded jar the jobs module builds").exists();
        Matcher config = Pattern.compile("/opt/tributary/config/(\\S+\\.properties)").matcher(command);
        assertThat(config.find()).isTrue();
        assertThat(Files.exists(ROOT.resolve("deploy/flink").resolve(config.group(1)))).isTrue();
        assertThat(compose.at("/services/jobmanager/image").asText()).startsWith("flink:1.20.3");
        assertThat(compose.at("/services/kafka/image").asText()).endsWith(":3.9.1");
    }

    @Test
    void dockerComposePinsEveryImageAndItsServicesNameWhatExists() throws Exception {
        JsonNode compose = composeWithAnchorsResolved();
        JsonNode services = compose.get("services");
        assertThat(services.fieldNames()).toIterable().contains("kafka", "postgres", "minio", "create-bucket", "iceberg-rest", "trino",
                "jobmanager", "taskmanager", "zookeeper", "druid-coordinator", "druid-broker", "druid-historical", "druid-middlemanager",
                "druid-router", "submit-druid-supervisor");
        java.util.Set<String> hostPorts = new java.util.HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            String name = service.getKey();
            String image = service.getValue().path("image").asText();
            assertThat(image).as(name + ": a version tag, not latest").matches("[a-z0-9./-]+:(?:[0-9][A-Za-z0-9.-]*|RELEASE\\.[0-9TZ-]+)")
                    .doesNotContainIgnoringCase(":latest");
            JsonNode dependsOn = service.getValue().path("depends_on");
            java.util.List<String> dependencies = new java.util.ArrayList<>();
            if (dependsOn.isArray()) {
                dependsOn.forEach(dependency -> dependencies.add(dependency.asText()));
            } else {
                dependsOn.fieldNames().forEachRemaining(dependencies::add);
            }
            for (String dependency : dependencies) {
                assertThat(services.has(dependency)).as(name + " depends on " + dependency).isTrue();
            }
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source.substring(2))).as(name + " mounts " + source).exists();
                } else {
                    assertThat(compose.path("volumes").has(source)).as(name + " mounts the named volume " + source).isTrue();
                }
            }
            for (JsonNode port : service.getValue().path("ports")) {
                String[] parts = port.asText().split(":");
                // Published on this machine's loopback only: Docker's default is every interface.
                assertThat(parts).as(name + " publishes " + port.asText() + " as 127.0.0.1:<host port>:<container port>").hasSize(3);
                assertThat(parts[0]).as(name + " publishes " + port.asText() + " on loopback only").isEqualTo("127.0.0.1");
                String host = parts[1];
                assertThat(hostPorts.add(host)).as(name + " publishes host port " + host + " that another service publishes").isTrue();
            }
        }
        assertThat(compose.at("/services/trino/image").asText()).isEqualTo("trinodb/trino:476");
        assertThat(compose.at("/services/postgres/command").toString()).contains("wal_level=logical");
        assertThat(compose.at("/services/iceberg-rest/environment/CATALOG_S3_ENDPOINT").asText()).isEqualTo("http://minio:9000");
        assertThat(compose.at("/services/create-bucket/command").toString()).contains("mc mb");
    }

    @Test
    void trinoInComposeReadsTheRestCatalogServiceAndEveryTrinoCatalogIsIceberg() throws Exception {
        JsonNode compose = composeWithAnchorsResolved();
        String catalogMount = null;
        for (JsonNode volume : compose.at("/services/trino/volumes")) {
            if (volume.asText().contains("/etc/trino/catalog/")) {
                catalogMount = volume.asText().split(":")[0];
            }
        }
        assertThat(catalogMount).as("trino mounts a catalog file of deploy/trino").startsWith("./deploy/trino/");
        java.util.Properties mounted = properties(ROOT.resolve(catalogMount.substring(2)));
        assertThat(mounted.getProperty("connector.name")).isEqualTo("iceberg");
        assertThat(mounted.getProperty("iceberg.catalog.type")).isEqualTo("rest");
        String restUri = mounted.getProperty("iceberg.rest-catalog.uri");
        assertThat(restUri).isEqualTo("http://iceberg-rest:8181");
        assertThat(compose.at("/services/iceberg-rest/ports").toString()).contains("8181:8181");
        assertThat(compose.at("/services/trino/volumes").toString()).as("Trino sees the warehouse where the jobs write it")
                .contains("warehouse:/var/lib/tributary");

        java.util.Properties local = properties(ROOT.resolve("deploy/trino/local/lake.properties"));
        assertThat(local.getProperty("iceberg.rest-catalog.uri")).isEqualTo("http://localhost:8181");
        assertThat(local.getProperty("fs.native-local.enabled")).isEqualTo("true");
        assertThat(local.getProperty("local.location")).isEqualTo("/");
        assertThat(local.getProperty("iceberg.unique-table-location")).isEqualTo("false");
        java.util.Properties emr = properties(ROOT.resolve("deploy/trino/glue/lake.properties"));
        assertThat(emr.getProperty("connector.name")).isEqualTo("iceberg");
        assertThat(emr.getProperty("iceberg.catalog.type")).isEqualTo("glue");
        assertThat(emr.getProperty("iceberg.file-format")).isEqualTo("ORC");
        assertThat(emr.getProperty("fs.native-s3.enabled")).isEqualTo("true");
        assertThat(emr.getProperty("hive.metastore.glue.default-warehouse-dir")).startsWith("s3://");
        JsonNode classification = new ObjectMapper().readTree(ROOT.resolve("deploy/trino/glue/configurations.json").toFile()).get(0);
        assertThat(classification.path("Classification").asText()).isEqualTo("trino-connector-iceberg");
        for (String key : emr.stringPropertyNames()) {
            assertThat(classification.at("/Properties").path(key).asText()).as("configurations.json matches lake.properties: " + key)
                    .isEqualTo(emr.getProperty(key));
        }
    }

    @Test
    void theDruidSupervisorComposePostsIsTheOneInDeployDruid() throws Exception {
        JsonNode compose = composeWithAnchorsResolved();
        JsonNode submit = compose.at("/services/submit-druid-supervisor");
        String mount = null;
        for (JsonNode volume : submit.path("volumes")) {
            mount = volume.asText();
        }
        assertThat(mount).startsWith("./deploy/druid:");
        String inContainer = mount.split(":")[1];
        String command = submit.path("command").toString();
        Matcher data = Pattern.compile("@" + Pattern.quote(inContainer) + "/([^\"\\s]+\\.json)").matcher(command);
        assertThat(data.find()).as("posts a file of the mounted deploy/druid: " + command).isTrue();
        Path spec = ROOT.resolve("deploy/druid").resolve(data.group(1));
        assertThat(spec).exists();
        assertThat(new ObjectMapper().readTree(spec.toFile()).path("type").asText()).isEqualTo("kafka");
        assertThat(command).contains("http://druid-coordinator:8081/druid/indexer/v1/supervisor");
        assertThat(compose.at("/services/druid-coordinator/environment/druid_extensions_loadList").asText())
                .contains("druid-kafka-indexing-service").contains("postgresql-metadata-storage");
        assertThat(compose.at("/services/druid-coordinator/environment/druid_zk_service_host").asText()).isEqualTo("zookeeper");
    }

    /** docker-compose.yml with its YAML anchors and aliases resolved (Jackson's YAML tree leaves aliases unresolved). */
    private static JsonNode composeWithAnchorsResolved() throws java.io.IOException {
        try (java.io.Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Object yaml = new org.yaml.snakeyaml.Yaml().load(reader);
            return new ObjectMapper().valueToTree(yaml);
        }
    }

    private static java.util.Properties properties(Path file) throws java.io.IOException {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
