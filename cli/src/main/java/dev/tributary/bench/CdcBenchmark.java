package dev.tributary.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.capture.CaptureConfig;
import dev.tributary.capture.CaptureService;
import dev.tributary.capture.CaptureStatus;
import dev.tributary.capture.ChangeSink;
import dev.tributary.capture.DatabaseKind;
import dev.tributary.cdc.CdcWorkload;
import dev.tributary.cdc.DebeziumJson;
import dev.tributary.cdc.MirrorComparison;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.LakeMaintenance;
import dev.tributary.local.LocalDatabase;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalMariaDb;
import dev.tributary.local.LocalPostgres;
import dev.tributary.local.LocalStack;
import dev.tributary.local.SummaryJson;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code ./tributary bench cdc}: change data capture measured in one run against a real database.
 *
 * <ol>
 *   <li>{@code raw_capture_eps}: a backlog of changes read by Debezium's engine into a sink that
 *       drops them: the ceiling.
 *   <li>{@code end_to_end_eps}: the same backlog through capture, Kafka and the lake-mirror job,
 *       until the Iceberg table equals the source: changes per second from the start of capture.
 *   <li>{@code lag_ms_p50}, {@code lag_ms_p99}: under a steady stream of transactions, from a
 *       probe row's commit in the database to its first sight in Iceberg (polled every 100 ms).
 *   <li>{@code rows_compared}, {@code mismatches}: the source and lake tables row for row.
 * </ol>
 */
public final class CdcBenchmark {
    private static final String PROBE = "lag_probe";

    private final DatabaseKind kind;
    private final long changes;
    private final Path workDirectory;
    private final Path summaryJson;
    private final PrintStream out;

    public CdcBenchmark(DatabaseKind kind, long changes, Path workDirectory, Path summaryJson, PrintStream out) {
        this.kind = requireNonNull(kind, "kind is null");
        this.changes = changes;
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.summaryJson = summaryJson;
        this.out = requireNonNull(out, "out is null");
    }

    /** The figures, as the summary JSON holds them. */
    public record Figures(
            @JsonProperty("database") String database,
            @JsonProperty("changes") long changes,
            @JsonProperty("backlog_transactions") long transactions,
            @JsonProperty("raw_capture_eps") double rawCaptureEps,
            @JsonProperty("kafka_capture_eps") double kafkaCaptureEps,
            @JsonProperty("end_to_end_eps") double endToEndEps,
            @JsonProperty("end_to_end_ratio") double endToEndRatio,
            @JsonProperty("steady_rate_tps") double steadyRateTps,
            @JsonProperty("lag_probes") int lagProbes,
            @JsonProperty("lag_ms_p50") long lagMsP50,
            @JsonProperty("lag_ms_p99") long lagMsP99,
            @JsonProperty("checkpoint_interval_ms") long checkpointIntervalMs,
            @JsonProperty("rows_compared") long rowsCompared,
            @JsonProperty("mismatches") long mismatches,
            @JsonProperty("data_files_before_maintenance") int dataFilesBefore,
            @JsonProperty("delete_files_before_maintenance") int deleteFilesBefore,
            @JsonProperty("bytes_before_maintenance") long bytesBefore,
            @JsonProperty("data_files_after_maintenance") int dataFilesAfter,
            @JsonProperty("delete_files_after_maintenance") int deleteFilesAfter,
            @JsonProperty("bytes_after_maintenance") long bytesAfter) {}

