package dev.tributary.cli;

import dev.tributary.config.ConfigException;
import dev.tributary.config.PipelineConfig;
import dev.tributary.config.Durations;
import dev.tributary.local.DemoRunner;
import dev.tributary.local.DemoSummary;
import dev.tributary.local.LocalStack;
import dev.tributary.local.RunningStack;
import dev.tributary.local.SummaryJson;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the local stack (Kafka, Flink MiniCluster, Iceberg catalog), runs the fleet simulator and the telemetry job",
                "until every valid event is committed to the lake, then prints a summary. The lake stays in --lake-dir for queries."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--vehicles", defaultValue = "100", description = "Vehicles in the simulated fleet (default: ${DEFAULT-VALUE}).")
    int vehicles;

    @Option(names = "--events", defaultValue = "50000", description = "Valid readings to send and land in the lake (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--rate", defaultValue = "20000", description = "Records sent per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--lake-dir", defaultValue = "tributary-lake", description = "Where the lake (catalog, warehouse, checkpoints) is kept (default: ${DEFAULT-VALUE}).")
    Path lakeDirectory;

    @Option(names = "--web-port", defaultValue = "8081", description = "Port of the Flink web UI; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int webPort;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--headlights-after", defaultValue = "5m", description = "How long headlights may stay on with the engine off and doors closed before an alert (default: ${DEFAULT-VALUE}).")
    String headlightsAfter;

    @Option(names = "--timeout", defaultValue = "30m", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--schema-drift", description = "Devices change shape halfway: a new nested object (engine.turbo) the lake table gains as a column while the job runs, then some readings send a number as text (quarantined).")
    boolean schemaDrift;

    @Option(names = "--summary-json", description = "Also write the summary as JSON to this file.")
    Path summaryJson;

    @Option(names = "--set", description = "A pipeline configuration key=value (repeatable); see README.md.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Checks the --set keys and values before anything starts. */
    private void validateSettings() {
        Map<String, String> values = new LinkedHashMap<>(dev.tributary.local.LocalLake.placeholderConfiguration());
        values.putAll(settings);
        PipelineConfig.from(values);
    }

    /**
     * The settings, with the Iceberg REST catalog of {@code ./tributary local up} when it runs for
     * this lake and no {@code catalog.*} key was given: the jobs then write the tables Trino reads.
     */
    private Map<String, String> withRunningCatalog(Map<String, String> given) throws java.io.IOException {
        if (given.keySet().stream().anyMatch(key -> key.startsWith("catalog."))) {
            return given;
        }
        java.util.Optional<RunningStack> running = RunningStack.read(lakeDirectory).filter(RunningStack::catalogUp);
        if (running.isEmpty()) {
            return given;
        }
        Map<String, String> values = new LinkedHashMap<>(running.get().catalogConfiguration());
        values.putAll(given);
        System.out.printf("The local stack is up: the jobs write through its Iceberg REST catalog (%s), so Trino sees the tables as they commit.%n",
                running.get().catalogUri());
        return values;
    }

    @Override
    public Integer call() throws Exception {
        if (vehicles <= 0) {
            throw new ConfigException("--vehicles", Integer.toString(vehicles), "expected a positive number");
        }
        if (events <= 0) {
            throw new ConfigException("--events", Long.toString(events), "expected a positive number");
        }
        if (rate < 0) {
            throw new ConfigException("--rate", Double.toString(rate), "expected 0 (as fast as possible) or a positive rate");
        }
        if (parallelism <= 0) {
            throw new ConfigException("--parallelism", Integer.toString(parallelism), "expected a positive number");
        }
        Duration ruleDuration = Durations.parse("--headlights-after", headlightsAfter);
        validateSettings();
        Duration limit = Durations.parse("--timeout", timeout);
        SimulatorConfig simulator = SimulatorConfig.defaults(vehicles, events).withRate(rate).withHeadlightsMinDuration(ruleDuration);
        if (schemaDrift) {
            simulator = simulator.withSchemaDrift();
        }
        System.out.printf("Tributary demo: %,d vehicles, %,d events at %s, lake in %s%n", vehicles, events,
                rate == 0 ? "full speed" : String.format("%,.0f ev/s", rate), lakeDirectory.toAbsolutePath());
        Map<String, String> pipelineSettings = withRunningCatalog(settings);
        DemoSummary summary;
        try (LocalStack stack = LocalStack.start(lakeDirectory, webPort, parallelism + 1)) {
            System.out.printf("Kafka (KRaft) at %s; Flink web UI at %s%n", stack.kafka().bootstrapServers(), stack.flink().webUi());
            summary = new DemoRunner(stack, System.out).run(simulator, pipelineSettings, limit);
        }
        System.out.println();
        System.out.println("Summary");
        SummaryJson.printAndWrite(summary, System.out, summaryJson);
        System.out.printf("%nThe lake is in %s. Try:%n  ./tributary query --lake-dir %s \"SELECT enrichment_status, count(*) FROM telemetry GROUP BY enrichment_status\"%n",
                summary.lakeDir(), lakeDirectory);
        return 0;
    }
}
