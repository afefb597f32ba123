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
    private final Parsing parsing;

    /** Without drift checking. */
    public TelemetryDeserializer(int maxEventBytes) {
        this(maxEventBytes, new DriftConfig(false, DriftConfig.OnFieldAdded.QUARANTINE, DriftConfig.OnTypeConflict.QUARANTINE), null, null);
    }

    /** {@code layout} and {@code catalog} are needed when added fields evolve the lake. */
    public TelemetryDeserializer(int maxEventBytes, DriftConfig drift, TelemetryLakeLayout layout, CatalogLoader catalog) {
        this.parsing = new Parsing(maxEventBytes, drift, layout, catalog);
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
        private final int maxEventBytes;
        private final DriftConfig drift;
        private final TelemetryLakeLayout layout;
        private final CatalogLoader catalog;
        private transient TelemetryParser parser;
        private transient DriftHandler driftHandler;

        Parsing(int maxEventBytes, DriftConfig drift, TelemetryLakeLayout layout, CatalogLoader catalog) {
            this.maxEventBytes = maxEventBytes;
            this.drift = requireNonNull(drift, "drift is null");
            this.layout = layout;
            this.catalog = catalog;
        }

        ParsedTelemetry parse(RecordOrigin origin, long timestamp, byte[] key, byte[] value) {
            if (parser == null) {
                parser = new TelemetryParser(maxEventBytes);
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