    public int run() throws Exception {
        Path directory = Files.createDirectories(workDirectory).resolve("cdc-" + System.currentTimeMillis());
        try (LocalStack stack = LocalStack.start(directory.resolve("lake"), 0, 2);
             LocalDatabase database = kind == DatabaseKind.POSTGRES ? LocalPostgres.start() : LocalMariaDb.start(directory.resolve("mariadb"), 0, "ROW")) {
            CdcWorkload workload = new CdcWorkload(database, 7, 8);
            workload.createTable();
            database.execute("CREATE TABLE " + PROBE + " (id BIGINT PRIMARY KEY, note VARCHAR(16))");
            List<String> tables = List.of(CdcWorkload.TABLE, PROBE);
            CaptureConfig raw = database.captureConfig("bench_raw", stack.kafka().bootstrapServers(), directory.resolve("raw"), tables, Map.of());
            CaptureConfig capture = database.captureConfig("bench", stack.kafka().bootstrapServers(), directory.resolve("capture"), tables, Map.of());
            long checkpointMillis = 1000;
            // Maintenance off during the run, to show what an upsert table becomes without it; one run at the end.
            PipelineConfig mirror = stack.pipelineConfig(Map.of("checkpoint.interval", checkpointMillis + "ms", "maintenance.interval", "0s",
                    "mirror.tables", String.join(",", tables.stream().map(table -> database.tableNamespace() + "." + table).toList())));
            stack.createMirrorTopics(mirror);

            // Both readers find their start position while the tables are empty, then the backlog is written.
            primeAndStop(raw);
            primeAndStop(capture);
            out.printf("Writing %,d changes (inserts, updates, deletes in transactions of 1-8) into %s ...%n", changes, kind.configName());
            workload.runUntil(changes);
            long backlogTransactions = workload.transactions();

            double rawEps;
            AtomicLong dropped = new AtomicLong();
            try (CaptureService engine = new CaptureService(raw, Clock.systemUTC(), config -> ChangeSink.discarding(dropped))) {
                engine.start();
                CaptureStatus status = awaitChanges(engine, changes, Duration.ofMinutes(10));
                rawEps = changes * 1000.0 / Math.max(1, status.lastChangeMillis() - status.firstChangeMillis());
            }
            out.printf("raw capture (engine alone): %,.0f changes/s%n", rawEps);

            TableIdentifier items = TableIdentifier.of(mirror.mirror().namespace(), CdcWorkload.TABLE);
            TableIdentifier probes = TableIdentifier.of(mirror.mirror().namespace(), PROBE);
            // The change topics exist before the job starts, so that its source does not wait for partition discovery.
            List<LocalKafka.TopicSpec> topics = new ArrayList<>();
            for (String table : tables) {
                topics.add(LocalKafka.TopicSpec.of(DebeziumJson.topic(capture.topicPrefix(), database.tableNamespace(), table), capture.topicPartitions()));
            }
            stack.kafka().createTopics(topics);
            JobID job = stack.submitMirror(mirror, null);
            stack.flink().awaitRunning(job, Duration.ofMinutes(1));
            try (CaptureService service = new CaptureService(capture, Clock.systemUTC())) {
                long started = System.currentTimeMillis();
                service.start();
                // Cheap waits first (capture's own count), then row-for-row comparisons once a second.
                CaptureStatus inKafka = awaitChanges(service, changes, Duration.ofMinutes(20));
                double kafkaEps = changes * 1000.0 / Math.max(1, inKafka.lastChangeMillis() - inKafka.firstChangeMillis());
                out.printf("capture into Kafka: %,.0f changes/s%n", kafkaEps);
                MirrorComparison.Result drained = MirrorComparison.awaitEqual(database, CdcWorkload.TABLE, mirror.lake(), items, Duration.ofMinutes(20));
                double endToEndEps = changes * 1000.0 / (System.currentTimeMillis() - started);
                out.printf("end to end (database -> Kafka -> Iceberg): %,.0f changes/s (%s)%n", endToEndEps, drained.equal() ? "equal" : "NOT equal");

                double rate = 100;
                Map<Long, Long> committed = new HashMap<>();
                List<Long> lags = steadyStream(database, workload, mirror, probes, rate, Duration.ofSeconds(20), committed);
                MirrorComparison.Result result = MirrorComparison.awaitEqual(database, CdcWorkload.TABLE, mirror.lake(), items, Duration.ofMinutes(5));
                stack.flink().cancel(job);
                lags.sort(Long::compare);
                LakeMaintenance.FileStats before;
                LakeMaintenance.FileStats after;
                Catalog catalog = Catalogs.open(mirror.lake());
                try {
                    Table table = catalog.loadTable(items);
                    before = LakeMaintenance.stats(table);
                    after = new LakeMaintenance(Clock.systemUTC()).maintain(table, 0, Duration.ofHours(1), 5).after();
                } finally {
                    ((AutoCloseable) catalog).close();
                }
                out.printf("lake files of %s with maintenance off during the run: %s; after one maintenance run: %s%n", items, before, after);
                Figures figures = new Figures(kind.configName(), changes, backlogTransactions, round(rawEps), round(kafkaEps), round(endToEndEps),
                        Math.round(endToEndEps / rawEps * 1000) / 1000.0, rate, lags.size(), percentile(lags, 0.5), percentile(lags, 0.99),
                        checkpointMillis, result.sourceRows(), result.mismatches(), before.dataFiles(), before.deleteFiles(),
                        before.dataBytes() + before.deleteBytes(), after.dataFiles(), after.deleteFiles(), after.dataBytes() + after.deleteBytes());
                out.println();
                SummaryJson.printAndWrite(figures, out, summaryJson);
                return result.equal() && committed.size() == lags.size() ? 0 : 1;
            }
        }
    }

