package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.local.RunningStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tributary local up / status / down} with real processes: the three services outlive
 * the command, {@code query} goes to Trino while they run and back to Flink once they are down,
 * and {@code down} leaves none of them running.
 */
class LocalCommandTest {
    @TempDir
    Path lakeDirectory;

    @Test
    void upStartsLongRunningProcessesThatQueryUsesAndDownStops() throws Exception {
        String lake = lakeDirectory.toString();
        RunningStack stack = null;
        try {
            CommandRunner.Result up = CommandRunner.run("local", "up", "--lake-dir", lake, "--trino-port", "0", "--catalog-port", "0", "--kafka-port", "0");
            assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
            assertThat(up.out()).contains("REST catalog ready on").contains("Trino ready on").contains("Kafka ready on").contains("Local stack up in");
            stack = RunningStack.read(lakeDirectory).orElseThrow();
            System.out.println(up.out());

            CommandRunner.Result status = CommandRunner.run("local", "status", "--lake-dir", lake);
            assertThat(status.exitCode()).as(status.out()).isZero();
            assertThat(status.out()).doesNotContain("DOWN").contains(stack.trinoJdbcUrl("fleet"));

            String printed = captureStandardOutput(() -> assertThat(Tributary.execute("query", "--lake-dir", lake, "--format", "csv",
                    "SELECT count(*) AS nations FROM tpch.tiny.nation")).isZero());
            assertThat(printed).isEqualTo("nations\n25\n");
            // The lake catalog of Trino is the REST catalog (Iceberg); its schemas answer.
            printed = captureStandardOutput(() -> assertThat(Tributary.execute("query", "--lake-dir", lake, "--format", "csv",
                    "SELECT count(*) AS schemas FROM information_schema.schemata WHERE schema_name = 'information_schema'")).isZero());
            assertThat(printed).isEqualTo("schemas\n1\n");

            // The demo writes through the running stack's REST catalog by itself: Trino reads its tables, no copy.
            String demo = captureStandardOutput(() -> assertThat(Tributary.execute("demo", "--lake-dir", lake, "--vehicles", "5", "--events", "400",
                    "--rate", "0", "--web-port", "0", "--parallelism", "1")).isZero());
            assertThat(demo).contains("the jobs write through its Iceberg REST catalog (" + stack.catalogUri() + ")");
            printed = captureStandardOutput(() -> assertThat(Tributary.execute("query", "--lake-dir", lake, "--format", "csv",
                    "SELECT count(*) AS readings, count(DISTINCT event_id) AS ids FROM telemetry")).isZero());
            assertThat(printed).isEqualTo("readings,ids\n400,400\n");

            CommandRunner.Result again = CommandRunner.run("local", "up", "--lake-dir", lake, "--trino-port", "0", "--catalog-port", "0", "--kafka-port", "0");
            assertThat(again.exitCode()).isNotZero();

            CommandRunner.Result down = CommandRunner.run("local", "down", "--lake-dir", lake);
            assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
            assertThat(down.out()).contains("Local stack down.");
            for (long pid : new long[] {stack.catalogPid(), stack.trinoPid(), stack.kafkaPid()}) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid + " after down").isFalse();
            }
            stack = null;
            assertThat(CommandRunner.run("local", "status", "--lake-dir", lake).exitCode()).isEqualTo(1);
            // Without Trino, query is the Flink SQL query over the JDBC lake again: there is none here.
            CommandRunner.Result fallback = CommandRunner.run("query", "--lake-dir", lake, "SELECT 1");
            assertThat(fallback.exitCode()).isEqualTo(2);
            assertThat(fallback.err()).contains("no lake there");
        } finally {
            if (stack != null) {
                RunningStack.down(lakeDirectory, new java.io.PrintWriter(System.out, true));
            }
        }
    }

    @Test
    void everyLocalCommandHasHelp() {
        for (String[] command : new String[][] {{"local", "--help"}, {"local", "up", "--help"}, {"local", "down", "--help"}, {"local", "status", "--help"}}) {
            CommandRunner.Result result = CommandRunner.run(command);
            assertThat(result.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(result.out()).startsWith("Usage: tributary local");
        }
        assertThat(CommandRunner.run("local", "up", "--help").out()).contains("--trino-port").contains("--catalog-port").contains("--kafka-port").contains("TRINO_JAVA_HOME");
    }

    @Test
    void aTakenPortIsNamedBeforeAnythingStarts() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CommandRunner.Result result = CommandRunner.run("local", "up", "--lake-dir", lakeDirectory.toString(), "--catalog-port", "0", "--kafka-port", "0",
                    "--trino-port", Integer.toString(port));
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).contains("Port " + port).contains("--trino-port");
            assertThat(RunningStack.read(lakeDirectory)).isEmpty();
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String captureStandardOutput(Action action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
