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
    void dockerComposePinsItsImagesAndNamesTheJarAndConfigurationWeBuild() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        Iterator<Map.Entry<String, JsonNode>> services = compose.get("services").fields();
        int count = 0;
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> service = services.next();
            String image = service.getValue().path("image").asText();
            assertThat(image).as(service.getKey()).matches("[a-z0-9./-]+:[0-9][A-Za-z0-9.-]*");
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
}
