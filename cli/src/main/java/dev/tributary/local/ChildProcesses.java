package dev.tributary.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the local services that run as processes of their own (the REST catalog, Trino, the
 * background broker) share: waiting for an HTTP answer, stopping a process by its id, and the
 * last lines of a log for an error message.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** The body of a GET on {@code uri}, or empty when nothing answers (yet) with 200. */
    public static Optional<String> get(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                if (connection.getResponseCode() != 200) {
                    return Optional.empty();
                }
                return Optional.of(new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Polls {@code uri} until its body satisfies {@code ready}; fails when the process exits first
     * or the timeout passes, with the end of {@code log}.
     */
    public static void awaitHttp(Process process, URI uri, Predicate<String> ready, Duration timeout, String what, Path log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(what + " exited with " + process.exitValue() + " before it answered on " + uri + "; the end of " + log + ":\n" + tail(log, 30));
            }
            Optional<String> body = get(uri);
            if (body.isPresent() && ready.test(body.get())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException(what + " did not answer on " + uri + " within " + timeout.toSeconds() + " s; the end of " + log + ":\n" + tail(log, 30));
    }

    /** Whether {@code pid} is alive and runs a command line that contains {@code marker} (so a reused id is not ours). */
    public static boolean isRunning(long pid, String marker) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(handle -> handle.info().commandLine().map(line -> line.contains(marker)).orElse(true))
                .orElse(false);
    }

    /** Stops {@code pid} (SIGTERM, then SIGKILL after the grace period) when it is alive and ours. */
    public static void stop(long pid, String marker, Duration grace) throws InterruptedException {
        if (!isRunning(pid, marker)) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ignored) {
                // reported by the caller's status check
            }
        }
    }

    public static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Resident memory of a process in MB, from /proc (0 where there is none). */
    public static long residentMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The jars of {@code directory}, sorted, as a class path; fails naming {@code what} is missing and
     * {@code remedy} (how to get it) when there is no such directory or no jar in it.
     */
    static String jarClassPath(Path directory, String what, String remedy) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(what + " are not in " + directory + ": " + remedy);
        }
        try (java.util.stream.Stream<Path> jars = Files.list(directory)) {
            String classPath = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().map(Path::toString)
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
            if (classPath.isEmpty()) {
                throw new IOException("No jars in " + directory + ": " + remedy);
            }
            return classPath;
        }
    }

    /**
     * The directory named by the environment variable {@code variable}, or else {@code relative} to the
     * CLI's {@code target/} (where both target/classes, for ./tributary and the tests, and the CLI's jar sit).
     */
    static Path libraryDirectory(String variable, String relative) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Path code = Path.of(ChildProcesses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve(relative).normalize();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the CLI's classes are", e);
        }
    }

    /** The java launcher of the JVM running this code. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
