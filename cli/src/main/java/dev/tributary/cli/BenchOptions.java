package dev.tributary.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every benchmark takes. */
final class BenchOptions {
    @Option(names = "--summary-json", description = "Also write the figures as JSON to this file.")
    Path summaryJson;

    @Option(names = "--work-dir", defaultValue = "target/bench", description = "Scratch directory (default: ${DEFAULT-VALUE}).")
    Path workDirectory;
}
