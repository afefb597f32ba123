package dev.tributary.cli;

import dev.tributary.bench.CdcBenchmark;
import dev.tributary.capture.DatabaseKind;
import dev.tributary.config.ConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cdc", mixinStandardHelpOptions = true,
        description = {"Measures change data capture in one run against a real database: the Debezium engine alone,",
                "end to end into Iceberg, lag from commit to visible in Iceberg under a steady stream, and a final",
                "row-for-row comparison of source and lake."})
final class BenchCdcCommand implements Callable<Integer> {
    @Option(names = "--db", defaultValue = "postgres", description = "postgres or mariadb (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--changes", defaultValue = "100000", description = "Changes in the backlog (default: ${DEFAULT-VALUE}).")
    long changes;

    @Mixin
    BenchOptions options;

    @Override
    public Integer call() throws Exception {
        DatabaseKind kind = switch (database) {
            case "postgres" -> DatabaseKind.POSTGRES;
            case "mariadb" -> DatabaseKind.MARIADB;
            default -> throw new ConfigException("--db", database, "expected postgres or mariadb");
        };
        if (changes <= 0) {
            throw new ConfigException("--changes", Long.toString(changes), "expected a positive number");
        }
        return new CdcBenchmark(kind, changes, options.workDirectory, options.summaryJson, System.out).run();
    }
}