    private static void primeAndStop(CaptureConfig config) throws Exception {
        AtomicLong ignored = new AtomicLong();
        try (CaptureService service = new CaptureService(config, Clock.systemUTC(), sinkConfig -> ChangeSink.discarding(ignored))) {
            service.start();
            CaptureStatus status = service.awaitStreaming(Duration.ofMinutes(2));
            if (status.phase() != CaptureStatus.Phase.STREAMING) {
                throw new IllegalStateException("capture " + config.name() + " did not start streaming: " + status);
            }
            Thread.sleep(1500);
        }
    }

    private static CaptureStatus awaitChanges(CaptureService service, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            CaptureStatus status = service.status();
            if (status.changesWritten() >= count || status.phase() == CaptureStatus.Phase.FAILED) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("fewer than " + count + " changes within " + timeout + ": " + service.status());
    }

    /**
     * Commits {@code rate} transactions per second for {@code duration}, each a few workload
     * changes plus one probe row whose commit time is noted; returns each probe's lag.
     */
    private List<Long> steadyStream(LocalDatabase database, CdcWorkload workload, PipelineConfig mirror, TableIdentifier probes,
                                    double rate, Duration duration, Map<Long, Long> committed) throws Exception {
        out.printf("Steady stream: %,.0f transactions/s for %ds, one lag probe each ...%n", rate, duration.toSeconds());
        Map<Long, Long> seen = new HashMap<>();
        Thread writer = new Thread(() -> {
            try (Connection connection = database.connect();
                 PreparedStatement probe = connection.prepareStatement("INSERT INTO " + PROBE + " (id, note) VALUES (?, 'probe')")) {
                long intervalNanos = (long) (1e9 / rate);
                long next = System.nanoTime();
                long end = next + duration.toNanos();
                for (long id = 1; System.nanoTime() < end; id++) {
                    workload.runUntil(workload.operations() + 3);
                    probe.setLong(1, id);
                    probe.executeUpdate();
                    synchronized (committed) {
                        committed.put(id, System.currentTimeMillis());
                    }
                    next += intervalNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-steady-writer");
        writer.start();
        long deadline = System.nanoTime() + duration.toNanos() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = System.currentTimeMillis();
            for (Long id : visible(mirror, probes)) {
                seen.putIfAbsent(id, now);
            }
            synchronized (committed) {
                if (!writer.isAlive() && seen.keySet().containsAll(committed.keySet())) {
                    break;
                }
            }
        }
        writer.join();
        List<Long> lags = new ArrayList<>();
        synchronized (committed) {
            committed.forEach((id, at) -> {
                Long visibleAt = seen.get(id);
                if (visibleAt != null) {
                    lags.add(Math.max(0, visibleAt - at));
                }
            });
        }
        return lags;
    }

    private static List<Long> visible(PipelineConfig mirror, TableIdentifier table) throws Exception {
        Catalog catalog = Catalogs.open(mirror.lake());
        try {
            Table loaded = catalog.loadTable(table);
            List<Long> ids = new ArrayList<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(loaded).select("id").build()) {
                records.forEach(record -> ids.add((Long) record.getField("id")));
            }
            return ids;
        } catch (NoSuchTableException e) {
            return List.of();
        } finally {
            ((AutoCloseable) catalog).close();
        }
    }

    private static long percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
