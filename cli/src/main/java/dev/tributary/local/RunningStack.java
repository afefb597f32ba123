package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The long-running local stack of {@code ./tributary local up}: the Iceberg REST catalog, Trino
 * and a background JVM with the Kafka broker, each its own process, with their ids and ports kept
 * in {@code <lake>/local/stack.properties} so that {@code local down}, {@code local status} and
 * {@code query} find them.
 */
public record RunningStack(Path lakeDirectory, long catalogPid, int catalogPort, long trinoPid, int trinoPort,
                           long kafkaPid, String kafkaBootstrapServers) {
    /** First on the broker JVM's command line: the JDK may cut a long command line short (the class path comes before the class). */
    private static final String DAEMON_CLASS = "-Dtributary.local=kafka-broker";

    public RunningStack {
        requireNonNull(lakeDirectory, "lakeDirectory is null");
        requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers is null");
        lakeDirectory = lakeDirectory.toAbsolutePath().normalize();
    }

    public static Path directory(Path lakeDirectory) {
        return lakeDirectory.toAbsolutePath().normalize().resolve("local");
    }

    public static Path stateFile(Path lakeDirectory) {
        return directory(lakeDirectory).resolve("stack.properties");
    }

    /** Starts the three processes, stopping what it started when one fails; prints progress. */
    public static RunningStack up(Path lakeDirectory, int catalogPort, int trinoPort, int kafkaPort, PrintWriter progress) throws Exception {
        Optional<RunningStack> existing = read(lakeDirectory);
        if (existing.isPresent() && existing.get().anyAlive()) {
            throw new IllegalStateException("The local stack of " + lakeDirectory + " is already up (" + stateFile(lakeDirectory)
                    + "); stop it with ./tributary local down --lake-dir " + lakeDirectory);
        }
        // Every port is checked before anything starts, so a taken one is named at once.
        Ports.requireFree(catalogPort, "Iceberg REST catalog", "--catalog-port");
        Ports.requireFree(trinoPort, "Trino", "--trino-port");
        Ports.requireFree(kafkaPort, "Kafka broker", "--kafka-port");
        // A missing Java 24+ fails here, before the catalog starts or anything is downloaded.
        TrinoInstallation.findJava();
        Path directory = directory(lakeDirectory);
        Files.createDirectories(directory);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            long begin = System.nanoTime();
            progress.printf("Starting the Iceberg REST catalog (%s) ...%n", LocalRestCatalog.database(lakeDirectory));
            LocalRestCatalog catalog = LocalRestCatalog.start(lakeDirectory, catalogPort, directory.resolve("rest-catalog.log"));
            started.add(catalog);
            progress.printf("  REST catalog ready on %s in %.1f s (pid %d).%n", catalog.uri(), seconds(begin), catalog.pid());

            TrinoInstallation installation = TrinoInstallation.prepare(progress);
            begin = System.nanoTime();
            LocalTrino trino = LocalTrino.start(installation, lakeDirectory, trinoPort, catalog.uri(), progress);
            started.add(trino);
            progress.printf("  Trino ready on http://127.0.0.1:%d in %.1f s (pid %d).%n", trino.port(), seconds(begin), trino.pid());

            begin = System.nanoTime();
            progress.println("Starting the Kafka broker ...");
            Process kafka = startKafka(directory, kafkaPort);
            started.add(() -> ChildProcesses.stop(kafka, Duration.ofSeconds(20)));
            String bootstrap = awaitBootstrap(kafka, directory);
            progress.printf("  Kafka ready on %s in %.1f s (pid %d).%n", bootstrap, seconds(begin), kafka.pid());

            RunningStack stack = new RunningStack(lakeDirectory, catalog.pid(), catalog.port(), trino.pid(), trino.port(), kafka.pid(), bootstrap);
            stack.write();
            return stack;
        } catch (Exception e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }

    private static Process startKafka(Path directory, int port) throws IOException {
        Files.deleteIfExists(directory.resolve("kafka.ready"));
        return new ProcessBuilder(List.of(ChildProcesses.currentJava().toString(), DAEMON_CLASS, "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), LocalStackDaemon.class.getName(), Integer.toString(port), directory.resolve("kafka.ready").toString()))
                .redirectErrorStream(true).redirectOutput(directory.resolve("kafka.log").toFile()).start();
    }

    private static String awaitBootstrap(Process kafka, Path directory) throws IOException, InterruptedException {
        Path ready = directory.resolve("kafka.ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(ready)) {
                return Files.readString(ready, StandardCharsets.UTF_8).trim();
            }
            if (!kafka.isAlive()) {
                throw new IOException("The Kafka broker exited with " + kafka.exitValue() + "; the end of its log:\n" + ChildProcesses.tail(directory.resolve("kafka.log"), 30));
            }
            Thread.sleep(200);
        }
        throw new IOException("The Kafka broker was not ready within 90 s; see " + directory.resolve("kafka.log"));
    }

    /** Stops every process of the stack that still runs and removes the state file; returns whether there was a stack. */
    public static boolean down(Path lakeDirectory, PrintWriter progress) throws Exception {
        Optional<RunningStack> found = read(lakeDirectory);
        if (found.isEmpty()) {
            return false;
        }
        RunningStack stack = found.get();
        progress.printf("Stopping Trino (pid %d) ...%n", stack.trinoPid());
        ChildProcesses.stop(stack.trinoPid(), LocalTrino.MAIN_CLASS, Duration.ofSeconds(30));
        progress.printf("Stopping the Kafka broker (pid %d) ...%n", stack.kafkaPid());
        ChildProcesses.stop(stack.kafkaPid(), DAEMON_CLASS, Duration.ofSeconds(30));
        progress.printf("Stopping the Iceberg REST catalog (pid %d) ...%n", stack.catalogPid());
        ChildProcesses.stop(stack.catalogPid(), LocalRestCatalog.MAIN_CLASS, Duration.ofSeconds(20));
        Files.deleteIfExists(stateFile(lakeDirectory));
        return true;
    }

    /** The stack recorded for this lake, whether or not its processes still run. */
    public static Optional<RunningStack> read(Path lakeDirectory) throws IOException {
        Path file = stateFile(lakeDirectory);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        try {
            return Optional.of(new RunningStack(lakeDirectory,
                    Long.parseLong(properties.getProperty("rest-catalog.pid")), Integer.parseInt(properties.getProperty("rest-catalog.port")),
                    Long.parseLong(properties.getProperty("trino.pid")), Integer.parseInt(properties.getProperty("trino.port")),
                    Long.parseLong(properties.getProperty("kafka.pid")), properties.getProperty("kafka.bootstrap-servers")));
        } catch (RuntimeException e) {
            throw new IOException("Unreadable " + file + " (" + e.getMessage() + "); stop what runs and delete it", e);
        }
    }

    /** The stack of this lake when its Trino is up and answers, for {@code ./tributary query}. */
    public static Optional<RunningStack> withTrino(Path lakeDirectory) throws IOException {
        return read(lakeDirectory).filter(RunningStack::trinoUp);
    }

    private void write() throws IOException {
        Properties properties = new Properties();
        properties.setProperty("rest-catalog.pid", Long.toString(catalogPid));
        properties.setProperty("rest-catalog.port", Integer.toString(catalogPort));
        properties.setProperty("trino.pid", Long.toString(trinoPid));
        properties.setProperty("trino.port", Integer.toString(trinoPort));
        properties.setProperty("kafka.pid", Long.toString(kafkaPid));
        properties.setProperty("kafka.bootstrap-servers", kafkaBootstrapServers);
        Path file = stateFile(lakeDirectory);
        Path written = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
            properties.store(writer, "./tributary local up: the processes of the local stack (./tributary local down stops them)");
        }
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public boolean catalogUp() {
        return ChildProcesses.isRunning(catalogPid, LocalRestCatalog.MAIN_CLASS) && LocalRestCatalog.answers(catalogPort);
    }

    public boolean trinoUp() {
        return ChildProcesses.isRunning(trinoPid, LocalTrino.MAIN_CLASS) && LocalTrino.answers(trinoPort);
    }

    public boolean kafkaUp() {
        return ChildProcesses.isRunning(kafkaPid, DAEMON_CLASS);
    }

    private boolean anyAlive() {
        return ChildProcesses.isRunning(catalogPid, LocalRestCatalog.MAIN_CLASS) || ChildProcesses.isRunning(trinoPid, LocalTrino.MAIN_CLASS)
                || ChildProcesses.isRunning(kafkaPid, DAEMON_CLASS);
    }

    public String catalogUri() {
        return LocalRestCatalog.uri(catalogPort);
    }

    /** The {@code catalog.*} settings that make the jobs write through this stack's REST catalog. */
    public Map<String, String> catalogConfiguration() {
        return LocalRestCatalog.configuration(catalogPort, LocalRestCatalog.warehouse(lakeDirectory));
    }

    public String trinoJdbcUrl(String namespace) {
        return LocalTrino.jdbcUrl(trinoPort, namespace);
    }

    /** The pipeline configuration keys that point a job at this stack: its broker and its REST catalog. */
    public Map<String, String> pipelineConfiguration() {
        Map<String, String> values = new java.util.LinkedHashMap<>(catalogConfiguration());
        values.put("kafka.bootstrap-servers", kafkaBootstrapServers);
        return values;
    }
}
