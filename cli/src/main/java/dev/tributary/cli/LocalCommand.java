package dev.tributary.cli;

import dev.tributary.local.ChildProcesses;
import dev.tributary.local.LocalRestCatalog;
import dev.tributary.local.RunningStack;
import dev.tributary.local.TrinoInstallation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "local", mixinStandardHelpOptions = true,
        description = "The long-running local stack: Kafka broker, Iceberg REST catalog and Trino, each its own process.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class})
final class LocalCommand {
    /** What down and status are told: which lake's stack, and where to print. */
    static final class StackLocation {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--lake-dir", defaultValue = "tributary-lake", description = "The lake directory (default: ${DEFAULT-VALUE}).")
        Path lakeDirectory;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts the Iceberg REST catalog (SQLite in <lake-dir>/rest-catalog.db), Trino " + TrinoInstallation.VERSION
                    + " (downloaded once from Maven Central, on Java 24+: TRINO_JAVA_HOME) and a Kafka broker, in the background,",
                    "and returns once all three answer. Jobs with catalog.type=rest and catalog.uri=<the catalog> write where Trino reads;",
                    "./tributary query uses Trino while they run. ./tributary local down stops them."})
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--lake-dir", defaultValue = "tributary-lake", description = "Where the catalog, warehouse and the stack's state and logs are kept (default: ${DEFAULT-VALUE}).")
        Path lakeDirectory;

        @Option(names = "--trino-port", defaultValue = "8080", description = "Trino's HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int trinoPort;

        @Option(names = "--catalog-port", defaultValue = "8181", description = "The REST catalog's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int catalogPort;

        @Option(names = "--kafka-port", defaultValue = "9092", description = "The Kafka broker's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int kafkaPort;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            long started = System.nanoTime();
            RunningStack stack;
            try {
                stack = RunningStack.up(lakeDirectory, catalogPort, trinoPort, kafkaPort, out);
            } catch (IllegalStateException e) {
                // A port in use, no Java 24+ for Trino, a stack already up: nothing was left running.
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            } catch (java.io.IOException e) {
                // A service that did not start (the message holds the end of its log): what had started is stopped.
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            }
            out.printf("Local stack up in %.1f s.%n", (System.nanoTime() - started) / 1e9);
            printStatus(stack, out);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stops the processes ./tributary local up started for this lake.")
    static final class Down implements Callable<Integer> {
        @Mixin
        StackLocation location;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = location.spec.commandLine().getOut();
            if (!RunningStack.down(location.lakeDirectory, out)) {
                out.println("No local stack is recorded for " + location.lakeDirectory.toAbsolutePath().normalize() + " (nothing to stop).");
                return 0;
            }
            out.println("Local stack down.");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows whether each process of the local stack runs and answers; exit code 0 when all do, 1 otherwise.")
    static final class Status implements Callable<Integer> {
        @Mixin
        StackLocation location;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = location.spec.commandLine().getOut();
            Optional<RunningStack> stack = RunningStack.read(location.lakeDirectory);
            if (stack.isEmpty()) {
                out.println("The local stack of " + location.lakeDirectory.toAbsolutePath().normalize() + " is not up (./tributary local up starts it).");
                return 1;
            }
            return printStatus(stack.get(), out) ? 0 : 1;
        }
    }

    /** Prints one line per process; returns whether all are up. */
    static boolean printStatus(RunningStack stack, PrintWriter out) {
        boolean catalog = stack.catalogUp();
        boolean trino = stack.trinoUp();
        boolean kafka = stack.kafkaUp();
        out.printf("  %-13s %-5s %-34s pid %-8d %5d MB%n", "REST catalog", catalog ? "up" : "DOWN", stack.catalogUri(), stack.catalogPid(), ChildProcesses.residentMegabytes(stack.catalogPid()));
        out.printf("  %-13s %-5s %-34s pid %-8d %5d MB%n", "Trino", trino ? "up" : "DOWN", "http://127.0.0.1:" + stack.trinoPort(), stack.trinoPid(), ChildProcesses.residentMegabytes(stack.trinoPid()));
        out.printf("  %-13s %-5s %-34s pid %-8d %5d MB%n", "Kafka", kafka ? "up" : "DOWN", stack.kafkaBootstrapServers(), stack.kafkaPid(), ChildProcesses.residentMegabytes(stack.kafkaPid()));
        out.println("  Trino JDBC:   " + stack.trinoJdbcUrl("fleet"));
        out.println("  ./tributary demo --lake-dir " + stack.lakeDirectory() + " writes through this catalog by itself; other jobs with: --set catalog.type=rest --set catalog.uri="
                + stack.catalogUri() + " --set catalog.warehouse=" + LocalRestCatalog.warehouse(stack.lakeDirectory()).toUri());
        out.println("  Jobs of your own reach this broker with: --set kafka.bootstrap-servers=" + stack.kafkaBootstrapServers());
        return catalog && trino && kafka;
    }
}
