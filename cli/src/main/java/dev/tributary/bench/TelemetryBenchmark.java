package dev.tributary.bench;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Producers;
import dev.tributary.local.SummaryJson;
import dev.tributary.simulator.Fleet;
import dev.tributary.simulator.FleetSimulator;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import dev.tributary.telemetry.TelemetryJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./tributary bench telemetry}: on one local stack and one topic, measures in one run
 * the hardware ceiling (a plain consumer), the framework's ceiling (a Flink passthrough), the
 * telemetry job's stages (parse; parse and enrich), the whole job through committed Iceberg
 * and enriched topic, and alert latency at a fixed rate below saturation.
 *
 * <p>Flink rates are events over the job's net runtime (deployment included, as a user sees
 * it), each after a warm-up run of the same kind; the plain consumer takes the best of three
 * passes after a warm-up pass.
 */
public final class TelemetryBenchmark {
    private final long events;
    private final int vehicles;
    private final Path workDirectory;
    private final Path summaryJson;
    private final PrintStream out;

    public TelemetryBenchmark(long events, int vehicles, Path workDirectory, Path summaryJson, PrintStream out) {
        this.events = events;
        this.vehicles = vehicles;
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.summaryJson = summaryJson;
        this.out = requireNonNull(out, "out is null");
    }

