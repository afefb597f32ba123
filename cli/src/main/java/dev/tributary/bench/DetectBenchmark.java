package dev.tributary.bench;

import static java.util.Objects.requireNonNull;

import dev.tributary.anomaly.AnomalyConfig;
import dev.tributary.anomaly.DetectorSettings;
import dev.tributary.anomaly.EntityDetectors;
import dev.tributary.anomaly.MetricPaths;
import dev.tributary.anomaly.StreamingAnomalyDetector;
import dev.tributary.anomaly.WindowAggregate;
import dev.tributary.local.LocalStack;
import dev.tributary.local.SummaryJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./tributary bench detect}: the detector alone (values per second, with the job's
 * per-entity settings and, as the baseline in the same run, the larger NAB settings), the
 * state an entity holds (serialized, as checkpoints and RocksDB keep it, at each requested
 * number of entities; and on the heap, measured with the entities live), and alert latency
 * inside the whole telemetry job.
 */
public final class DetectBenchmark {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final List<Integer> entityCounts;
    private final boolean latency;
    private final Path workDirectory;
    private final Path summaryJson;
    private final PrintStream out;

    public DetectBenchmark(List<Integer> entityCounts, boolean latency, Path workDirectory, Path summaryJson, PrintStream out) {
        this.entityCounts = List.copyOf(entityCounts);
        this.latency = latency;
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.summaryJson = summaryJson;
        this.out = requireNonNull(out, "out is null");
    }

    public int run() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("java", System.getProperty("java.version"));
        DetectorSettings perEntity = AnomalyConfig.PER_ENTITY;
        figures.put("per_entity_settings", perEntity.toString());

        double entityRate = detectorRate(perEntity);
        double nabRate = detectorRate(DetectorSettings.DEFAULT);
        figures.put("detector_eps", Math.round(entityRate));
        figures.put("detector_eps_nab_settings", Math.round(nabRate));
        out.printf("detector_eps              %,10.0f  (one detector, the job's per-entity settings: %d trees of %d points, shingle %d)%n",
                entityRate, perEntity.numberOfTrees(), perEntity.sampleSize(), perEntity.shingleSize());
        out.printf("detector_eps (NAB)        %,10.0f  (baseline: the NAB evaluation's settings, %d trees of %d points, shingle %d, plus novelty)%n",
                nabRate, DetectorSettings.DEFAULT.numberOfTrees(), DetectorSettings.DEFAULT.sampleSize(), DetectorSettings.DEFAULT.shingleSize());

        MetricPaths metrics = MetricPaths.resolve("anomaly.metrics", MetricPaths.defaults());
        int windows = perEntity.sampleSize() + perEntity.shingleSize() + 8;
        Map<String, Object> state = new LinkedHashMap<>();
        for (int entities : entityCounts) {
            state.put(Integer.toString(entities), stateSize(entities, windows, metrics, perEntity));
        }
        figures.put("metrics_per_entity", metrics.size());
        figures.put("windows_per_entity", windows);
        figures.put("state", state);

        if (latency) {
            try (LocalStack stack = LocalStack.start(workDirectory.resolve("lake-" + System.currentTimeMillis()), 0, Math.min(2, Runtime.getRuntime().availableProcessors()))) {
                new AlertLatency(out).measure(stack, figures);
            }
        }
        out.println();
        SummaryJson.printAndWrite(figures, out, summaryJson);
        return 0;
    }

    /** Values per second through one detector, after a warm-up of the same length. */
    private static double detectorRate(DetectorSettings settings) {
        int values = 100_000;
        SplittableRandom random = new SplittableRandom(7);
        double[] series = new double[values];
        for (int i = 0; i < values; i++) {
            series[i] = 50 + 20 * Math.sin(2 * Math.PI * i / 288.0) + random.nextGaussian();
        }
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            StreamingAnomalyDetector detector = new StreamingAnomalyDetector(settings);
            long started = System.nanoTime();
            long anomalies = 0;
            for (double value : series) {
                anomalies += detector.update(value).anomalous() ? 1 : 0;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (pass > 0) {
                best = Math.max(best, values / seconds);
            }
            if (anomalies < 0) {
                throw new IllegalStateException();
            }
        }
        return best;
    }

    /**
     * Fills {@code entities} entities' detectors with enough windows that every forest is full,
     * and measures their serialized state; the heap is measured with them all live when that
     * fits in a third of the maximum heap.
     */
    private Map<String, Object> stateSize(int entities, int windows, MetricPaths metrics, DetectorSettings settings) throws Exception {
        out.printf("state: %,d entities x %d metrics, %d windows each ...%n", entities, metrics.size(), windows);
        long heapEstimate = 40_000L * metrics.size() * entities;
        boolean keepLive = heapEstimate < Runtime.getRuntime().maxMemory() / 3;
        EntityDetectors[] live = keepLive ? new EntityDetectors[entities] : null;
        long heapBefore = usedHeap();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicLong serializedBytes = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int first = thread;
                parts.add(pool.submit(() -> {
                    for (int entity = first; entity < entities; entity += threads) {
                        EntityDetectors detectors = fill(entity, windows, metrics, settings);
                        serializedBytes.addAndGet(detectors.toBytes().length);
                        if (live != null) {
                            live[entity] = detectors;
                        }
                        long count = done.incrementAndGet();
                        if (count % 10_000 == 0) {
                            out.printf("  %,d / %,d entities (%.0f s)%n", count, entities, (System.nanoTime() - started) / 1e9);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        long perEntity = serializedBytes.get() / entities;
        figures.put("state_bytes_per_entity", perEntity);
        figures.put("state_bytes_total", serializedBytes.get());
        out.printf("state_bytes_per_entity    %,10d  at %,d entities (serialized, as checkpointed; %,d MB in all)%n",
                perEntity, entities, serializedBytes.get() >> 20);
        if (live != null) {
            long heapPerEntity = (usedHeap() - heapBefore) / entities;
            figures.put("heap_bytes_per_entity", heapPerEntity);
            out.printf("heap_bytes_per_entity     %,10d  at %,d entities (live objects, as the heap state backend holds them)%n", heapPerEntity, entities);
            if (live.length > 0 && live[0] == null) {
                throw new IllegalStateException("entity 0 was not filled");
            }
        } else {
            out.printf("heap_bytes_per_entity     not measured at %,d entities (would need about %,d MB of heap; use RocksDB state at this scale)%n",
                    entities, heapEstimate >> 20);
        }
        figures.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return figures;
    }

    private static EntityDetectors fill(int entity, int windows, MetricPaths metrics, DetectorSettings settings) {
        SplittableRandom random = new SplittableRandom(entity);
        EntityDetectors detectors = new EntityDetectors(settings, metrics.size());
        String id = "veh-" + entity;
        for (int window = 0; window < windows; window++) {
            double[] means = new double[metrics.size()];
            for (int metric = 0; metric < means.length; metric++) {
                means[metric] = 10 * (metric + 1) + random.nextGaussian();
            }
            long start = window * WINDOW.toMillis();
            detectors.observe(new WindowAggregate("vehicle", id, "dev-" + entity, id, start, start + WINDOW.toMillis(), 12, means), metrics, WINDOW);
        }
        return detectors;
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
