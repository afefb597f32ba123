package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TributaryCommandLineTest {
    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Tributary.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"--help"}, {"demo", "--help"}, {"query", "--help"}, {"bench", "--help"}, {"bench", "telemetry", "--help"},
                {"capture", "--help"}, {"bench", "cdc", "--help"}, {"bench", "detect", "--help"}, {"nab", "--help"}, {"alerts", "tail", "--help"}, {"drift", "check", "--help"},
                {"emr", "--help"}, {"emr", "submit", "--help"}, {"emr", "status", "--help"}}) {
            out.getBuffer().setLength(0);
            assertThat(run(command)).as(String.join(" ", command)).isZero();
            assertThat(out.toString()).startsWith("Usage: tributary");
        }
    }

    @Test
    void aBadOptionValueNamesTheOptionAndTheValue() {
        assertThat(run("demo", "--vehicles", "0", "--lake-dir", directory.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'0'").contains("--vehicles");
    }

    @Test
    void aBadConfigurationValueNamesTheKeyAndTheValueBeforeAnythingStarts() {
        assertThat(run("demo", "--lake-dir", directory.toString(), "--set", "checkpoint.interval=soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon'").contains("'checkpoint.interval'");
    }

    @Test
    void aTakenPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(run("demo", "--lake-dir", directory.toString(), "--web-port", Integer.toString(port))).isEqualTo(2);
            assertThat(err.toString()).contains("Port " + port).contains("--web-port");
        }
    }

    @Test
    void queryRefusesAnUnknownFormatAndAMissingLake() {
        assertThat(run("query", "--lake-dir", directory.toString(), "--format", "xml", "SELECT 1")).isEqualTo(2);
        assertThat(err.toString()).contains("'xml'").contains("--format");
        err.getBuffer().setLength(0);
        assertThat(run("query", "--lake-dir", directory.resolve("nothing").toString(), "SELECT 1")).isEqualTo(2);
        assertThat(err.toString()).contains("no lake there");
    }
}