    public int run() throws Exception {
        Path lakeDirectory = workDirectory.resolve("lake-" + System.currentTimeMillis());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events", events);
        figures.put("vehicles", vehicles);
        int parallelism = Math.min(2, Runtime.getRuntime().availableProcessors());
        figures.put("parallelism", parallelism);
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("java", System.getProperty("java.version"));
        try (LocalStack stack = LocalStack.start(lakeDirectory, 0, parallelism)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("source.bounded", "true", "checkpoint.interval", "2s"));
            stack.createTopics(config, 4);
            List<LocalKafka.TopicSpec> cdc = new ArrayList<>();
            for (String table : Fleet.tables()) {
                cdc.add(LocalKafka.TopicSpec.of(Fleet.topic("fleet", table), 1));
            }
            stack.kafka().createTopics(cdc);

            out.printf("Producing %,d readings for %,d vehicles ...%n", events, vehicles);
            SimulatorConfig simulator = SimulatorConfig.defaults(vehicles, events).withBadInput(0, 0);
            long started = System.nanoTime();
            SimulationReport report;
            try (KafkaProducer<byte[], byte[]> producer = Producers.create(stack.kafka().bootstrapServers())) {
                FleetSimulator fleet = new FleetSimulator(simulator);
                Instant now = Instant.now();
                new Fleet(vehicles, simulator.seed()).publishSnapshot(producer, "fleet", fleet.startTime(now).minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
                report = fleet.run(producer, config.telemetryTopic(), now);
            }
            double produceSeconds = (System.nanoTime() - started) / 1e9;
            long topicBytes = topicBytes(stack, config.telemetryTopic());
            figures.put("produce_eps", round(report.produced() / produceSeconds));
            figures.put("average_event_bytes", topicBytes / Math.max(1, report.produced()));
            out.printf("  produced at %,.0f ev/s, about %d bytes per reading (uncompressed JSON)%n", report.produced() / produceSeconds, topicBytes / Math.max(1, report.produced()));

            double raw = rawConsume(stack, config.telemetryTopic(), report.produced());
            figures.put("raw_consume_eps", round(raw));
            out.printf("raw_consume_eps        %,12.0f  (plain KafkaConsumer, best of 3 warm passes)%n", raw);

            runFlink(stack, env -> passthrough(env, stack, config, "warmup"), "warm-up");
            double passthrough = Math.max(
                    report.produced() / runFlink(stack, env -> passthrough(env, stack, config, "passthrough-1"), "passthrough"),
                    report.produced() / runFlink(stack, env -> passthrough(env, stack, config, "passthrough-2"), "passthrough"));
            figures.put("flink_passthrough_eps", round(passthrough));
            out.printf("flink_passthrough_eps  %,12.0f  (KafkaSource of bytes into a discarding sink, best of 2)%n", passthrough);

            double parseOnly = report.produced() / runFlink(stack, env -> {
                TelemetryJob job = new TelemetryJob(stack.pipelineConfig(Map.of("source.bounded", "true", "checkpoint.interval", "2s",
                        "source.group-id", "bench-parse-only", "pipeline.name", "bench-parse-only", "drift.enabled", "false")));
                job.readings(env).sinkTo(new DiscardingSink<>());
            }, "parse-only");
            figures.put("parse_without_drift_eps", round(parseOnly));
            out.printf("parse_without_drift_eps %,11.0f  (+ JSON parse and validation against the Avro schema)%n", parseOnly);

            double parse = report.produced() / runFlink(stack, env -> {
                TelemetryJob job = new TelemetryJob(withGroup(stack, "parse", Map.of()));
                job.readings(env).sinkTo(new DiscardingSink<>());
            }, "parse");
            figures.put("parse_eps", round(parse));
            out.printf("parse_eps              %,12.0f  (+ the drift check: each event's shape against the registered schema)%n", parse);

            double enrich = report.produced() / runFlink(stack, env -> {
                TelemetryJob job = new TelemetryJob(withGroup(stack, "enrich", Map.of()));
                SingleOutputStreamOperator<dev.tributary.schemas.telemetry.EnrichedTelemetry> enriched = job.enrich(job.readings(env), job.changes(env));
                enriched.sinkTo(new DiscardingSink<>());
                job.detect(enriched).sinkTo(new DiscardingSink<>());
            }, "enrich");
            figures.put("enrich_detect_eps", round(enrich));
            out.printf("enrich_detect_eps      %,12.0f  (+ two keyed joins with CDC state and the event-time rule)%n", enrich);

            // The lake writers' first run in a JVM is markedly slower (class loading, JIT): warm them up unmeasured.
            lake(stack, withGroup(stack, "lake-warmup", Map.of()), report.produced(), "lake-warmup");
            double lakeOnly = lake(stack, withGroup(stack, "lake", Map.of()), report.produced(), "lake");
            figures.put("enrich_detect_lake_eps", round(lakeOnly));
            out.printf("enrich_detect_lake_eps %,12.0f  (+ Iceberg ORC append only, committed; nested columns, arrays as lists; in a table of its own)%n", lakeOnly);

            // The costs of drift handling and of the lake layout, against the same stages in the same run.
            double lakeWithoutDrift = lake(stack, withGroup(stack, "lake-nodrift", Map.of("drift.enabled", "false")), report.produced(), "lake-nodrift");
            figures.put("lake_without_drift_eps", round(lakeWithoutDrift));
            out.printf("lake_without_drift_eps %,12.0f  (the same, drift checking off)%n", lakeWithoutDrift);
            double lakeChildTables = lake(stack, withGroup(stack, "lake-child", Map.of("lake.arrays", "child-table")), report.produced(), "lake-child");
            figures.put("lake_child_tables_eps", round(lakeChildTables));
            out.printf("lake_child_tables_eps  %,12.0f  (the same with drift, diagnostics pivoted into a child table: one more row per diagnostic)%n", lakeChildTables);
            double lakeFixedSchema = lake(stack, withGroup(stack, "lake-fixed", Map.of("drift.enabled", "false", "lake.writer", "flink-sink")),
                    report.produced(), "lake-fixed");
            figures.put("lake_fixed_schema_eps", round(lakeFixedSchema));
            out.printf("lake_fixed_schema_eps  %,12.0f  (baseline: drift off, lake.writer=flink-sink: Iceberg's FlinkSink, the schema fixed at start)%n", lakeFixedSchema);

            PipelineConfig pipelineConfig = withGroup(stack, "pipeline", Map.of());
            double pipelineSeconds = runFlink(stack, env -> {
                TelemetryJob.configure(env, pipelineConfig);
                new TelemetryJob(pipelineConfig).build(env);
            }, "pipeline");
            double pipeline = report.produced() / pipelineSeconds;
            try (LakeInspector lake = new LakeInspector(pipelineConfig.lake())) {
                long rows = lake.committedRecords(TelemetryTable.identifier(pipelineConfig.lake()));
                figures.put("pipeline_rows_committed", rows);
                if (rows != report.valid()) {
                    throw new IllegalStateException("the pipeline committed " + rows + " rows of " + report.valid());
                }
            }
            figures.put("pipeline_eps", round(pipeline));
            figures.put("ratio", Math.round(pipeline / passthrough * 1000) / 1000.0);
            out.printf("pipeline_eps           %,12.0f  (+ Iceberg ORC append and exactly-once enriched topic, committed)%n", pipeline);
            out.printf("ratio                  %12.3f  (pipeline_eps / flink_passthrough_eps)%n", pipeline / passthrough);

            new AlertLatency(out).measure(stack, figures);
        }
        out.println();
        SummaryJson.printAndWrite(figures, out, summaryJson);
        return 0;
    }

