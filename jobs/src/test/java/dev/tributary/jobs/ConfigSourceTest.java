package dev.tributary.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code --config} as a local file or an S3 object; S3 read from an in-test server that answers as S3 does. */
class ConfigSourceTest {
    private static final String PROPERTIES = "pipeline.name=fleet\njob.parallelism=2\ncatalog.warehouse=s3://lake/warehouse\n";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            int status;
            String body;
            if (path.equals("/deploy-bucket/config/telemetry.properties")) {
                status = 200;
                body = PROPERTIES;
            } else if (path.startsWith("/locked-bucket/")) {
                status = 403;
                body = error("AccessDenied", "Access Denied");
            } else {
                status = 404;
                body = error("NoSuchKey", "The specified key does not exist.");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "binary/octet-stream" : "application/xml");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void s3AndS3aLocationsSplitIntoBucketAndKey() {
        assertThat(ConfigSource.parse("s3://deploy-bucket/config/telemetry.properties"))
                .isInstanceOfSatisfying(ConfigSource.S3Object.class, object -> {
                    assertThat(object.bucket()).isEqualTo("deploy-bucket");
                    assertThat(object.key()).isEqualTo("config/telemetry.properties");
                });
        assertThat(ConfigSource.parse("s3a://deploy-bucket/telemetry.properties"))
                .isInstanceOfSatisfying(ConfigSource.S3Object.class, object -> assertThat(object.key()).isEqualTo("telemetry.properties"));
        assertThat(ConfigSource.parse("deploy/flink/telemetry.properties"))
                .isEqualTo(new ConfigSource.LocalFile(Path.of("deploy/flink/telemetry.properties")));
    }

    @Test
    void locationsWithoutBucketOrKeyOrOfAnotherSchemeAreRefusedWithTheOption() {
        for (String location : new String[] {"s3://deploy-bucket", "s3://deploy-bucket/", "s3:///telemetry.properties", "s3a://"}) {
            assertThatThrownBy(() -> ConfigSource.parse(location))
                    .as(location)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'--config'")
                    .hasMessageContaining("'" + location + "'")
                    .hasMessageContaining("bucket/key");
        }
        assertThatThrownBy(() -> ConfigSource.parse("https://example.com/telemetry.properties"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a local file, s3://bucket/key or s3a://bucket/key");
    }

    @Test
    void anS3ObjectIsReadWithTheOverridesOnTop() {
        Map<String, String> values = ConfigSource.parse("s3://deploy-bucket/config/telemetry.properties", this::client)
                .read(Map.of("job.parallelism", "8"));
        assertThat(values).containsEntry("pipeline.name", "fleet")
                .containsEntry("catalog.warehouse", "s3://lake/warehouse")
                .containsEntry("job.parallelism", "8");
        assertThat(requests).singleElement().satisfies(request -> assertThat(request)
                .startsWith("GET /deploy-bucket/config/telemetry.properties AWS4-HMAC-SHA256 Credential=AKIDCONFIGTEST/")
                .contains("/eu-west-1/s3/aws4_request"));
    }

    @Test
    void aMissingOrForbiddenObjectIsAConfigurationErrorNamingTheLocation() {
        assertThatThrownBy(() -> ConfigSource.parse("s3://deploy-bucket/config/lake-mirror.properties", this::client).read(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'s3://deploy-bucket/config/lake-mirror.properties'")
                .hasMessageContaining("no object with key 'config/lake-mirror.properties' in bucket 'deploy-bucket'");
        assertThatThrownBy(() -> ConfigSource.parse("s3a://locked-bucket/telemetry.properties", this::client).read(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'s3a://locked-bucket/telemetry.properties'")
                .hasMessageContaining("HTTP 403, AccessDenied");
    }

    @Test
    void aLocalFileIsReadAndAMissingOneIsNamed(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("pipeline.properties"), PROPERTIES);
        assertThat(ConfigSource.parse(file.toString()).read(Map.of())).containsEntry("job.parallelism", "2");
        assertThatThrownBy(() -> ConfigSource.parse(directory.resolve("absent.properties").toString()).read(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no readable file there");
    }

    @Test
    void theLauncherRefusesAnS3LocationWithoutKeyBeforeReadingAnything() {
        assertThatThrownBy(() -> JobLauncher.main(new String[] {"telemetry", "--config", "s3://deploy-bucket"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'s3://deploy-bucket'");
        assertThat(requests).isEmpty();
    }

    private S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .forcePathStyle(true)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCONFIGTEST", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>r-1</RequestId></Error>";
    }
}
