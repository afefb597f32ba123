package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Druid 33 for the tests, as {@code deploy/druid/local/run.sh} runs it: ZooKeeper, a
 * coordinator-overlord (Derby metadata), an indexer (runs the Kafka tasks in its own JVM) and a
 * broker, each a child JVM on this JVM's Java, from the jars run.sh copies from Maven Central
 * ({@link #jars}), with run.sh's configuration ({@code conf/}). On top of it, as system properties
 * (which Druid puts above its runtime.properties): free ports, and small heaps and buffers. All of
 * them work in {@code directory} (run.sh's relative {@code var/} paths land there, shared as run.sh
 * shares them) and log to {@code <directory>/<service>.log}.
 */
public final class LocalDruid implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path directory;
    /** ZooKeeper first, then the Druid services in start order; stopped in the reverse order. */
    private final List<Child> children = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::destroyAll, "druid-children-shutdown");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A process started, its HTTP port (ZooKeeper's client port for ZooKeeper), its log and the path that answers 200 once it is ready. */
    private record Child(String name, Process process, int port, Path log, String readyPath) {
        String uri(String path) {
            return "http://localhost:" + port + path;
        }
    }

    /** A Druid service: its name for {@code server <name>}, heap, direct memory, the path that says it is ready and its own properties. */
    private record Service(String name, String heap, String directMemory, String readyPath, Map<String, String> properties) {}

    private LocalDruid(Path directory) {
        this.directory = directory;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Druid's jars: {@code deploy/druid/local/target/druid-local/lib}, copied there by {@code run.sh
     * jars} (once: a finished copy is kept and marked {@code .complete}) from the Maven local
     * repository, which Maven fills from Maven Central the first time. {@code maven.repo.local} or
     * {@code TRIBUTARY_MAVEN_REPO}, when set, goes to that mvn through {@code MAVEN_OPTS}.
     */
    public static Path jars(Path deployDirectory, PrintWriter progress) throws IOException, InterruptedException {
        Path local = deployDirectory.toAbsolutePath().normalize().resolve("local");
        Path lib = local.resolve("target/druid-local/lib");
        if (Files.isRegularFile(lib.resolve(".complete"))) {
            progress.printf("Druid's jars: %s (copied before)%n", lib);
            return lib;
        }
        Path log = Files.createTempFile("tributary-druid-jars", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", local.resolve("run.sh").toString(), "jars"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (System.getProperty("maven.repo.local") != null || System.getenv("TRIBUTARY_MAVEN_REPO") != null) {
            String options = builder.environment().getOrDefault("MAVEN_OPTS", "");
            builder.environment().put("MAVEN_OPTS", (options + " -Dmaven.repo.local=" + TrinoInstallation.localRepository()).strip());
        }
        progress.printf("Copying Druid's jars with %s jars (mvn dependency:copy-dependencies; the first time Maven downloads them) ...%n", local.resolve("run.sh"));
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("run.sh jars did not finish within 15 minutes; the end of " + log + ":\n" + ChildProcesses.tail(log, 30));
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(lib.resolve(".complete"))) {
            throw new IOException("run.sh jars failed with exit code " + process.exitValue() + ":\n" + ChildProcesses.tail(log, 30));
        }
        progress.printf("%s (%.0f s)%n", ChildProcesses.tail(log, 2).strip(), (System.nanoTime() - started) / 1e9);
        Files.deleteIfExists(log);
        return lib;
    }

    /**
     * Starts ZooKeeper (and waits for it), then the coordinator-overlord, the indexer and the broker,
     * without waiting for those: {@link #awaitReady} does, so that the caller can work meanwhile.
     * {@code directory} is emptied first: each start is a new Druid cluster.
     */
    public static LocalDruid start(Path deployDirectory, Path lib, Path directory, PrintWriter progress) throws IOException, InterruptedException {
        requireNonNull(lib, "lib is null");
        Path conf = deployDirectory.toAbsolutePath().normalize().resolve("local/conf");
        TrinoInstallation.deleteRecursively(directory);
        LocalDruid druid = new LocalDruid(directory.toAbsolutePath());
        try {
            druid.startAll(conf, lib, progress);
        } catch (IOException | InterruptedException | RuntimeException e) {
            druid.close();
            throw e;
        }
        return druid;
    }

    private void startAll(Path conf, Path lib, PrintWriter progress) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        int zookeeperPort = Ports.freePort();
        int metadataPort = Ports.freePort();
        Properties zookeeper = new Properties();
        try (InputStream in = Files.newInputStream(conf.resolve("zookeeper.cfg"))) {
            zookeeper.load(in);
        }
        zookeeper.setProperty("clientPort", Integer.toString(zookeeperPort));
        zookeeper.setProperty("dataDir", directory.resolve("var/zookeeper").toString());
        Path zookeeperConfig = directory.resolve("zookeeper.cfg");
        try (OutputStream out = Files.newOutputStream(zookeeperConfig)) {
            zookeeper.store(out, "run.sh's zookeeper.cfg with this test's port and data directory");
        }
        String classPath = conf.resolve("_common") + java.io.File.pathSeparator + lib.resolve("*");
        long started = System.nanoTime();
        Child zookeeperChild = launch("zookeeper", zookeeperPort, null, List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, "org.apache.zookeeper.server.quorum.QuorumPeerMain", zookeeperConfig.toString()));
        awaitZookeeper(zookeeperChild, Duration.ofSeconds(60));
        progress.printf("ZooKeeper up on port %d in %.1f s%n", zookeeperPort, (System.nanoTime() - started) / 1e9);

        List<String> jvmOptions = Files.readAllLines(conf.resolve("jvm.options")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        Map<String, String> common = new LinkedHashMap<>();
        common.put("druid.zk.service.host", "localhost:" + zookeeperPort);
        common.put("druid.metadata.storage.connector.port", Integer.toString(metadataPort));
        common.put("druid.metadata.storage.connector.connectURI", "jdbc:derby://localhost:" + metadataPort + "/var/druid/metadata.db;create=true");
        // Small processing buffers below: (threads + merge buffers + 1) of them must fit the direct memory.
        String buffers = "druid.processing.buffer.sizeBytes";
        List<Service> services = List.of(
                new Service("coordinator", "320m", "64m", "/druid/indexer/v1/isLeader", Map.of()),
                new Service("indexer", "448m", "160m", "/status/health", Map.of(buffers, "16MiB")),
                new Service("broker", "320m", "160m", "/druid/broker/v1/readiness", Map.of(buffers, "16MiB")));
        for (Service service : services) {
            int port = Ports.freePort();
            List<String> command = new ArrayList<>(List.of("-Xmx" + service.heap(), "-XX:MaxDirectMemorySize=" + service.directMemory(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"));
            command.addAll(jvmOptions);
            Map<String, String> properties = new LinkedHashMap<>(common);
            properties.putAll(service.properties());
            properties.put("druid.plaintextPort", Integer.toString(port));
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-cp", conf.resolve("_common") + java.io.File.pathSeparator + conf.resolve(service.name())
                    + java.io.File.pathSeparator + lib.resolve("*"), "org.apache.druid.cli.Main", "server", service.name()));
            launch(service.name(), port, service.readyPath(), command);
            progress.printf("Druid %s starting on port %d (heap %s)%n", service.name(), port, service.heap());
        }
    }

    private Child launch(String name, int port, String readyPath, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ChildProcesses.currentJava().toString());
        command.addAll(arguments);
        Path log = directory.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Child child = new Child(name, process, port, log, readyPath);
        children.add(child);
        return child;
    }

    /** ZooKeeper answers {@code ruok} with {@code imok} once it serves. */
    private void awaitZookeeper(Child child, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                throw new IOException("ZooKeeper exited with " + child.process().exitValue() + " before it served on port " + child.port() + "; " + logTails());
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), child.port())) {
                socket.setSoTimeout(2000);
                socket.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                if (new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).equals("imok")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("ZooKeeper did not serve on port " + child.port() + " within " + timeout.toSeconds() + " s; " + logTails());
    }

    /**
     * Waits until the overlord leads, the indexer is healthy and the broker is ready; a service that
     * exits or does not get there within {@code timeout} fails this with the end of every log.
     */
    public void awaitReady(Duration timeout, PrintWriter progress) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Child child : children.subList(1, children.size())) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                ChildProcesses.awaitHttp(child.process(), URI.create(child.uri(child.readyPath())), body -> true, left, "Druid's " + child.name(), child.log());
            } catch (IOException e) {
                throw new IOException(e.getMessage().lines().findFirst().orElse("") + "\n" + logTails(), e);
            }
            progress.printf("Druid %s ready (%s), %d MB resident%n", child.name(), child.readyPath(), ChildProcesses.residentMegabytes(child.process().pid()));
        }
    }

    /** Posts a Kafka supervisor spec to the overlord; returns the supervisor's id. */
    public String submitSupervisor(JsonNode spec) throws IOException, InterruptedException {
        JsonNode answer = post(overlord(), "/druid/indexer/v1/supervisor", spec);
        return answer.path("id").asText();
    }

    /** The overlord's status report of a supervisor ({@code payload.detailedState}, lag, recent errors). */
    public JsonNode supervisorStatus(String id) throws IOException, InterruptedException {
        return get(overlord(), "/druid/indexer/v1/supervisor/" + id + "/status");
    }

    /** Runs Druid SQL on the broker; one JSON object per row. {@code context} may pin {@code sqlCurrentTimestamp}. */
    public List<JsonNode> sql(String query, Map<String, String> context) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("query", query).put("resultFormat", "object");
        ObjectNode contextNode = request.putObject("context");
        context.forEach(contextNode::put);
        List<JsonNode> rows = new ArrayList<>();
        post(child("broker"), "/druid/v2/sql", request).forEach(rows::add);
        return rows;
    }

    private Child overlord() {
        return child("coordinator");
    }

    private Child child(String name) {
        return children.stream().filter(child -> child.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Druid's " + name + " was not started"));
    }

    private JsonNode get(Child child, String path) throws IOException, InterruptedException {
        return send(child, HttpRequest.newBuilder(URI.create(child.uri(path))).GET());
    }

    private JsonNode post(Child child, String path, JsonNode body) throws IOException, InterruptedException {
        return send(child, HttpRequest.newBuilder(URI.create(child.uri(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode send(Child child, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Druid's " + child.name() + " answered " + built.method() + " " + built.uri().getPath() + " with " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** The last lines of every process's log, for a failure message. */
    public String logTails() {
        return children.stream()
                .map(child -> "--- the end of " + child.log() + (child.process().isAlive() ? "" : " (exited with " + child.process().exitValue() + ")") + ":\n"
                        + ChildProcesses.tail(child.log(), 25))
                .collect(Collectors.joining("\n"));
    }

    /** Resident memory of all the processes together, in MB. */
    public long residentMegabytes() {
        return children.stream().mapToLong(child -> ChildProcesses.residentMegabytes(child.process().pid())).sum();
    }

    public Path directory() {
        return directory;
    }

    /** Stops the Druid services (broker, indexer, coordinator), then ZooKeeper: a Druid process that loses ZooKeeper hangs in its shutdown. */
    @Override
    public void close() throws InterruptedException {
        for (int i = children.size() - 1; i >= 0; i--) {
            ChildProcesses.stop(children.get(i).process(), STOP_GRACE);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }

    /** When the test JVM itself is stopped, no child outlives it. */
    private void destroyAll() {
        for (Child child : children) {
            child.process().destroyForcibly();
        }
    }
}
