package dev.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.config.LakeConfig;
import dev.tributary.config.PipelineConfig;
import dev.tributary.local.AwsDefaultChainCredentials;
import dev.tributary.local.LocalS3;
import dev.tributary.telemetry.TelemetryJob;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@code catalog.type=glue} as the telemetry job runs it on AWS: Iceberg's GlueCatalog, S3FileIO on a
 * local S3 endpoint, and in place of AWS Glue an in-test HTTP server that records the Glue API
 * requests the SDK sends (AWS JSON 1.1, {@code X-Amz-Target: AWSGlue.*}) and answers with the least a
 * valid answer holds, remembering the databases and tables it was asked to create.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlueCatalogRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "tributary-glue-lake";
    private static final String CATALOG_ID = "123456789012";
    private static final String REGION = "eu-west-1";
    private static final JsonNode GET_TELEMETRY = json("{\"CatalogId\":\"" + CATALOG_ID + "\",\"DatabaseName\":\"fleet\",\"Name\":\"telemetry\"}");

    /** One Glue request: its operation and JSON body, and the signature's scope. */
    record GlueRequest(String operation, JsonNode body, String authorization) {}

    @TempDir
    static Path s3Directory;

    private final List<GlueRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> databases = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> tables = new ConcurrentHashMap<>();
    private LocalS3 s3;
    private AwsDefaultChainCredentials credentials;
    private HttpServer glue;
    private PipelineConfig config;

    @BeforeAll
    void start() throws Exception {
        s3 = LocalS3.start(s3Directory, BUCKET);
        credentials = new AwsDefaultChainCredentials(s3.accessKeyId(), s3.secretAccessKey());
        glue = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        glue.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String operation = target == null ? "(none)" : target.substring(target.indexOf('.') + 1);
            requests.add(new GlueRequest(operation, body, exchange.getRequestHeaders().getFirst("Authorization")));
            Answer answer = answer(operation, body);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        glue.start();
        Map<String, String> values = new HashMap<>(s3.configuration("warehouse"));
        values.put("kafka.bootstrap-servers", "127.0.0.1:9");
        values.put("catalog.type", "glue");
        values.put("catalog.glue.id", CATALOG_ID);
        values.put("catalog.glue.endpoint", "http://127.0.0.1:" + glue.getAddress().getPort());
        values.put("lake.s3.region", REGION);
        config = PipelineConfig.from(values);
    }

    @AfterAll
    void stop() throws Exception {
        if (glue != null) {
            glue.stop(0);
        }
        if (credentials != null) {
            credentials.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @BeforeEach
    void forgetRequests() {
        requests.clear();
    }

    record Answer(int status, String body) {}

    private Answer answer(String operation, JsonNode body) throws IOException {
        String database = body.path("DatabaseName").asText(body.path("Name").asText());
        switch (operation) {
            case "GetDatabase":
                return databases.containsKey(database)
                        ? new Answer(200, JSON.writeValueAsString(Map.of("Database", databases.get(database))))
                        : notFound("Database " + database + " not found.");
            case "CreateDatabase":
                databases.put(body.at("/DatabaseInput/Name").asText(), body.get("DatabaseInput"));
                return new Answer(200, "{}");
            case "GetTable": {
                JsonNode table = tables.get(database + "." + body.path("Name").asText());
                return table == null ? notFound("Table " + body.path("Name").asText() + " not found.")
                        : new Answer(200, JSON.writeValueAsString(Map.of("Table", table)));
            }
            case "CreateTable": {
                ObjectNode table = ((ObjectNode) body.get("TableInput").deepCopy());
                table.put("DatabaseName", database);
                table.put("VersionId", "1");
                tables.put(database + "." + table.path("Name").asText(), table);
                return new Answer(200, "{}");
            }
            default:
                return new Answer(400, "{\"__type\":\"InvalidInputException\",\"Message\":\"not served by this test: " + operation + "\"}");
        }
    }

    private List<JsonNode> bodies(String operation) {
        return requests.stream().filter(request -> request.operation().equals(operation)).map(GlueRequest::body).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Answer notFound(String message) {
        return new Answer(400, "{\"__type\":\"EntityNotFoundException\",\"Message\":\"" + message + "\"}");
    }

    @Test
    @Order(1)
    void theJobCreatesTheDatabaseAndAnIcebergTableWhoseMetadataIsOnS3() throws Exception {
        new TelemetryJob(config).ensureLakeTable();

        // Iceberg 1.10.1's GlueCatalog: the namespace (LakeTables.ensureNamespace), tableExists, then
        // createTable's own checks of the database and the table, the table with its metadata file, and
        // the table read back after the commit; then the table read once more, fresh, before its
        // columns are checked against the registered ones (MetadataCommits plans on fresh metadata).
        assertThat(requests).extracting(GlueRequest::operation)
                .containsExactly("GetDatabase", "CreateDatabase", "GetTable", "GetTable", "GetDatabase", "GetTable", "CreateTable", "GetTable", "GetTable");
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.body().path("CatalogId").asText()).isEqualTo(CATALOG_ID);
            assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=" + s3.accessKeyId() + "/")
                    .contains("/" + REGION + "/glue/aws4_request");
        });
        assertThat(bodies("GetDatabase")).containsOnly(json("{\"CatalogId\":\"" + CATALOG_ID + "\",\"Name\":\"fleet\"}"));
        assertThat(bodies("CreateDatabase")).containsExactly(
                json("{\"CatalogId\":\"" + CATALOG_ID + "\",\"DatabaseInput\":{\"Name\":\"fleet\",\"Parameters\":{}}}"));
        assertThat(bodies("GetTable")).containsOnly(GET_TELEMETRY);

        JsonNode create = requests.stream().filter(request -> request.operation().equals("CreateTable")).findFirst().orElseThrow().body();
        assertThat(create.path("DatabaseName").asText()).isEqualTo("fleet");
        JsonNode input = create.get("TableInput");
        assertThat(input.path("Name").asText()).isEqualTo("telemetry");
        assertThat(input.path("TableType").asText()).isEqualTo("EXTERNAL_TABLE");
        assertThat(input.at("/Parameters/table_type").asText()).isEqualTo("ICEBERG");
        String metadataLocation = input.at("/Parameters/metadata_location").asText();
        String tableLocation = "s3://" + BUCKET + "/warehouse/fleet.db/telemetry";
        assertThat(metadataLocation).startsWith(tableLocation + "/metadata/00000-").endsWith(".metadata.json");
        assertThat(input.at("/StorageDescriptor/Location").asText()).isEqualTo(tableLocation);
        // Glue's own columns, for Athena's and Trino's table listings, mirror the Iceberg schema.
        assertThat(input.at("/StorageDescriptor/Columns").findValuesAsText("Name")).contains("event_id", "event_time", "device_id");

        // The metadata file Glue points at is an object in the bucket: Iceberg's table metadata, format v2, ORC.
        JsonNode metadata;
        try (S3Client client = s3.client()) {
            ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(request -> request.bucket(BUCKET)
                    .key(metadataLocation.substring(("s3://" + BUCKET + "/").length())));
            metadata = JSON.readTree(object.asByteArray());
        }
        assertThat(metadata.path("format-version").asInt()).isEqualTo(2);
        assertThat(metadata.path("location").asText()).isEqualTo(tableLocation);
        assertThat(metadata.at("/properties/write.format.default").asText()).isEqualTo("orc");
    }

    @Test
    @Order(2)
    void theJobFindsTheTableItCreatedAndReadsItsMetadataFromS3() throws Exception {
        new TelemetryJob(config).ensureLakeTable();

        assertThat(requests).extracting(GlueRequest::operation).containsExactly("GetDatabase", "GetTable", "GetTable", "GetTable");
        assertThat(bodies("GetTable")).containsOnly(GET_TELEMETRY);

        LakeConfig lake = config.lake();
        Catalog catalog = Catalogs.open(lake);
        try {
            Table table = catalog.loadTable(TelemetryTable.identifier(lake));
            assertThat(table.io().getClass().getName()).isEqualTo("org.apache.iceberg.aws.s3.S3FileIO");
            assertThat(table.location()).isEqualTo("s3://" + BUCKET + "/warehouse/fleet.db/telemetry");
            assertThat(table.schema().findField("event_id")).isNotNull();
            assertThat(table.spec().fields()).extracting(field -> field.transform().toString()).containsExactly("day");
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }
}
