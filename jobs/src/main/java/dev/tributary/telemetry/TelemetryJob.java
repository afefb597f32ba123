package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.AlertCloudEventsJson;
import dev.tributary.alerts.AlertSerializer;
import dev.tributary.alerts.AlertTable;
import dev.tributary.alerts.NotificationFunction;
import dev.tributary.anomaly.AnomalyConfig;
import dev.tributary.anomaly.AnomalyDetectionFunction;
import dev.tributary.anomaly.MetricWindowAggregator;
import dev.tributary.anomaly.ReadingTimeWindows;
import dev.tributary.anomaly.WindowAggregate;
import dev.tributary.alerts.EventTimeRuleFunction;
import dev.tributary.alerts.RuleEngine;
import dev.tributary.cdc.ChangeDeserializer;
import dev.tributary.cdc.ChangeRouter;
import dev.tributary.cdc.ParsedChange;
import dev.tributary.cdc.RowChange;
import dev.tributary.config.KinesisConfig;
import dev.tributary.config.LakeConfig;
import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetter;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.jobs.KafkaEndpoints;
import dev.tributary.lake.AvroRowConverter;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.LakeTables;
import dev.tributary.lake.TelemetryLakeLayout;
import dev.tributary.lake.TelemetryRecordGenerator;
import dev.tributary.schema.SchemaChangeEvent;
import dev.tributary.schema.SchemaChangeReporting;
import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.timestamps.BoundedOutOfOrdernessTimestampExtractor;
import org.apache.flink.util.Collector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.sink.dynamic.TailCommittingDynamicIcebergSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The telemetry job: raw device readings from Kafka, parsed and validated, enriched with the
 * operational tables' latest state (kept in Flink state from their CDC topics), then
 * <ul>
 *   <li>appended to the Iceberg table {@code <namespace>.telemetry}, exactly once (commits on checkpoints);
 *   <li>written as JSON to the enriched topic, exactly once (Kafka transactions);
 *   <li>checked by the headlights rule, whose alerts go out as CloudEvents (at least once, with stable ids);
 *   <li>refused records go to the dead-letter topic, exactly once, with their original bytes.
 * </ul>
 */
public final class TelemetryJob {
    public static final String NAME = "tributary-telemetry";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<SchemaChangeEvent> DRIFT = new OutputTag<>("drift", TypeInformation.of(SchemaChangeEvent.class));
    /** The stage named in the schema-change events of device readings. */
    public static final String DRIFT_STAGE = "telemetry";

    private final PipelineConfig config;
    private final KafkaEndpoints kafka;

    public TelemetryJob(PipelineConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.kafka = new KafkaEndpoints(config, "telemetry");
    }