    private PipelineConfig withGroup(LocalStack stack, String name, Map<String, String> extra) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("source.bounded", "true", "checkpoint.interval", "2s",
                "source.group-id", "bench-" + name, "pipeline.name", "bench-" + name,
                "lake.telemetry-table", name.equals("pipeline") ? "telemetry" : "telemetry_bench_" + name.replace('-', '_')));
        values.putAll(extra);
        return stack.pipelineConfig(values);
    }

    /** The job's stages up to the lake (parse, enrich, rules, Iceberg append), committed; returns events per second. */
    private double lake(LocalStack stack, PipelineConfig lakeConfig, long events, String name) throws Exception {
        return events / runFlink(stack, env -> {
            TelemetryJob.configure(env, lakeConfig);
            TelemetryJob job = new TelemetryJob(lakeConfig);
            job.ensureLakeTable();
            SingleOutputStreamOperator<dev.tributary.schemas.telemetry.EnrichedTelemetry> enriched = job.enrich(job.readings(env), job.changes(env));
            job.detect(enriched).sinkTo(new DiscardingSink<>());
            job.writeLake(enriched);
        }, name);
    }

    interface JobBody {
        void build(StreamExecutionEnvironment env) throws Exception;
    }

    /** Runs a bounded job to its end and returns its net runtime in seconds. */
    private double runFlink(LocalStack stack, JobBody body, String name) throws Exception {
        StreamExecutionEnvironment env = stack.flink().newEnvironment();
        env.setParallelism(stack.flink().slots());
        env.getConfig().enableObjectReuse();
        body.build(env);
        JobID job = stack.flink().submit(env, "bench-" + name);
        JobResult result = stack.flink().awaitResult(job, Duration.ofMinutes(30));
        return result.getNetRuntime() / 1000.0;
    }

    private void passthrough(StreamExecutionEnvironment env, LocalStack stack, PipelineConfig config, String group) {
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.telemetryTopic())
                .setGroupId("bench-" + group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(new RawBytes()))
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "telemetry bytes").sinkTo(new DiscardingSink<>());
    }

    private double rawConsume(LocalStack stack, String topic, long expected) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", stack.kafka().bootstrapServers());
        properties.put("enable.auto.commit", "false");
        properties.put("max.poll.records", "5000");
        properties.put("fetch.min.bytes", "1048576");
        properties.put("fetch.max.wait.ms", "50");
        double best = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            for (int pass = 0; pass < 4; pass++) {
                consumer.seekToBeginning(partitions);
                long count = 0;
                long bytes = 0;
                long started = System.nanoTime();
                while (count < expected) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (var record : records) {
                        count++;
                        bytes += record.value() == null ? 0 : record.value().length;
                    }
                }
                double rate = count / ((System.nanoTime() - started) / 1e9);
                if (pass > 0) {
                    best = Math.max(best, rate);
                }
                if (bytes < 0) {
                    throw new IllegalStateException("unreachable: keeps the byte count alive");
                }
            }
        }
        return best;
    }

    private static long topicBytes(LocalStack stack, String topic) {
        long[] bytes = {0};
        dev.tributary.local.Topics.readAll(stack.kafka().bootstrapServers(), topic, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED,
                record -> bytes[0] += record.value() == null ? 0 : record.value().length);
        return bytes[0];
    }

    private static double round(double value) {
        return Math.round(value);
    }

    /** Values as bytes, untouched. */
    private static final class RawBytes implements DeserializationSchema<byte[]> {
        @Override
        public byte[] deserialize(byte[] message) {
            return message;
        }

        @Override
        public boolean isEndOfStream(byte[] nextElement) {
            return false;
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return TypeInformation.of(byte[].class);
        }
    }
}
