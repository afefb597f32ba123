package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iceberg's reference REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}) as a
 * child JVM on this JVM's Java (17 or 21: the Hadoop classes it writes metadata with fail on 25).
 * Its JDBC backend is SQLite in {@code <lake>/rest-catalog.db}, durable across restarts, over the
 * warehouse {@code <lake>/rest-warehouse}. The Flink jobs ({@code catalog.type=rest}) and Trino
 * share it, so Trino reads the files the jobs commit, with no copy.
 *
 * <p>Its class path is {@code cli/rest-catalog/target/lib/} (Maven gathers it there at build time:
 * Jetty 11 and Iceberg core, kept apart from the CLI's own, and our launcher, which binds it to
 * 127.0.0.1), or {@code TRIBUTARY_REST_CATALOG_LIB}.
 */
public final class LocalRestCatalog implements AutoCloseable {
    /** Iceberg's server as Iceberg's {@code RESTCatalogServer} builds it, but on 127.0.0.1 only (cli/rest-catalog). */
    public static final String MAIN_CLASS = "dev.tributary.restcatalog.LoopbackRestCatalogServer";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path warehouse;

    private LocalRestCatalog(Process process, int port, Path warehouse) {
        this.process = process;
        this.port = port;
        this.warehouse = warehouse;
    }

    public static Path database(Path lakeDirectory) {
        return lakeDirectory.toAbsolutePath().normalize().resolve("rest-catalog.db");
    }

    public static Path warehouse(Path lakeDirectory) {
        return lakeDirectory.toAbsolutePath().normalize().resolve("rest-warehouse");
    }

    /**
     * Starts the server on {@code port} (0 for any free port) and returns once it answers
     * {@code GET /v1/config}; its output goes to {@code log}.
     */
    public static LocalRestCatalog start(Path lakeDirectory, int port, Path log) throws IOException, InterruptedException {
        requireNonNull(lakeDirectory, "lakeDirectory is null");
        requireNonNull(log, "log is null");
        Ports.requireFree(port, "Iceberg REST catalog", "--catalog-port");
        if (port == 0) {
            // A port free when picked may be taken before the child binds it: then another one.
            return Ports.startOnFreePort(chosen -> start(lakeDirectory, chosen, log));
        }
        int chosen = port;
        Path warehouse = warehouse(lakeDirectory);
        Files.createDirectories(warehouse);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(List.of(ChildProcesses.currentJava().toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classPath(), MAIN_CLASS))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("CATALOG_"));
        environment.put("CATALOG_URI", "jdbc:sqlite:" + database(lakeDirectory));
        environment.put("CATALOG_WAREHOUSE", warehouse.toUri().toString());
        environment.put("CATALOG_REST_PORT", Integer.toString(chosen));
        environment.put("CATALOG_REST_HOST", LocalFlink.LOOPBACK);
        Process process = builder.start();
        LocalRestCatalog catalog = new LocalRestCatalog(process, chosen, warehouse);
        try {
            ChildProcesses.awaitHttp(process, catalog.configUri(), body -> body.contains("\"defaults\""), START_TIMEOUT, "The Iceberg REST catalog", log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            catalog.close();
            throw e;
        }
        return catalog;
    }

    /** The server's jars: {@code cli/rest-catalog/target/lib}, which the build fills, or {@code TRIBUTARY_REST_CATALOG_LIB}. */
    static String classPath() throws IOException {
        return ChildProcesses.jarClassPath(ChildProcesses.libraryDirectory("TRIBUTARY_REST_CATALOG_LIB", "../rest-catalog/target/lib"),
                "The Iceberg REST catalog server's jars",
                "build the CLI (mvn -B install -DskipTests; ./tributary does) or set TRIBUTARY_REST_CATALOG_LIB to a directory that holds them");
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String uri() {
        return uri(port);
    }

    public static String uri(int port) {
        return "http://localhost:" + port;
    }

    private URI configUri() {
        return URI.create(uri() + "/v1/config");
    }

    /** The pipeline configuration keys that point a job at this catalog. */
    public Map<String, String> configuration() {
        return configuration(port, warehouse);
    }

    public static Map<String, String> configuration(int port, Path warehouse) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("catalog.type", "rest");
        values.put("catalog.uri", uri(port));
        values.put("catalog.warehouse", warehouse.toUri().toString());
        return values;
    }

    /** Whether a catalog answers on {@code port}. */
    public static boolean answers(int port) {
        return ChildProcesses.get(URI.create(uri(port) + "/v1/config")).isPresent();
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}
