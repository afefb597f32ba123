package dev.tributary.mirror;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.MirrorConfig;
import dev.tributary.lake.LakeMaintenance;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules {@link LakeMaintenance} for each mirrored table that receives changes: the first
 * change after a run sets a timer {@code maintenance.interval} ahead; the run itself goes to a
 * background thread, so that checkpoints never wait for a compaction.
 */
public final class MaintenanceFunction extends KeyedProcessFunction<String, String, LakeMaintenance.Report> {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceFunction.class);
    private static final int RETAIN_LAST_SNAPSHOTS = 5;

    private final MirrorConfig config;
    private final CatalogLoader catalogLoader;

    private transient ValueState<Long> scheduled;
    private transient ExecutorService executor;
    private transient Catalog catalog;
    private transient Set<String> running;

    public MaintenanceFunction(MirrorConfig config, CatalogLoader catalogLoader) {
        this.config = requireNonNull(config, "config is null");
        this.catalogLoader = requireNonNull(catalogLoader, "catalogLoader is null");
    }

    @Override
    public void open(OpenContext context) {
        scheduled = getRuntimeContext().getState(new ValueStateDescriptor<>("maintenance-scheduled", Types.LONG));
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-lake-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        catalog = catalogLoader.loadCatalog();
        running = ConcurrentHashMap.newKeySet();
    }

    @Override
    public void processElement(String table, Context context, Collector<LakeMaintenance.Report> out) throws Exception {
        if (scheduled.value() == null) {
            long at = context.timerService().currentProcessingTime() + config.maintenanceInterval().toMillis();
            context.timerService().registerProcessingTimeTimer(at);
            scheduled.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LakeMaintenance.Report> out) throws Exception {
        scheduled.clear();
        String table = context.getCurrentKey();
        if (!running.add(table)) {
            return;
        }
        executor.execute(() -> {
            try {
                Table loaded = catalog.loadTable(TableIdentifier.parse(table));
                LakeMaintenance.Report report = new LakeMaintenance(Clock.systemUTC())
                        .maintain(loaded, config.maintenanceMinFiles(), config.snapshotRetention(), RETAIN_LAST_SNAPSHOTS);
                LOG.info("Maintained {}: {} -> {}{}, {} snapshots expired", table, report.before(), report.after(),
                        report.compacted() ? " (compacted)" : "", report.snapshotsExpired());
            } catch (RuntimeException e) {
                LOG.warn("Maintenance of {} failed; it runs again after the next change: {}", table, e.toString());
            } finally {
                running.remove(table);
            }
        });
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
