package dev.tributary.cli;

import dev.tributary.config.ConfigException;
import dev.tributary.kafka.KafkaAuthenticationException;
import dev.tributary.local.PortInUseException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code ./tributary} command. */
@Command(name = "tributary",
        mixinStandardHelpOptions = true,
        version = "tributary 0.1.0",
        description = "Streaming pipeline: device telemetry and CDC into an Iceberg lake, an enriched topic and alerts.",
        subcommands = {DemoCommand.class, CaptureCommand.class, QueryCommand.class, LocalCommand.class, AlertsCommand.class, DriftCommand.class, EmrCommand.class, BenchCommand.class, NabCommand.class, CommandLine.HelpCommand.class})
public final class Tributary {
    private final Map<String, String> environment;

    Tributary(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment the commands read secrets from ({@code kafka.auth.password-env}): this process's, or a test's. */
    static Map<String, String> environment(CommandSpec spec) {
        return ((Tributary) spec.root().userObject()).environment;
    }

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
        return execute(out, err, System.getenv(), args);
    }

    /** As {@link #execute(java.io.PrintWriter, java.io.PrintWriter, String...)}, with secrets looked up in {@code environment}. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, Map<String, String> environment, String... args) {
        CommandLine commandLine = new CommandLine(new Tributary(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof ConfigException || exception instanceof PortInUseException) {
                command.getErr().println("error: " + exception.getMessage());
                return 2;
            }
            if (exception instanceof KafkaAuthenticationException) {
                command.getErr().println("error: " + exception.getMessage());
                return 1;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }
}
