package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.DriftConfig;
import dev.tributary.lake.AcceptedShape;
import dev.tributary.lake.TelemetryLakeLayout;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses in the source, so that watermarks come from each partition's own event times and
 * a quiet partition can be marked idle. Never throws: bad records become dead letters.
 *
 * <p>With drift checking on, each record is parsed by {@link DriftHandler}: its shape is compared
 * with the registered schema of device readings plus what the lake accepted since, the drift
 * policies apply, and what differs travels with the parsed record, to be reported once per
 * distinct change downstream.
 */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<ParsedTelemetry> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TelemetryDeserializer.class);
    private final Parsing parsing;

    /** Without drift checking. */
    public TelemetryDeserializer(int maxEventBytes) {
        this(ReadingLimits.ofSize(maxEventBytes), new DriftConfig(false, DriftConfig.OnFieldAdded.QUARANTINE, DriftConfig.OnTypeConflict.QUARANTINE), null, null);
    }

    /** {@code layout} and {@code catalog} are needed when added fields evolve the lake. */
    public TelemetryDeserializer(int maxEventBytes, DriftConfig drift, TelemetryLakeLayout layout, CatalogLoader catalog) {
        this(ReadingLimits.ofSize(maxEventBytes), drift, layout, catalog);
    }

    /** {@code layout} and {@code catalog} are needed when added fields evolve the lake. */
    public TelemetryDeserializer(ReadingLimits limits, DriftConfig drift, TelemetryLakeLayout layout, CatalogLoader catalog) {
        this.parsing = new Parsing(limits, drift, layout, catalog);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedTelemetry> out) {
        out.collect(parsing.parse(RecordOrigin.kafka(record.topic(), record.partition(), record.offset()), record.timestamp(),
                record.key(), record.value()));
    }

    @Override
    public TypeInformation<ParsedTelemetry> getProducedType() {
        return TypeInformation.of(ParsedTelemetry.class);
    }

    /** Parsing in a source, whichever the source: the parser, and the drift handler when drift checking is on; made on first use. */
    static final class Parsing implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final ReadingLimits limits;
        private final DriftConfig drift;
        private final TelemetryLakeLayout layout;
        private final CatalogLoader catalog;
        private transient TelemetryParser parser;
        private transient DriftHandler driftHandler;

        Parsing(ReadingLimits limits, DriftConfig drift, TelemetryLakeLayout layout, CatalogLoader catalog) {
            this.limits = requireNonNull(limits, "limits is null");
            this.drift = requireNonNull(drift, "drift is null");
            this.layout = layout;
            this.catalog = catalog;
        }

        /**
         * Never throws for a record: whatever fails while reading one (a bug, or a lake that refused
         * its new column) makes it a dead letter that names the error, so one record cannot fail the
         * job and, replayed after the restart, fail it again. An outage of the catalog or the object
         * store while evolving the lake ({@link Outages}) is not the record's fault: it fails the
         * job, which restarts from its checkpoint and reads the record again.
         */
        ParsedTelemetry parse(RecordOrigin origin, long timestamp, byte[] key, byte[] value) {
            try {
                return parseOrThrow(origin, timestamp, key, value);
            } catch (RuntimeException | StackOverflowError e) {
                if (Outages.isOutage(e)) {
                    // The catalog or the store is unreachable: not the record's fault. The job fails, and restarts from its checkpoint.
                    throw e;
                }
                LOG.warn("Dead-lettering the record at {} partition {} offset {}{}: reading it failed", origin.topic(), origin.partition(),
                        origin.offset(), origin.sequenceNumber() == null ? "" : " sequence number " + origin.sequenceNumber(), e);
                return ParsedTelemetry.invalid(origin.deadLetter(timestamp, key, value, "unreadable: reading the record failed with " + e, TelemetryParser.STAGE));
            }
        }

        private ParsedTelemetry parseOrThrow(RecordOrigin origin, long timestamp, byte[] key, byte[] value) {
            if (parser == null) {
                parser = new TelemetryParser(limits);
                if (drift.enabled()) {
                    boolean evolves = drift.onFieldAdded() == DriftConfig.OnFieldAdded.EVOLVE;
                    driftHandler = new DriftHandler(drift, parser, evolves ? new AcceptedShape(layout, catalog) : null);
                }
            }
            long now = System.currentTimeMillis();
            return driftHandler == null
                    ? parser.parse(origin, timestamp, key, value, now)
                    : driftHandler.parse(origin, timestamp, key, value, now);
        }
    }
}
