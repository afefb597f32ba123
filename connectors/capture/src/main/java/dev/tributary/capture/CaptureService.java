package dev.tributary.capture;

import static java.util.Objects.requireNonNull;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's embedded engine writing change events to Kafka, as Debezium on Kafka Connect
 * would: topic {@code <prefix>.cdc.<database>.<table>}, the primary key as the record key,
 * the change envelope as the value (JSON with its schema, as Connect's {@code JsonConverter}
 * writes it), a tombstone after each delete.
 *
 * <p>Delivery is at least once: a batch's offsets are committed only after Kafka has
 * acknowledged every record of it, so a restart resumes at the last acknowledged batch and may
 * repeat some of it. The lake mirror absorbs those repeats (it upserts by key).
 */
public final class CaptureService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);

    private final CaptureConfig config;
    private final Clock clock;
    private final JsonConverter keyConverter = new JsonConverter();
    private final JsonConverter valueConverter = new JsonConverter();
    private final Map<String, AtomicLong> perTable = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong(-1);
    private final AtomicLong firstChangeMillis = new AtomicLong(-1);
    private final AtomicLong lastChangeMillis = new AtomicLong(-1);
    private final AtomicReference<CaptureStatus.Phase> phase = new AtomicReference<>(CaptureStatus.Phase.STARTING);
    private final AtomicReference<String> failure = new AtomicReference<>();

    private final java.util.function.Function<CaptureConfig, ChangeSink> sinks;
    private ChangeSink sink;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService executor;

    public CaptureService(CaptureConfig config, Clock clock) {
        this(config, clock, KafkaChangeSink::new);
    }

    /** A capture service sending to another sink than Kafka (the benchmark measures the engine alone). */
    public CaptureService(CaptureConfig config, Clock clock, java.util.function.Function<CaptureConfig, ChangeSink> sinks) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sinks = requireNonNull(sinks, "sinks is null");
        keyConverter.configure(Map.of("schemas.enable", "true"), true);
        valueConverter.configure(Map.of("schemas.enable", "true"), false);
    }

    /** Checks the database (see {@link CapturePreflight}), then starts the engine in the background. */
    public void start() {
        if (engine != null) {
            throw new IllegalStateException("capture already started");
        }
        new CapturePreflight(config).check();
        try {
            Files.createDirectories(config.stateDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create capture.state-dir " + config.stateDirectory(), e);
        }
        sink = sinks.apply(config);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(config.debeziumProperties())
                .using(this::completed)
                .notifying(this::handleBatch)
                .build();
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-capture-" + config.name());
            thread.setDaemon(true);
            return thread;
        });
        executor.execute(engine);
        LOG.info("Started {}", config.describe());
    }

    public CaptureStatus status() {
        Map<String, Long> tables = new TreeMap<>();
        perTable.forEach((table, count) -> tables.put(table, count.get()));
        return new CaptureStatus(currentPhase(), changes.get(), tables, heartbeats.get(), lagMillis.get(), firstChangeMillis.get(), lastChangeMillis.get(), failure.get());
    }

    /**
     * The phase, from the connector's own metrics (Debezium registers them as MBeans): the
     * snapshot is running, or the streaming source is connected. Stopped and failed come from the engine.
     */
    private CaptureStatus.Phase currentPhase() {
        CaptureStatus.Phase engine = phase.get();
        if (engine == CaptureStatus.Phase.FAILED || engine == CaptureStatus.Phase.STOPPED) {
            return engine;
        }
        if (Boolean.TRUE.equals(metric("streaming", "Connected"))) {
            return CaptureStatus.Phase.STREAMING;
        }
        if (Boolean.TRUE.equals(metric("snapshot", "SnapshotRunning"))) {
            return CaptureStatus.Phase.SNAPSHOT;
        }
        return engine;
    }

    private Object metric(String context, String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName name : server.queryNames(new ObjectName("debezium." + config.kind().configName()
                    + ":type=connector-metrics,context=" + context + ",server=" + config.debeziumTopicPrefix() + ",*"), null)) {
                return server.getAttribute(name, attribute);
            }
        } catch (JMException | RuntimeException e) {
            LOG.debug("No Debezium metric {}.{}: {}", context, attribute, e.toString());
        }
        return null;
    }

    public CaptureConfig config() {
        return config;
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> batch, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        Map<String, Long> batchTables = new HashMap<>();
        long newestSource = -1;
        long batchChanges = 0;
        boolean snapshot = false;
        for (RecordChangeEvent<SourceRecord> event : batch) {
            SourceRecord record = event.record();
            String topic = record.topic();
            byte[] key = record.key() == null ? null : keyConverter.fromConnectData(topic, record.keySchema(), record.key());
            byte[] value = record.value() == null ? null : valueConverter.fromConnectData(topic, record.valueSchema(), record.value());
            sink.send(topic, key, value, record.timestamp());
            if (topic.equals(config.heartbeatTopic())) {
                heartbeats.incrementAndGet();
            } else if (record.value() instanceof Struct envelope && envelope.schema().field("source") != null && envelope.schema().field("op") != null) {
                Struct source = envelope.getStruct("source");
                String snapshotFlag = source.schema().field("snapshot") == null ? null : String.valueOf(source.get("snapshot"));
                snapshot = snapshotFlag != null && !"false".equals(snapshotFlag) && !"null".equals(snapshotFlag);
                Object commitMillis = source.get("ts_ms");
                if (commitMillis instanceof Long millis) {
                    newestSource = Math.max(newestSource, millis);
                }
                batchTables.merge(tableOf(source), 1L, Long::sum);
                batchChanges++;
            }
        }
        sink.flush();
        for (RecordChangeEvent<SourceRecord> event : batch) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        long now = clock.millis();
        changes.addAndGet(batchChanges);
        batchTables.forEach((table, count) -> perTable.computeIfAbsent(table, name -> new AtomicLong()).addAndGet(count));
        if (batchChanges > 0) {
            firstChangeMillis.compareAndSet(-1, now);
            lastChangeMillis.set(now);
            if (!snapshot && newestSource >= 0) {
                lagMillis.set(Math.max(0, now - newestSource));
            }
        }
    }

    private static String tableOf(Struct source) {
        Object schema = source.schema().field("schema") != null ? source.get("schema") : null;
        Object database = schema != null ? schema : source.get("db");
        return database + "." + source.get("table");
    }

    private void completed(boolean success, String message, Throwable error) {
        if (success) {
            phase.set(CaptureStatus.Phase.STOPPED);
            LOG.info("Capture {} stopped: {}", config.name(), message);
        } else {
            phase.set(CaptureStatus.Phase.FAILED);
            String reason = error != null && error.getMessage() != null ? error.getMessage() : message;
            failure.set(reason);
            LOG.error("Capture {} failed: {}", config.name(), reason, error);
        }
    }

    /** Waits until the engine has written its snapshot and streams, or fails. */
    public CaptureStatus awaitStreaming(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            CaptureStatus status = status();
            if (status.phase() != CaptureStatus.Phase.STARTING && status.phase() != CaptureStatus.Phase.SNAPSHOT) {
                return status;
            }
            Thread.sleep(50);
        }
        return status();
    }

    /** Stops the engine (committing the offsets of acknowledged batches) and the producer. */
    @Override
    public void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Capture engine {} did not stop within 30 s", config.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sink != null) {
            sink.close();
        }
        if (phase.get() != CaptureStatus.Phase.FAILED) {
            phase.set(CaptureStatus.Phase.STOPPED);
        }
    }
}
