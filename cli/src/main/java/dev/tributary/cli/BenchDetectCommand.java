package dev.tributary.cli;

import dev.tributary.bench.DetectBenchmark;
import dev.tributary.config.ConfigException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Measures anomaly detection: one detector's throughput (with the NAB settings as the baseline),",
                "the state each entity holds at the given numbers of entities, and alert latency inside the whole job."})
final class BenchDetectCommand implements Callable<Integer> {
    @Option(names = "--entities", split = ",", defaultValue = "10000,100000",
            description = "Numbers of entities to measure state at (default: ${DEFAULT-VALUE}).")
    List<Integer> entities;

    @Option(names = "--skip-latency", description = "Skip the alert latency run (the whole job on a local stack, about a minute).")
    boolean skipLatency;

    @Mixin
    BenchOptions options;

    @Override
    public Integer call() throws Exception {
        for (int count : entities) {
            if (count <= 0) {
                throw new ConfigException("--entities", Integer.toString(count), "expected positive numbers");
            }
        }
        return new DetectBenchmark(entities, !skipLatency, options.workDirectory, options.summaryJson, System.out).run();
    }
}
