package dev.tributary.cli;

import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.CaptureService;
import dev.tributary.capture.CaptureSetupException;
import dev.tributary.capture.CaptureStatus;
import dev.tributary.config.ConfigException;
import dev.tributary.config.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Captures row changes from PostgreSQL, MySQL or MariaDB with Debezium's embedded engine into Kafka",
                "topics <prefix>.cdc.<database>.<table>, and shows what it is doing: phase, changes, rate, lag, heartbeats.",
                "Runs until interrupted (Ctrl-C), or for --duration. Configuration keys: README.md, \"Capture\"."})
final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "The capture configuration (a properties file).")
    Path config;

    @Option(names = "--set", description = "A configuration key=value on top of the file (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--status-every", defaultValue = "1s", description = "How often to print the status line (default: ${DEFAULT-VALUE}).")
    String statusEvery;

    @Option(names = "--duration", description = "Stop after this long (default: run until interrupted).")
    String duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isReadable(config)) {
            throw new ConfigException("--config", config.toString(), "no readable file there");
        }
        CaptureConfig captureConfig = CaptureConfig.fromFile(config, settings, System.getenv());
        Duration interval = Durations.parse("--status-every", statusEvery);
        Duration limit = duration == null ? null : Durations.parse("--duration", duration);
        out.println("Starting " + captureConfig.describe());
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "tributary-capture-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.nanoTime();
        try (CaptureService capture = new CaptureService(captureConfig, Clock.systemUTC())) {
            try {
                capture.start();
            } catch (CaptureSetupException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
            long lastChanges = 0;
            long lastNanos = started;
            while (limit == null || System.nanoTime() - started < limit.toNanos()) {
                if (stop.await(interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    break;
                }
                CaptureStatus status = capture.status();
                long now = System.nanoTime();
                double rate = (status.changesWritten() - lastChanges) / Math.max(1e-9, (now - lastNanos) / 1e9);
                lastChanges = status.changesWritten();
                lastNanos = now;
                out.printf("[%6.1fs] %s | %,d changes (%,.0f/s) | lag %s | heartbeats %,d | %s%n", (now - started) / 1e9,
                        status.phase().name().toLowerCase(java.util.Locale.ROOT), status.changesWritten(), rate,
                        status.lagMillis() < 0 ? "-" : status.lagMillis() + " ms", status.heartbeats(), status.changesPerTable());
                out.flush();
                if (status.phase() == CaptureStatus.Phase.FAILED) {
                    spec.commandLine().getErr().println("error: capture failed: " + status.failure());
                    return 1;
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is stopping: the service was closed above
            }
        }
        out.println("Capture stopped; offsets are kept in " + (captureConfig.offsetStore() == CaptureConfig.OffsetStore.FILE
                ? captureConfig.offsetsFile() : "topic " + captureConfig.offsetsTopic()) + ": the next start resumes there.");
        return 0;
    }
}
