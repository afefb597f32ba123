package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 endpoint on this machine: S3Proxy (its filesystem back-end, one directory per bucket under
 * {@code <directory>/objects}) as a child JVM on a free loopback port, with one bucket and a key
 * pair made up at start, checked with AWS Signature V4. A lake on {@code s3://<bucket>/...} runs
 * on it with Iceberg's S3FileIO as it would on Amazon S3 (path-style addressing).
 *
 * <p>Its class path is {@code cli/s3proxy/target/lib} (the build gathers it there: S3Proxy's Guava,
 * Guice, jclouds and jakarta.* APIs would clash with the CLI's), or {@code TRIBUTARY_S3PROXY_LIB}.
 */
public final class LocalS3 implements AutoCloseable {
    public static final String MAIN_CLASS = "org.gaul.s3proxy.Main";
    /** The region clients sign for; S3Proxy takes any. */
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final String bucket;
    private final Path objects;
    private final String accessKeyId;
    private final String secretAccessKey;

    private LocalS3(Process process, int port, String bucket, Path objects, String accessKeyId, String secretAccessKey) {
        this.process = process;
        this.port = port;
        this.bucket = bucket;
        this.objects = objects;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** Starts S3Proxy over {@code directory} with {@code bucket} and returns once the bucket answers a signed request. */
    public static LocalS3 start(Path directory, String bucket) throws IOException, InterruptedException {
        requireNonNull(directory, "directory is null");
        requireNonNull(bucket, "bucket is null");
        // A port free when picked may be taken before the child binds it: then another one.
        return Ports.startOnFreePort(port -> start(directory, bucket, port));
    }

    private static LocalS3 start(Path directory, String bucket, int port) throws IOException, InterruptedException {
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{2,62}")) {
            throw new IllegalArgumentException("not an S3 bucket name: " + bucket);
        }
        Path home = directory.toAbsolutePath().normalize();
        Path objects = home.resolve("objects");
        // The filesystem back-end's buckets are the directories under its base directory.
        Files.createDirectories(objects.resolve(bucket));
        String accessKeyId = "LOCAL" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase(java.util.Locale.ROOT);
        String secretAccessKey = UUID.randomUUID().toString();
        Properties settings = new Properties();
        settings.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        settings.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        settings.setProperty("s3proxy.identity", accessKeyId);
        settings.setProperty("s3proxy.credential", secretAccessKey);
        settings.setProperty("jclouds.provider", "filesystem-nio2");
        settings.setProperty("jclouds.filesystem.basedir", objects.toString());
        Path settingsFile = home.resolve("s3proxy.properties");
        try (Writer writer = Files.newBufferedWriter(settingsFile)) {
            settings.store(writer, "S3Proxy for LocalS3; a key pair made up for this run");
        }
        Path log = home.resolve("s3proxy.log");
        // S3Proxy sends System.err to its logger: slf4j-simple must write to System.out, or each line loops.
        ProcessBuilder builder = new ProcessBuilder(List.of(ChildProcesses.currentJava().toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.logFile=System.out", "-cp", classPath(), MAIN_CLASS,
                "--properties", settingsFile.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        LocalS3 s3 = new LocalS3(builder.start(), port, bucket, objects, accessKeyId, secretAccessKey);
        try {
            s3.awaitBucket(log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            s3.close();
            throw e;
        }
        return s3;
    }

    private void awaitBucket(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (S3Client client = client()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("S3Proxy exited with " + process.exitValue() + " before it answered on " + endpoint()
                            + "; the end of " + log + ":\n" + ChildProcesses.tail(log, 30));
                }
                try {
                    client.headBucket(request -> request.bucket(bucket));
                    return;
                } catch (SdkClientException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("S3Proxy did not answer on " + endpoint() + " within " + START_TIMEOUT.toSeconds() + " s; the end of "
                            + log + ":\n" + ChildProcesses.tail(log, 30));
                }
                Thread.sleep(250);
            }
        }
    }

    /** S3Proxy's jars: {@code cli/s3proxy/target/lib}, or {@code TRIBUTARY_S3PROXY_LIB}. */
    static String classPath() throws IOException {
        return ChildProcesses.jarClassPath(ChildProcesses.libraryDirectory("TRIBUTARY_S3PROXY_LIB", "../s3proxy/target/lib"),
                "S3Proxy's jars", "build the project (mvn -B package -DskipTests gathers them) or set TRIBUTARY_S3PROXY_LIB to a directory that holds them");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String bucket() {
        return bucket;
    }

    /** Where S3Proxy keeps the bucket's objects on disk (to show that a lake on S3 wrote nothing elsewhere). */
    public Path bucketDirectory() {
        return objects.resolve(bucket);
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** An S3 client for this endpoint: path-style, this run's key pair, the JDK's HTTP client (as the jobs use). */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Every object of the bucket now: its key and size. */
    public Map<String, Long> objects() {
        try (S3Client client = client()) {
            Map<String, Long> objects = new java.util.TreeMap<>();
            client.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()
                    .forEach(object -> objects.put(object.key(), object.size()));
            return objects;
        }
    }

    /**
     * The pipeline configuration keys that put a lake's warehouse in this bucket under {@code prefix}.
     * Credentials are not among them: the jobs take them from the AWS default chain (see
     * {@link #accessKeyId()}).
     */
    public Map<String, String> configuration(String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("catalog.warehouse", "s3://" + bucket + "/" + prefix);
        values.put("lake.s3.endpoint", endpoint().toString());
        values.put("lake.s3.path-style-access", "true");
        values.put("lake.s3.region", REGION);
        return values;
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}
