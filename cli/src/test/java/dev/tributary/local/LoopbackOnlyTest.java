package dev.tributary.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.query.LakeQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service the local stack and the tests start listens on the loopback interface only: the
 * Kafka broker, the Flink MiniCluster of the stack and the one {@code query} starts (web UI, blob
 * server, RPC), the Iceberg REST catalog's child JVM, S3Proxy, PostgreSQL and MariaDB. Read from
 * {@code /proc}: every TCP socket in LISTEN state this JVM and its descendants hold (and
 * PostgreSQL's postmaster, which daemonizes) must be bound to 127.0.0.0/8 or ::1, never to
 * {@code 0.0.0.0} or {@code ::}. Trino is checked in {@code LocalCommandTest}, Druid in {@code DruidIngestTest}.
 */
@Timeout(300)
class LoopbackOnlyTest {
    @TempDir
    Path directory;

    /** {@code query}'s Flink SQL on the stack's lake, once its namespace exists. */
    private static LakeQuery lakeQuery(dev.tributary.config.LakeConfig lake) {
        org.apache.iceberg.catalog.Catalog catalog = dev.tributary.lake.Catalogs.open(lake);
        try {
            ((org.apache.iceberg.catalog.SupportsNamespaces) catalog).createNamespace(org.apache.iceberg.catalog.Namespace.of(lake.namespace()));
        } finally {
            dev.tributary.lake.Catalogs.closeQuietly(catalog);
        }
        return new LakeQuery(lake);
    }

    @Test
    void everyLocalServiceListensOnLoopbackOnly() throws Exception {
        try (LocalStack stack = LocalStack.start(directory.resolve("lake"), 0, 2);
             LocalRestCatalog catalog = LocalRestCatalog.start(directory.resolve("rest-lake"), 0, directory.resolve("rest-catalog.log"));
             LocalS3 s3 = LocalS3.start(directory.resolve("s3"), "loopback");
             LocalPostgres postgres = LocalPostgres.start(0, directory.resolve("postgres"), "logical");
             LocalMariaDb mariadb = LocalMariaDb.start(directory.resolve("mariadb"), 0, "ROW");
             LakeQuery query = lakeQuery(stack.lake().lakeConfig("fleet"))) {
            long postmaster = Long.parseLong(Files.readAllLines(directory.resolve("postgres/postmaster.pid")).get(0).strip());
            List<ListeningSockets.Socket> before = ListeningSockets.ofThisJvmAndChildren(postmaster);
            Map<Integer, ListeningSockets.Socket> byPort = before.stream()
                    .collect(Collectors.toMap(ListeningSockets.Socket::port, socket -> socket, (first, second) -> first));
            int kafkaPort = Integer.parseInt(stack.kafka().bootstrapServers().replaceAll(".*:", ""));
            assertThat(byPort).as("listening sockets found: %s", before).containsKeys(kafkaPort, stack.flink().webUi().getPort(), catalog.port(),
                    s3.endpoint().getPort(), postgres.endpoint().port(), mariadb.endpoint().port());
            assertThat(before).as("listening sockets").allSatisfy(LoopbackOnlyTest::isLoopbackOnly);

            // query's Flink SQL runs on a MiniCluster of its own, for as long as the query runs: watch its sockets meanwhile.
            query.rows("CREATE TEMPORARY TABLE numbers (n BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '2000000', 'rows-per-second' = '2000000')");
            Set<ListeningSockets.Socket> seen = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (running.get()) {
                    try {
                        seen.addAll(ListeningSockets.ofThisJvmAndChildren(postmaster));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }, "socket-watcher");
            watcher.start();
            try {
                assertThat(query.rows("SELECT count(*) FROM numbers")).singleElement().satisfies(row -> assertThat(row.getField(0)).isEqualTo(2_000_000L));
            } finally {
                running.set(false);
                watcher.join();
            }
            Set<Integer> portsBefore = byPort.keySet();
            assertThat(seen).as("sockets the query's MiniCluster opened").anySatisfy(socket -> assertThat(portsBefore).doesNotContain(socket.port()));
            assertThat(seen).as("listening sockets while the query ran").allSatisfy(LoopbackOnlyTest::isLoopbackOnly);
        }
    }

    private static void isLoopbackOnly(ListeningSockets.Socket socket) {
        assertThat(socket.loopbackOnly()).as("%s is bound to loopback only", socket).isTrue();
    }
}
