package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Trino's server, as far as the local stack needs it: {@code io.trino:trino-server:<version>:tar.gz}
 * from Maven Central, cached in the Maven local repository (downloaded with {@code mvn
 * dependency:get} when missing), unpacked once into {@code ~/.cache/tributary/trino-server-<version>}
 * ({@code TRIBUTARY_CACHE_DIR} moves it) with only its {@code lib/} and the iceberg and tpch
 * plugins; and the Java 24+ runtime Trino needs.
 *
 * @param home the unpacked server: {@code lib/} and {@code plugin/}
 * @param javaHome a JDK or JRE of version 24 or later
 */
public record TrinoInstallation(Path home, Path javaHome) {
    public static final String VERSION = "476";
    public static final int MINIMUM_JAVA = 24;
    public static final List<String> PLUGINS = List.of("iceberg", "tpch");
    private static final String ARTIFACT = "io.trino:trino-server:" + VERSION + ":tar.gz";

    public TrinoInstallation {
        requireNonNull(home, "home is null");
        requireNonNull(javaHome, "javaHome is null");
    }

    /** Finds the Java runtime first (a missing one fails fast, before any download), then the server. */
    public static TrinoInstallation prepare(PrintWriter progress) throws IOException, InterruptedException {
        Path java = findJava();
        return new TrinoInstallation(unpacked(progress), java);
    }

    public Path javaExecutable() {
        return javaHome.resolve("bin").resolve("java");
    }

    /**
     * The Java runtime for Trino: {@code TRINO_JAVA_HOME} when set (it must be 24 or later), else
     * the newest 24+ JDK under {@code /usr/lib/jvm}, else {@code JAVA_HOME} if it is 24 or later.
     */
    public static Path findJava() {
        return findJava(System.getenv(), Path.of("/usr/lib/jvm"));
    }

