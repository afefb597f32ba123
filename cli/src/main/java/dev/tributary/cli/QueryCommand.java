package dev.tributary.cli;

import dev.tributary.config.ConfigException;
import dev.tributary.local.LocalLake;
import dev.tributary.query.LakeQuery;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Runs SQL over the lake: on the local Trino when ./tributary local up runs for --lake-dir,",
                "else over the lake a demo left, as a Flink SQL batch query on the Iceberg catalog.",
                "Tables are in the current database (fleet): e.g. SELECT count(*) FROM telemetry"})
final class QueryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SQL", description = "The query.")
    String sql;

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--lake-dir", defaultValue = "tributary-lake", description = "The lake directory (default: ${DEFAULT-VALUE}).")
    Path lakeDirectory;

    @Option(names = "--namespace", defaultValue = "fleet", description = "The database to use (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Override
    public Integer call() throws Exception {
        LakeQuery.Format outputFormat = LakeQuery.Format.parse(format);
        java.util.Optional<dev.tributary.local.RunningStack> running = dev.tributary.local.RunningStack.withTrino(lakeDirectory);
        if (running.isPresent()) {
            // ./tributary local up runs for this lake: ask its Trino (catalog lake, schema the namespace).
            try (dev.tributary.local.TrinoLakeQuery query = new dev.tributary.local.TrinoLakeQuery(running.get().trinoJdbcUrl(namespace))) {
                query.run(sql, outputFormat, System.out);
            } catch (java.sql.SQLException e) {
                System.err.println("error: Trino: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        LocalLake lake = new LocalLake(lakeDirectory);
        if (!lake.exists()) {
            throw new ConfigException("--lake-dir", lakeDirectory.toString(), "no lake there (no catalog.db); run ./tributary demo first");
        }
        try (LakeQuery query = new LakeQuery(lake.lakeConfig(namespace))) {
            query.run(sql, outputFormat, System.out);
        }
        return 0;
    }
}
