package dev.tributary.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "telemetry", mixinStandardHelpOptions = true,
        description = {"Measures, in one run on one topic: a plain consumer (the hardware ceiling), a Flink passthrough",
                "(the framework's ceiling), the telemetry pipeline through committed Iceberg and enriched topic, and alert latency."})
final class BenchTelemetryCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", description = "Readings in the topic (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--vehicles", defaultValue = "1000", description = "Vehicles (default: ${DEFAULT-VALUE}).")
    int vehicles;

    @Mixin
    BenchOptions options;

    @Override
    public Integer call() throws Exception {
        return new dev.tributary.bench.TelemetryBenchmark(events, vehicles, options.workDirectory, options.summaryJson, System.out).run();
    }
}
