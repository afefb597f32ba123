package dev.tributary.cli;

import dev.tributary.config.ConfigException;
import dev.tributary.local.PortInUseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./tributary} command. */
@Command(name = "tributary",
        mixinStandardHelpOptions = true,
        version = "tributary 0.1.0",
        description = "Streaming pipeline: device telemetry and CDC into an Iceberg lake, an enriched topic and alerts.",
        subcommands = {DemoCommand.class, CaptureCommand.class, QueryCommand.class, LocalCommand.class, AlertsCommand.class, DriftCommand.class, EmrCommand.class, BenchCommand.class, NabCommand.class, CommandLine.HelpCommand.class})
public final class Tributary {
    public static void main(String[] args) {
        // Libraries that log through java.util.logging (MySQL/MariaDB's binlog client) go to the same log.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Tributary());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof ConfigException || exception instanceof PortInUseException) {
                command.getErr().println("error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }
}
