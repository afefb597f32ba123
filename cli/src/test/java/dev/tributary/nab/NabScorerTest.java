package dev.tributary.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NabScorerTest {
    static final Path SLICE = Path.of("src/test/resources/nab");
    /** The whole subset shipped beside the repository, when it is there. */
    static final Path SHARED = Path.of("../../shared/nab");

    /** One row of NAB's {@code <detector>_<profile>_scores.csv}. */
    record Published(String file, double threshold, double score, int truePositives, int trueNegatives, int falsePositives, int falseNegatives) {}

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
            "numenta, standard", "numenta, reward_low_FP_rate", "numenta, reward_low_FN_rate",
            "randomCutForest, standard", "randomCutForest, reward_low_FP_rate", "randomCutForest, reward_low_FN_rate"})
    void reproducesPublishedRawScoresAndCounts(String detector, String profileName) throws IOException {
        NabProfile profile = profile(profileName);
        NabCorpus corpus = NabCorpus.open(SLICE.resolve("data"), SLICE.resolve("combined_windows.json"));
        List<Published> published = published(SLICE, detector, profileName);
        assertThat(published).hasSize(corpus.names().size());
        for (Published row : published) {
            NabSeries series = corpus.series(row.file());
            double[] scores = referenceScores(SLICE, detector, row.file());
            assertThat(scores).hasSize(series.size());
            boolean[] detections = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                detections[i] = scores[i] >= row.threshold();
            }
            NabScorer.FileScore score = NabScorer.score(series.timestamps(), detections, corpus.windows(row.file()), profile);
            assertThat(score.score()).as(row.file()).isCloseTo(row.score(), within(1e-6));
            assertThat(score.truePositives()).as(row.file()).isEqualTo(row.truePositives());
            assertThat(score.trueNegatives()).as(row.file()).isEqualTo(row.trueNegatives());
            assertThat(score.falsePositives()).as(row.file()).isEqualTo(row.falsePositives());
            assertThat(score.falseNegatives()).as(row.file()).isEqualTo(row.falseNegatives());
        }
    }

    @ParameterizedTest
    @CsvSource({"standard", "reward_low_FP_rate", "reward_low_FN_rate"})
    void theNullDetectorScoresMinusTheWindowsItMisses(String profileName) throws IOException {
        NabCorpus corpus = NabCorpus.open(SLICE.resolve("data"), SLICE.resolve("combined_windows.json"));
        for (Published row : published(SLICE, "null", profileName)) {
            NabSeries series = corpus.series(row.file());
            NabScorer.FileScore score = NabScorer.score(series.timestamps(), new boolean[series.size()], corpus.windows(row.file()), profile(profileName));
            assertThat(score.score()).as(row.file()).isCloseTo(row.score(), within(1e-9));
            assertThat(score.detectedWindows()).isZero();
        }
    }

    @Test
    void earlyDetectionsEarnNearlyAWholeWindowAndLateFalsePositivesCostTheFullWeight() {
        long[] times = new long[1000];
        for (int i = 0; i < times.length; i++) {
            times[i] = i * 60_000L;
        }
        List<NabWindow> windows = List.of(new NabWindow(times[400], times[499]));
        boolean[] atStart = new boolean[1000];
        atStart[400] = true;
        assertThat(NabScorer.score(times, atStart, windows, NabProfile.STANDARD).score()).isCloseTo(1.0, within(1e-9));
        boolean[] atEnd = new boolean[1000];
        atEnd[499] = true;
        assertThat(NabScorer.score(times, atEnd, windows, NabProfile.STANDARD).score()).isBetween(0.0, 0.03);
        boolean[] farAfter = new boolean[1000];
        farAfter[900] = true;
        NabScorer.FileScore late = NabScorer.score(times, farAfter, windows, NabProfile.STANDARD);
        assertThat(late.score()).isCloseTo(-1.0 - 0.11, within(1e-9));
        assertThat(late.falsePositives()).isEqualTo(1);
        boolean[] inProbation = new boolean[1000];
        inProbation[10] = true;
        assertThat(NabScorer.score(times, inProbation, windows, NabProfile.STANDARD).falsePositives()).isZero();
    }

    @Test
    void normalizesOverTheSharedSubsetAsNabPublishes() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(SHARED.resolve("reference/numenta")), "the NAB subset is not beside the repository");
        NabCorpus corpus = NabCorpus.open(SHARED.resolve("data"), SHARED.resolve("labels/combined_windows.json"));
        Map<String, NabScorer.FileScore> perFile = new LinkedHashMap<>();
        for (Published row : published(SHARED, "numenta", "standard")) {
            NabSeries series = corpus.series(row.file());
            double[] scores = referenceScores(SHARED, "numenta", row.file());
            boolean[] detections = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                detections[i] = scores[i] >= row.threshold();
            }
            perFile.put(row.file(), NabScorer.score(series.timestamps(), detections, corpus.windows(row.file()), NabProfile.STANDARD));
        }
        // The NAB subset's README publishes 72.3 for numenta (HTM) on these 45 files.
        assertThat(NabResult.of(NabProfile.STANDARD, perFile).normalized()).isCloseTo(72.3, within(0.05));
    }

    static NabProfile profile(String name) {
        return NabProfile.ALL.stream().filter(profile -> profile.name().equals(name)).findFirst().orElseThrow();
    }

    static List<Published> published(Path root, String detector, String profile) throws IOException {
        List<Published> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(root.resolve("reference/" + detector + "/" + detector + "_" + profile + "_scores.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            if (fields[2].equals("Totals")) {
                continue;
            }
            rows.add(new Published(fields[2], Double.parseDouble(fields[3]), Double.parseDouble(fields[4]),
                    Integer.parseInt(fields[5]), Integer.parseInt(fields[6]), Integer.parseInt(fields[7]), Integer.parseInt(fields[8])));
        }
        return rows;
    }

    /** The anomaly_score column of a detector's per-row reference file (plain, or gzipped in the slice). */
    static double[] referenceScores(Path root, String detector, String file) throws IOException {
        String category = file.substring(0, file.indexOf('/'));
        String series = file.substring(file.indexOf('/') + 1);
        Path plain = root.resolve("reference/" + detector + "/" + category + "/" + detector + "_" + series);
        Path gzipped = Path.of(plain + ".gz");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = Files.exists(gzipped)
                ? new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzipped)), StandardCharsets.UTF_8))
                : Files.newBufferedReader(plain)) {
            reader.lines().forEach(lines::add);
        }
        double[] scores = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            scores[i - 1] = Double.parseDouble(lines.get(i).split(",")[1]);
        }
        return scores;
    }
}
