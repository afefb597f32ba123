package dev.tributary.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingAnomalyDetectorTest {
    /** A daily-looking cycle of 48 values with a little noise. */
    static double[] cycle(int length, long seed) {
        Random random = new Random(seed);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = 50 + 20 * Math.sin(2 * Math.PI * i / 48.0) + random.nextGaussian();
        }
        return values;
    }

    static List<Integer> detections(DetectorSettings settings, double[] values) {
        StreamingAnomalyDetector detector = new StreamingAnomalyDetector(settings);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (detector.update(values[i]).anomalous()) {
                rows.add(i);
            }
        }
        return rows;
    }

    @Test
    void aSpikeInARegularCycleIsReportedOnceAndQuickly() {
        double[] values = cycle(3000, 1);
        values[2000] = 140;
        values[2001] = 135;
        List<Integer> rows = detections(DetectorSettings.DEFAULT, values);
        assertThat(rows).filteredOn(row -> row >= 2000 && row <= 2002).hasSize(1);
        assertThat(rows).filteredOn(row -> row > 2002 && row <= 2000 + DetectorSettings.DEFAULT.restPeriod()).isEmpty();
    }

    @Test
    void eachSignalCatchesTheSpikeOnItsOwn() {
        double[] values = cycle(3000, 2);
        for (int i = 2000; i < 2010; i++) {
            values[i] += 60;
        }
        for (DetectorSettings.Signals signals : DetectorSettings.Signals.values()) {
            List<Integer> rows = detections(DetectorSettings.DEFAULT.withSignals(signals), values);
            assertThat(rows).as(signals.name()).anyMatch(row -> row >= 2000 && row < 2012);
        }
    }

    @Test
    void nothingIsReportedDuringTheWarmUpNorOnAFlatLine() {
        double[] flat = new double[5000];
        java.util.Arrays.fill(flat, 7.5);
        assertThat(detections(DetectorSettings.DEFAULT, flat)).isEmpty();
        double[] values = cycle(1000, 3);
        values[100] = 1000;
        assertThat(detections(DetectorSettings.DEFAULT, values)).allMatch(row -> row >= DetectorSettings.DEFAULT.outputAfter());
    }

    @Test
    void theSameSeriesGivesTheSameDetections() {
        double[] values = cycle(4000, 4);
        values[3000] = -40;
        assertThat(detections(DetectorSettings.DEFAULT, values)).isEqualTo(detections(DetectorSettings.DEFAULT, values)).isNotEmpty();
    }

    @Test
    void aDetectionSaysWhatFiredAndGivesTheSignals() {
        double[] values = cycle(2500, 5);
        values[2200] = 200;
        StreamingAnomalyDetector detector = new StreamingAnomalyDetector(DetectorSettings.DEFAULT);
        Detection spike = null;
        for (int i = 0; i <= 2200; i++) {
            Detection detection = detector.update(values[i]);
            if (i == 2200) {
                spike = detection;
            }
        }
        assertThat(spike.anomalous()).isTrue();
        assertThat(spike.reason()).contains("novelty");
        assertThat(spike.novelty()).isEqualTo(1.0);
        assertThat(spike.score()).isEqualTo(1.0);
        assertThat(detector.count()).isEqualTo(2201);
    }

    @Test
    void contextNoveltyKnowsFamiliarTransitionsAndFlagsNewOnes() {
        ContextNovelty novelty = new ContextNovelty(8, 16);
        for (int i = 0; i < 16; i++) {
            assertThat(novelty.update(i % 2 == 0 ? 0 : 8)).isZero();
        }
        assertThat(novelty.update(0)).isZero();
        assertThat(novelty.update(8)).isZero();
        // 4 is inside the range but never followed 8: new at the finest resolutions, maybe not the coarsest.
        assertThat(novelty.update(4)).isGreaterThan(0);
        // Far above the range: new at every resolution.
        assertThat(novelty.update(100)).isEqualTo(1.0);
    }

    @Test
    void likelihoodRisesWhenScoresStayHigh() {
        AnomalyLikelihood likelihood = new AnomalyLikelihood(1000, 5);
        Random random = new Random(6);
        double usual = 0;
        for (int i = 0; i < 1000; i++) {
            usual = likelihood.update(1 + 0.1 * random.nextGaussian());
        }
        assertThat(usual).isLessThan(0.3);
        double high = 0;
        for (int i = 0; i < 5; i++) {
            high = likelihood.update(3);
        }
        assertThat(high).isGreaterThan(0.6);
    }

    @Test
    void settingsRefuseNonsense() {
        DetectorSettings defaults = DetectorSettings.DEFAULT;
        assertThatThrownBy(() -> new DetectorSettings(defaults.signals(), 0, 50, 256, 0.001, 1, 10, 10, 5, 0.5, 8, 10, 1, 10))
                .hasMessageContaining("shingleSize");
        assertThatThrownBy(() -> new DetectorSettings(defaults.signals(), 4, 50, 256, 0.001, 1, 10, 10, 5, 0.5, 10, 10, 1, 10))
                .hasMessageContaining("noveltyLevels");
        assertThatThrownBy(() -> new DetectorSettings(defaults.signals(), 4, 50, 256, 0.001, 1, 10, 10, 5, 1.5, 8, 10, 1, 10))
                .hasMessageContaining("thresholds");
    }
}