    /** Checkpointing and execution settings the job's guarantees depend on. */
    public static void configure(StreamExecutionEnvironment env, PipelineConfig config) {
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        checkpoints.setMinPauseBetweenCheckpoints(Math.min(1000, config.checkpointInterval().toMillis() / 2));
        checkpoints.setExternalizedCheckpointRetention(org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        checkpoints.setTolerableCheckpointFailureNumber(3);
        // Operators never mutate a record after emitting it, so chained operators may share it.
        env.getConfig().enableObjectReuse();
        configureRestarts(env);
    }

    /**
     * A job that fails restarts by itself from its last checkpoint, with exponential back-off
     * (1 s doubling to 1 min, with jitter, reset after 10 min without failure): Flink's own
     * default for a checkpointed job is a fixed 1 s delay forever, and a cluster without a
     * restart strategy would otherwise hammer a broken destination. A restart strategy the
     * cluster's or the client's configuration names ({@code restart-strategy.type}, as
     * deploy/emr does) is kept.
     */
    public static void configureRestarts(StreamExecutionEnvironment env) {
        if (env.getConfiguration().getOptional(RestartStrategyOptions.RESTART_STRATEGY).isPresent()) {
            return;
        }
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, RESTART_INITIAL_BACKOFF);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofMinutes(1));
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, Duration.ofMinutes(10));
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        env.configure(restarts);
    }

    /** The first delay before a failed job restarts, when the job sets its own restart strategy. */
    public static final Duration RESTART_INITIAL_BACKOFF = Duration.ofSeconds(1);

    /** Adds the job's sources, operators and sinks to {@code env}. Creates the lake table if it is missing. */
    public void build(StreamExecutionEnvironment env) {
        ensureLakeTable();
        SingleOutputStreamOperator<EnrichedTelemetry> readings = readings(env);
        SingleOutputStreamOperator<RowChange> changes = changes(env);
        DataStream<EnrichedTelemetry> enriched = enrich(readings, changes);
        DataStream<Alert> alerts = config.anomaly().enabled() ? detect(enriched).union(detectAnomalies(enriched)) : detect(enriched);

        writeLake(enriched);
        enriched.sinkTo(kafka.sink(new EnrichedSerializer(config.enrichedTopic()), DeliveryGuarantee.EXACTLY_ONCE, "enriched"))
                .uid("sink-enriched")
                .name("enriched topic");
        if (config.kinesis().enrichedStreamArn() != null) {
            enriched.sinkTo(kinesisSink(config.kinesis().enrichedStreamArn(), EnrichedSerializer::json, EnrichedTelemetry::getDeviceId))
                    .uid("sink-enriched-kinesis")
                    .name("enriched stream: Kinesis " + KinesisConfig.streamName(config.kinesis().enrichedStreamArn()));
        }
        sinkAlerts(alerts);
        SchemaChangeReporting.report(readings.getSideOutput(DRIFT), config, kafka, DRIFT_STAGE, "drift");
        readings.getSideOutput(DEAD_LETTERS)
                .union(changes.getSideOutput(DEAD_LETTERS))
                .sinkTo(kafka.sink(new DeadLetterSerializer(config.deadLetterTopic()), DeliveryGuarantee.EXACTLY_ONCE, "dlq"))
                .uid("sink-dlq")
                .name("dead-letter topic");
    }

    /**
     * Alerts to their Kafka topics (binary-mode CloudEvents, routed by {@code alerts.routing}), to
     * the lake's alert table,
     * and, when configured, to the webhook and SNS with retries; what still fails goes to the
     * alert dead-letter topic.
     */
    public void sinkAlerts(DataStream<Alert> alerts) {
        alerts.sinkTo(kafka.sink(new AlertSerializer(config.alertsTopic(), config.pipelineName(), config.notifications()), DeliveryGuarantee.AT_LEAST_ONCE, "alerts"))
                .uid("sink-alerts")
                .name("alerts topic");
        if (config.kinesis().alertsStreamArn() != null) {
            alerts.sinkTo(kinesisSink(config.kinesis().alertsStreamArn(), new AlertCloudEventsJson(config.pipelineName()), Alert::getEntityId))
                    .uid("sink-alerts-kinesis")
                    .name("alert stream: Kinesis " + KinesisConfig.streamName(config.kinesis().alertsStreamArn()));
        }
        AlertTable.append(alerts, config.lake(), config.notifications());
        if (config.notifications().notifiesOutsideKafka()) {
            alerts.process(new NotificationFunction(config.notifications(), config.pipelineName()), TypeInformation.of(DeadLetter.class))
                    .uid("notify")
                    .name("notify: webhook and SNS")
                    .sinkTo(kafka.sink(new DeadLetterSerializer(config.notifications().deadLetterTopic()), DeliveryGuarantee.AT_LEAST_ONCE, "alerts-dlq"))
                    .uid("sink-alerts-dlq")
                    .name("alert dead-letter topic");
        }
    }

    /**
     * Appends the enriched readings to the lake's telemetry tables (the main table, and a child
     * table per pivoted array), committing with checkpoints, through the Dynamic Iceberg Sink:
     * columns that drift checking added since the job started are written without a restart.
     */
    public void writeLake(DataStream<EnrichedTelemetry> enriched) {
        if (config.lake().writer() == LakeConfig.Writer.FLINK_SINK) {
            writeLakeFixedSchema(enriched);
            return;
        }
        TailCommittingDynamicIcebergSink.forInput(enriched)
                .generator(new TelemetryRecordGenerator(layout(), Catalogs.loader(config.lake()), config.parallelism()))
                .catalogLoader(Catalogs.loader(config.lake()))
                .writeParallelism(config.parallelism())
                .set("write-format", config.lake().fileFormat().name().toLowerCase(Locale.ROOT))
                .set("compression-codec", "zstd")
                .uidPrefix("lake-telemetry")
                .append();
    }

    /**
     * {@code lake.writer=flink-sink}: Iceberg's {@code FlinkSink} (v1), in the table's schema as the
     * job starts (columns accepted earlier included); appends, and runs on Flink 1.20.0.
     */
    private void writeLakeFixedSchema(DataStream<EnrichedTelemetry> enriched) {
        Catalog catalog = Catalogs.open(config.lake());
        org.apache.iceberg.Schema schema;
        try {
            schema = catalog.loadTable(layout().mainTable()).schema();
        } finally {
            Catalogs.closeQuietly(catalog);
        }
        DataStream<RowData> rows = enriched
                .map(new AvroRowConverter.Rows<>(schema, EnrichedTelemetry.getClassSchema()), LakeTables.rowType(schema))
                .uid("lake-rows")
                .name("to lake rows");
        LakeTables.appendWithFlinkSink(rows, config.lake(), layout().mainTable(), "lake-telemetry", 0);
    }

    /** How readings land in the lake (tables, nested columns, pivoted arrays). */
    public TelemetryLakeLayout layout() {
        return new TelemetryLakeLayout(config.lake());
    }

    /** Creates the lake's telemetry tables if they are missing, and adds registered columns they lack. */
    public void ensureLakeTable() {
        Catalog catalog = Catalogs.open(config.lake());
        try {
            layout().ensureTables(catalog);
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }

    /** Stage 1, parse and validate: valid readings; dead letters by the {@link #DEAD_LETTERS} side output. */
    public SingleOutputStreamOperator<EnrichedTelemetry> readings(StreamExecutionEnvironment env) {
        KinesisConfig kinesis = config.kinesis();
        // Event time per Kafka partition (the source's split watermarks) or per Kinesis shard (ShardWatermarks).
        DataStream<ParsedTelemetry> parsed = kinesis.source() == KinesisConfig.Source.KINESIS
                ? env.addSource(kinesisSource(kinesis), "telemetry source: Kinesis " + KinesisConfig.streamName(kinesis.streamArn()))
                        .uid("telemetry-source-kinesis")
                : env.fromSource(telemetrySource(), WatermarkStrategy.<ParsedTelemetry>forBoundedOutOfOrderness(config.outOfOrderness())
                                .withTimestampAssigner((reading, kafkaTimestamp) -> reading.eventTimeMillis())
                                .withIdleness(config.idleness()), "telemetry source")
                        .uid("telemetry-source");
        return parsed
                .process(new SplitParsed())
                .uid("parse-validate")
                .name("parse and validate");
    }

    /** The operational tables' changes, from the CDC topics; unreadable ones by the side output. */
    public SingleOutputStreamOperator<RowChange> changes(StreamExecutionEnvironment env) {
        return env.fromSource(changeSource(), config.bounded() ? StateStreamWatermarks.untilTheEnd() : StateStreamWatermarks.alwaysIdle(), "cdc source")
                .uid("cdc-source")
                .process(new SplitChanges())
                .uid("cdc-route")
                .name("route changes");
    }

    /** Stage 2, enrich: device, then vehicle and reservation, from keyed state. */
    public SingleOutputStreamOperator<EnrichedTelemetry> enrich(DataStream<EnrichedTelemetry> readings, DataStream<RowChange> changes) {
        DataStream<RowChange> deviceChanges = changes.filter(change -> ChangeRouter.DEVICES.equals(change.table())).name("devices");
        DataStream<RowChange> vehicleChanges = changes.filter(change -> !ChangeRouter.DEVICES.equals(change.table())).name("vehicles and reservations");
        DataStream<EnrichedTelemetry> withDevice = readings
                .keyBy(EnrichedTelemetry::getDeviceId, Types.STRING)
                .connect(deviceChanges.keyBy(RowChange::key, Types.STRING))
                .transform("join devices", TypeInformation.of(EnrichedTelemetry.class), new StateJoinOperator(new DeviceJoin(config.enrichmentMaxWait())))
                .uid("join-devices")
                .name("join devices");
        return withDevice
                .keyBy(VehicleJoin::keyOf, Types.STRING)
                .connect(vehicleChanges.keyBy(RowChange::key, Types.STRING))
                .transform("join vehicles and reservations", TypeInformation.of(EnrichedTelemetry.class), new StateJoinOperator(new VehicleJoin(config.enrichmentMaxWait())))
                .uid("join-vehicles")
                .name("join vehicles and reservations");
    }

    /** Stage 3, detect: the stream is still partitioned by the vehicle key, so no second shuffle. */
    public DataStream<Alert> detect(DataStream<EnrichedTelemetry> enriched) {
        return DataStreamUtils
                .reinterpretAsKeyedStream(enriched, VehicleJoin::keyOf, Types.STRING)
                .process(new EventTimeRuleFunction(new RuleEngine(config.rules())), TypeInformation.of(Alert.class))
                .uid("rules")
                .name("rules: " + String.join(", ", config.rules().rules().stream().map(dev.tributary.alerts.Rule::name).toList()));
    }

    /**
     * Stage 3b, statistical detection: per entity, the mean of each metric per event-time
     * window, then a streaming detector per entity and metric (Random Cut Forest with a
     * warm-up, plus contextual novelty), with the alert lifecycle open, escalate, resolve.
     */
    public DataStream<Alert> detectAnomalies(DataStream<EnrichedTelemetry> enriched) {
        AnomalyConfig anomaly = config.anomaly();
        return DataStreamUtils
                .reinterpretAsKeyedStream(enriched, VehicleJoin::keyOf, Types.STRING)
                .window(new ReadingTimeWindows(anomaly.window()))
                .aggregate(new MetricWindowAggregator(anomaly.metrics()), new MetricWindowAggregator.Emit(),
                        TypeInformation.of(MetricWindowAggregator.Accumulator.class), TypeInformation.of(MetricWindowAggregator.Accumulator.class),
                        TypeInformation.of(WindowAggregate.class))
                .uid("anomaly-windows")
                .name("anomaly: window means per entity")
                .keyBy(WindowAggregate::entityKey, Types.STRING)
                .process(new AnomalyDetectionFunction(anomaly.settings(), anomaly.metrics(), anomaly.window(), anomaly.maxAlertsPerEntityPerHour()),
                        TypeInformation.of(Alert.class))
                .uid("anomaly-detect")
                .name("anomaly: detectors per entity");
    }

    /**
     * Raw readings from a Kinesis stream, with Flink's {@code FlinkKinesisConsumer} (shard positions
     * in checkpoints; enhanced fan-out and the rest of its settings through {@code kinesis.property.*}).
     * Its newer {@code KinesisStreamsSource} addresses streams by ARN only, which kinesalite does not
     * understand. A job without a checkpoint starts as {@code source.starting-offsets} says.
     */
    private FlinkKinesisConsumer<ParsedTelemetry> kinesisSource(KinesisConfig kinesis) {
        Properties consumer = kinesis.clientProperties();
        consumer.putIfAbsent(ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                config.startingOffsets() == PipelineConfig.StartingOffsets.LATEST ? "LATEST" : "TRIM_HORIZON");
        consumer.putIfAbsent(ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS, Long.toString(config.idleness().toMillis()));
        FlinkKinesisConsumer<ParsedTelemetry> source = new FlinkKinesisConsumer<>(KinesisConfig.streamName(kinesis.streamArn()),
                new KinesisTelemetryDeserializer(config.readingLimits(), config.drift(), layout(), Catalogs.loader(config.lake())), consumer);
        source.setPeriodicWatermarkAssigner(new ShardWatermarks(config.outOfOrderness()));
        return source;
    }

    /**
     * Event time per Kinesis shard, as the Kafka source keeps it per partition: the consumer
     * gives every shard its own copy and emits the oldest shard's watermark, so a subtask that
     * reads several shards (more shards than subtasks, or one shard catching up) does not turn
     * the slower shards' readings late. A shard quiet for {@code watermark.idleness} stops
     * holding the others back.
     */
    static final class ShardWatermarks extends BoundedOutOfOrdernessTimestampExtractor<ParsedTelemetry> {
        ShardWatermarks(Duration outOfOrderness) {
            super(outOfOrderness);
        }

        @Override
        public long extractTimestamp(ParsedTelemetry parsed) {
            return parsed.eventTimeMillis();
        }
    }

    /** An at-least-once sink to a Kinesis stream (Kinesis has no transactions), partitioned by {@code partitionKey}. */
    private <T> KinesisStreamsSink<T> kinesisSink(String streamArn, SerializationSchema<T> serializer, PartitionKeyGenerator<T> partitionKey) {
        return KinesisStreamsSink.<T>builder()
                .setStreamName(KinesisConfig.streamName(streamArn))
                .setKinesisClientProperties(config.kinesis().clientProperties())
                .setSerializationSchema(serializer)
                .setPartitionKeyGenerator(partitionKey)
                .setFailOnError(false)
                .build();
    }

    private KafkaSource<ParsedTelemetry> telemetrySource() {
        KafkaSourceBuilder<ParsedTelemetry> builder = KafkaSource.<ParsedTelemetry>builder()
                .setTopics(config.telemetryTopic())
                .setDeserializer(new TelemetryDeserializer(config.readingLimits(), config.drift(), layout(), Catalogs.loader(config.lake())));
        return kafka.configureSource(builder, config.consumerGroupId()).build();
    }

    private KafkaSource<ParsedChange> changeSource() {
        KafkaSourceBuilder<ParsedChange> builder = KafkaSource.<ParsedChange>builder()
                .setTopicPattern(config.cdcTopicPattern())
                .setDeserializer(new ChangeDeserializer());
        return kafka.configureSource(builder, config.consumerGroupId() + "-cdc")
                // The operational state is rebuilt from the beginning of the change topics.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .build();
    }

    /** Valid readings go on; dead letters and drift leave by side outputs. */
    static final class SplitParsed extends ProcessFunction<ParsedTelemetry, EnrichedTelemetry> {
        @Override
        public void processElement(ParsedTelemetry parsed, Context context, Collector<EnrichedTelemetry> out) {
            for (SchemaChangeEvent drift : parsed.drift()) {
                context.output(DRIFT, drift);
            }
            if (parsed.reading() != null) {
                out.collect(parsed.reading());
            } else {
                context.output(DEAD_LETTERS, parsed.deadLetter());
            }
        }
    }

    /** Row changes go on; unreadable change events leave by a side output. */
    static final class SplitChanges extends ProcessFunction<ParsedChange, RowChange> {
        @Override
        public void processElement(ParsedChange parsed, Context context, Collector<RowChange> out) {
            if (parsed.change() != null) {
                out.collect(parsed.change());
            } else {
                context.output(DEAD_LETTERS, parsed.deadLetter());
            }
        }
    }
}
