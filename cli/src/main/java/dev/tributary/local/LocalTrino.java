package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Trino as a single-node coordinator that also runs the work ({@code
 * node-scheduler.include-coordinator=true}), on a Java 24+ runtime, as a child process. It has two
 * catalogs: {@code lake}, Iceberg through the local REST catalog, reading and writing the local
 * warehouse with Trino's native local file system; and {@code tpch}. Sized for a shared laptop:
 * {@code -Xmx1G}, C1 only (start-up about 11-15 s), queries up to 512 MB.
 *
 * <p>Its configuration and output are under {@code <lake>/local/trino/}; the server itself comes
 * from {@link TrinoInstallation}.
 */
public final class LocalTrino implements AutoCloseable {
    public static final String MAIN_CLASS = "io.trino.server.TrinoServer";
    public static final String CATALOG = "lake";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final int port;

    private LocalTrino(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Trino on {@code port} (0 for any free port) against the REST catalog at {@code
     * catalogUri} and returns once {@code /v1/info} says it is no longer starting.
     */
    public static LocalTrino start(TrinoInstallation installation, Path lakeDirectory, int port, String catalogUri, PrintWriter progress)
            throws IOException, InterruptedException {
        requireNonNull(installation, "installation is null");
        requireNonNull(catalogUri, "catalogUri is null");
        Ports.requireFree(port, "Trino", "--trino-port");
        int chosen = port == 0 ? Ports.freePort() : port;
        Path directory = directory(lakeDirectory);
        Path etc = directory.resolve("etc");
        Path catalogs = etc.resolve("catalog");
        Files.createDirectories(catalogs);
        Files.createDirectories(directory.resolve("var"));
        Files.writeString(etc.resolve("config.properties"), String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "http-server.http.port=" + chosen,
                "discovery.uri=http://127.0.0.1:" + chosen,
                "query.max-memory=512MB",
                "query.max-memory-per-node=512MB",
                "node.environment=tributary",
                "node.id=tributary-local",
                // Airlift's HTTP server listens on node.bind-ip (every interface unless set); the node announces the internal address.
                "node.bind-ip=" + LocalFlink.LOOPBACK,
                "node.internal-address=" + LocalFlink.LOOPBACK,
                "plugin.dir=" + installation.home().resolve("plugin"),
                "catalog.config-dir=" + catalogs,
                "") );
        Files.writeString(catalogs.resolve(CATALOG + ".properties"), String.join("\n",
                "connector.name=iceberg",
                "iceberg.catalog.type=rest",
                "iceberg.rest-catalog.uri=" + catalogUri,
                "iceberg.file-format=ORC",
                // Table directories as the jobs name them (no random suffix).
                "iceberg.unique-table-location=false",
                "fs.native-local.enabled=true",
                "local.location=/",
                ""));
        Files.writeString(catalogs.resolve("tpch.properties"), "connector.name=tpch\n");
        Path log = directory.resolve("trino.log");
        List<String> command = List.of(installation.javaExecutable().toString(),
                "-Xmx1G", "-XX:TieredStopAtLevel=1", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+EnableDynamicAgentLoading", "-Djdk.attach.allowAttachSelf=true", "--enable-native-access=ALL-UNNAMED",
                "-Dconfig=" + etc.resolve("config.properties"),
                "-cp", installation.home().resolve("lib") + "/*", MAIN_CLASS);
        progress.printf("Starting Trino %s on port %d (Java at %s) ...%n", TrinoInstallation.VERSION, chosen, installation.javaHome());
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalTrino trino = new LocalTrino(process, chosen);
        try {
            ChildProcesses.awaitHttp(process, URI.create("http://127.0.0.1:" + chosen + "/v1/info"), LocalTrino::started, START_TIMEOUT, "Trino", log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            trino.close();
            throw e;
        }
        return trino;
    }

    static boolean started(String info) {
        return info.replace(" ", "").contains("\"starting\":false");
    }

    /** Whether a Trino that has finished starting answers on {@code port}. */
    public static boolean answers(int port) {
        return ChildProcesses.get(URI.create("http://127.0.0.1:" + port + "/v1/info")).map(LocalTrino::started).orElse(false);
    }

    public static Path directory(Path lakeDirectory) {
        return lakeDirectory.toAbsolutePath().normalize().resolve("local").resolve("trino");
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The JDBC URL of the lake catalog, schema {@code namespace}. */
    public String jdbcUrl(String namespace) {
        return jdbcUrl(port, namespace);
    }

    public static String jdbcUrl(int port, String namespace) {
        return "jdbc:trino://127.0.0.1:" + port + "/" + CATALOG + "/" + namespace;
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
    }
}
