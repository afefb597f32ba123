package dev.tributary.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures and write JSON.",
        subcommands = {BenchTelemetryCommand.class, BenchCdcCommand.class, BenchDetectCommand.class})
final class BenchCommand {}
