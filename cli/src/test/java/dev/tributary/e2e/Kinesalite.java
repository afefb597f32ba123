package dev.tributary.e2e;

import dev.tributary.local.ChildProcesses;
import dev.tributary.local.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A real Kinesis API on this machine: kinesalite (npm, on LevelDB) as a child process, installed
 * by {@code npm ci} from {@code src/test/kinesalite} the first time. The SDK's CBOR wire format
 * is switched off for this JVM (kinesalite speaks JSON), for our clients and the connector's.
 */
final class Kinesalite implements AutoCloseable {
    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "tributary-test";
    static final String SECRET_KEY = "tributary-test-secret";
    private static final Path PACKAGE = Path.of("src", "test", "kinesalite");

    private final Process process;
    private final int port;
    private final KinesisClient client;

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = KinesisClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static Kinesalite start(Path directory) throws IOException, InterruptedException {
        // The connector's sink (AWS SDK v2) and its consumer (a shaded SDK v1) each have their own switch.
        System.setProperty("aws.cborEnabled", "false");
        System.setProperty("org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor", "true");
        install();
        int port = Ports.freePort();
        Files.createDirectories(directory);
        Path log = directory.resolve("kinesalite.log");
        Process process = new ProcessBuilder(List.of("node", PACKAGE.resolve("node_modules/kinesalite/cli.js").toString(),
                "--port", Integer.toString(port), "--path", directory.resolve("data").toString(), "--shardLimit", "100",
                "--createStreamMs", "50", "--deleteStreamMs", "50", "--updateStreamMs", "50"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("Listening at")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("kinesalite did not start; the end of " + log + ":\n" + ChildProcesses.tail(log, 20));
            }
            Thread.sleep(100);
        }
        return new Kinesalite(process, port);
    }

    /** {@code npm ci} from the lock file, once per checkout. */
    private static void install() throws IOException, InterruptedException {
        if (Files.isRegularFile(PACKAGE.resolve("node_modules/kinesalite/cli.js"))) {
            return;
        }
        Path log = Files.createTempFile("kinesalite-npm", ".log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(PACKAGE.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (npm.waitFor() != 0) {
            throw new IOException("npm ci in " + PACKAGE + " failed:\n" + ChildProcesses.tail(log, 30));
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    KinesisClient client() {
        return client;
    }

    /** Creates a stream of {@code shards} shards and returns its ARN once it is active. */
    String createStream(String name, int shards) throws InterruptedException {
        client.createStream(request -> request.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var summary = client.describeStreamSummary(request -> request.streamName(name)).streamDescriptionSummary();
            if (summary.streamStatus() == StreamStatus.ACTIVE) {
                return summary.streamARN();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("stream " + name + " did not become active");
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
