package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.anomaly.DetectorSettings;
import dev.tributary.nab.NabCorpus;
import dev.tributary.nab.NabEvaluation;
import dev.tributary.nab.NabProfile;
import dev.tributary.nab.NabResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabCommandTest {
    static final Path SLICE = Path.of("src/test/resources/nab");

    @TempDir
    Path directory;

    @Test
    void scoresEveryProfileAndWritesTheSummary() throws Exception {
        Path summary = directory.resolve("nab.json");
        CommandRunner.Result run = CommandRunner.run("nab", "--data", SLICE.resolve("data").toString(), "--labels", SLICE.resolve("combined_windows.json").toString(),
                "--summary-json", summary.toString());
        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.get("files").asInt()).isEqualTo(5);
        assertThat(json.get("windows").asInt()).isEqualTo(8);
        // The command prints and writes what the evaluation computes, profile by profile.
        Map<NabProfile, NabResult> expected = new NabEvaluation(
                NabCorpus.open(SLICE.resolve("data"), SLICE.resolve("combined_windows.json")), DetectorSettings.DEFAULT).run(line -> {});
        for (NabProfile profile : NabProfile.ALL) {
            double score = json.get("scores").get(profile.name()).asDouble();
            assertThat(score).as(profile.name()).isEqualTo(expected.get(profile).normalized());
            assertThat(run.out()).containsPattern(profile.name() + " +" + String.format(java.util.Locale.ROOT, "%.1f", score).replace(".", "\\."));
        }
        // The detector finds something on these series, and does better than never firing.
        assertThat(json.get("detected_windows").asInt()).isPositive();
        assertThat(json.get("scores").get("standard").asDouble()).isGreaterThan(0);
        assertThat(run.err()).contains("[5/5]");
    }

    @Test
    void anUnreadableCorpusIsAClearErrorWithExitCodeTwo() throws Exception {
        assertRefused(CommandRunner.run("nab", "--data", directory.resolve("missing").toString(), "--labels", SLICE.resolve("combined_windows.json").toString()),
                "not a directory", "missing");

        Path labels = directory.resolve("labels.json");
        Files.writeString(labels, "{\"realTraffic/speed_7578.csv\": []}");
        assertRefused(CommandRunner.run("nab", "--data", SLICE.resolve("data").toString(), "--labels", labels.toString()), "has no entry for");

        Files.writeString(labels, "not json");
        assertRefused(CommandRunner.run("nab", "--data", SLICE.resolve("data").toString(), "--labels", labels.toString()), "cannot read the labels file");

        Path data = directory.resolve("data/cat");
        Files.createDirectories(data);
        Files.writeString(data.resolve("s.csv"), "timestamp,value\n2015-01-01 00:00:00,1\nyesterday,2\n");
        Files.writeString(labels, "{\"cat/s.csv\": []}");
        assertRefused(CommandRunner.run("nab", "--data", directory.resolve("data").toString(), "--labels", labels.toString()), "s.csv:3");
        assertRefused(CommandRunner.run("nab", "--data", SLICE.resolve("data").toString(), "--labels", SLICE.resolve("combined_windows.json").toString(),
                "--detector", "psychic"), "--detector", "psychic");
    }

    private static void assertRefused(CommandRunner.Result run, String... phrases) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(phrases);
    }
}