    /** {@link #findJava()} over the given environment and directory of installed runtimes. */
    static Path findJava(java.util.Map<String, String> environment, Path jvms) {
        String configured = environment.get("TRINO_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            int version = javaVersion(home).orElse(0);
            if (version < MINIMUM_JAVA) {
                throw new IllegalStateException("TRINO_JAVA_HOME=" + configured + " is " + (version == 0 ? "not a Java runtime (no bin/java and release file)" : "Java " + version)
                        + ", but Trino " + VERSION + " needs Java " + MINIMUM_JAVA + " or later: point it at a JDK 24+ (e.g. Temurin 25)");
            }
            return home;
        }
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> entries = Files.list(jvms)) {
                entries.forEach(candidates::add);
            } catch (IOException e) {
                // nothing usable there
            }
        }
        String javaHome = environment.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        return candidates.stream()
                .filter(home -> javaVersion(home).orElse(0) >= MINIMUM_JAVA)
                .max(Comparator.comparingInt((Path home) -> javaVersion(home).orElse(0)).thenComparing(Path::toString))
                .orElseThrow(() -> new IllegalStateException("Trino " + VERSION + " needs Java " + MINIMUM_JAVA + " or later, and none was found"
                        + " (TRINO_JAVA_HOME is not set; none in " + jvms + "; JAVA_HOME is " + (javaHome == null ? "not set" : javaHome) + ")."
                        + " Install a JDK 24+ (e.g. Temurin 25 from https://adoptium.net, or apt-get install temurin-25-jdk from Adoptium's repository)"
                        + " and set TRINO_JAVA_HOME to its directory; the rest of Tributary keeps running on Java 17."));
    }

    /** The feature version of the runtime at {@code home} (from its {@code release} file), if it is one. */
    static Optional<Integer> javaVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String value = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String feature = value.startsWith("1.") ? value.substring(2) : value;
                    return Optional.of(Integer.parseInt(feature.split("[.+\\-]")[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a runtime we can read
        }
        return Optional.empty();
    }

    /** The unpacked server, unpacking (and first downloading) it when it is not there yet. */
    static Path unpacked(PrintWriter progress) throws IOException, InterruptedException {
        Path cache = cacheDirectory();
        Path home = cache.resolve("trino-server-" + VERSION);
        if (Files.isRegularFile(home.resolve(".complete"))) {
            return home;
        }
        Path tarball = tarball(progress);
        Files.createDirectories(cache);
        Path scratch = Files.createTempDirectory(cache, "trino-server-" + VERSION + ".unpacking-");
        progress.printf("Unpacking Trino %s (lib/ and the %s plugins) into %s ...%n", VERSION, String.join(", ", PLUGINS), home);
        long started = System.nanoTime();
        // All of it: plugins share jars as hard links to other plugins' files. The rest is deleted below.
        run(List.of("tar", "-xzf", tarball.toString(), "-C", scratch.toString()), scratch.resolve("tar.log"));
        Path unpacked = scratch.resolve("trino-server-" + VERSION);
        Path kept = scratch.resolve("kept");
        Files.createDirectories(kept.resolve("plugin"));
        Files.move(unpacked.resolve("lib"), kept.resolve("lib"));
        for (String plugin : PLUGINS) {
            Files.move(unpacked.resolve("plugin").resolve(plugin), kept.resolve("plugin").resolve(plugin));
        }
        deleteRecursively(home);
        Files.move(kept, home, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(home.resolve(".complete"), "from " + tarball + "\n");
        deleteRecursively(scratch);
        progress.printf("Unpacked Trino in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        return home;
    }

    static Path cacheDirectory() {
        String configured = System.getenv("TRIBUTARY_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tributary");
    }

    /** The tarball in the Maven local repository, downloaded into it (once) when it is missing. */
    static Path tarball(PrintWriter progress) throws IOException, InterruptedException {
        Path repository = localRepository();
        Path directory = repository.resolve("io/trino/trino-server/" + VERSION);
        Path tarball = directory.resolve("trino-server-" + VERSION + ".tar.gz");
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        progress.printf("Downloading %s (about 820 MB, once) into %s with mvn dependency:get ...%n", ARTIFACT, repository);
        Path log = Files.createTempFile("tributary-trino-download", ".log");
        List<String> command = List.of("mvn", "-B", "-Dmaven.repo.local=" + repository, "dependency:get", "-Dartifact=" + ARTIFACT, "-Dtransitive=false");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("Cannot run 'mvn' to download " + ARTIFACT + " (" + e.getMessage() + "): install Maven, or run "
                    + String.join(" ", command) + " elsewhere and copy " + tarball, e);
        }
        long started = System.nanoTime();
        long lastReport = started;
        while (!process.waitFor(1, TimeUnit.SECONDS)) {
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                long megabytes = downloadedBytes(directory) / (1024 * 1024);
                progress.printf(megabytes == 0 ? "  ... resolving (%2$.0f s)%n" : "  ... %d MB so far (%.0f s)%n", megabytes, (lastReport - started) / 1e9);
            }
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(tarball)) {
            throw new IOException("Downloading " + ARTIFACT + " failed (" + String.join(" ", command) + "):\n" + ChildProcesses.tail(log, 20));
        }
        Files.deleteIfExists(log);
        progress.printf("Downloaded Trino %s in %.0f s.%n", VERSION, (System.nanoTime() - started) / 1e9);
        return tarball;
    }

    private static long downloadedBytes(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            // Maven's resolver writes to a temporary file beside the artifact (named after it, with a leading dot).
            return files.filter(file -> file.getFileName().toString().contains("trino-server-" + VERSION + ".tar.gz"))
                    .mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code maven.repo.local} (system property) or {@code TRIBUTARY_MAVEN_REPO}, else {@code ~/.m2/repository}. */
    static Path localRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        String configured = System.getenv("TRIBUTARY_MAVEN_REPO");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + ChildProcesses.tail(log, 20));
        }
    }

    /** Deletes a file or a directory with all it holds; nothing when it does not exist. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
