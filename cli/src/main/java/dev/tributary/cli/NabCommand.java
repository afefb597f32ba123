package dev.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tributary.anomaly.DetectorSettings;
import dev.tributary.nab.NabCorpus;
import dev.tributary.nab.NabEvaluation;
import dev.tributary.nab.NabProfile;
import dev.tributary.nab.NabResult;
import dev.tributary.nab.NabScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "nab", mixinStandardHelpOptions = true,
        description = {"Scores the project's streaming anomaly detector on a Numenta Anomaly Benchmark corpus:",
                "every series under DIR/<category>/<series>.csv, fed row by row in time order to the same detector",
                "code the jobs run, scored as NAB scores (standard, reward_low_FP_rate, reward_low_FN_rate)."})
final class NabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "NAB data directory: <category>/<series>.csv files.")
    Path data;

    @Option(names = "--labels", required = true, description = "NAB labels file (combined_windows.json).")
    Path labels;

    @Option(names = "--summary-json", description = "Also write the scores as JSON to this file.")
    Path summaryJson;

    @Option(names = "--detector", defaultValue = "combined",
            description = "combined (the default: forest and novelty), forest (Random Cut Forest alone) or novelty (alone).")
    String detector;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DetectorSettings.Signals signals = switch (detector) {
            case "combined" -> DetectorSettings.Signals.FOREST_AND_NOVELTY;
            case "forest" -> DetectorSettings.Signals.FOREST;
            case "novelty" -> DetectorSettings.Signals.NOVELTY;
            default -> null;
        };
        if (signals == null) {
            err.println("error: --detector: expected combined, forest or novelty, found '" + detector + "'");
            return 2;
        }
        NabCorpus corpus;
        try {
            corpus = NabCorpus.open(data, labels);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        Map<NabProfile, NabResult> results;
        try {
            results = new NabEvaluation(corpus, DetectorSettings.DEFAULT.withSignals(signals)).run(line -> {
                err.println(line);
                err.flush();
            });
        } catch (java.io.UncheckedIOException e) {
            err.println("error: " + e.getCause().getMessage());
            return 2;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        NabResult standard = results.get(NabProfile.STANDARD);
        out.printf(Locale.ROOT, "NAB, detector %s: %d files, %d windows, %d detected, %d false positives (%.1f s)%n",
                detector, standard.files(), standard.windows(), standard.detectedWindows(), standard.falsePositives(), seconds);
        for (NabResult result : results.values()) {
            out.printf(Locale.ROOT, "  %-20s %6.1f%n", result.profile().name(), result.normalized());
        }
        out.println("standard profile by category:");
        for (String category : NabEvaluation.categories(standard.perFile().keySet().stream().sorted().toList())) {
            Map<String, NabScorer.FileScore> files = new LinkedHashMap<>();
            standard.perFile().forEach((name, score) -> {
                if (name.startsWith(category + "/")) {
                    files.put(name, score);
                }
            });
            NabResult part = NabResult.of(NabProfile.STANDARD, files);
            out.printf(Locale.ROOT, "  %-24s %6.1f  (%d files, %d/%d windows)%n", category,
                    part.windows() == 0 ? Double.NaN : part.normalized(), part.files(), part.detectedWindows(), part.windows());
        }
        if (summaryJson != null) {
            writeSummary(results, detector, seconds);
        }
        return 0;
    }

    private void writeSummary(Map<NabProfile, NabResult> results, String detectorName, double seconds) throws IOException {
        NabResult standard = results.get(NabProfile.STANDARD);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("detector", detectorName);
        summary.put("files", standard.files());
        summary.put("windows", standard.windows());
        summary.put("detected_windows", standard.detectedWindows());
        summary.put("false_positives", standard.falsePositives());
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        for (NabResult result : results.values()) {
            scores.put(result.profile().name(), result.normalized());
            raw.put(result.profile().name(), result.raw());
        }
        summary.put("scores", scores);
        summary.put("raw_scores", raw);
        summary.put("seconds", seconds);
        Path parent = summaryJson.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryJson.toFile(), summary);
    }
}
