package dev.tributary.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shaded jar's entry point refuses bad arguments before it builds anything. */
class JobLauncherTest {
    @Test
    void helpPrintsTheUsage() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JobLauncher.main(new String[] {"--help"});
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Usage: JobLauncher <job>").contains("telemetry");
    }

    @Test
    void aMissingConfigurationFileIsNamed() {
        assertThatThrownBy(() -> JobLauncher.main(new String[] {"telemetry", "--config", "/no/such/pipeline.properties"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--config")
                .hasMessageContaining("/no/such/pipeline.properties");
    }

    @Test
    void unknownArgumentsAndBadSettingsAreNamed() {
        assertThatThrownBy(() -> JobLauncher.main(new String[] {"telemetry", "--parallel", "4"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'--parallel'");
        assertThatThrownBy(() -> JobLauncher.main(new String[] {"telemetry", "--set", "job.parallelism"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("job.parallelism");
        assertThatThrownBy(() -> JobLauncher.main(new String[] {"telemetry", "--set", "kafka.bootstrap-servers=k:9092",
                "--set", "catalog.warehouse=file:///tmp/w", "--set", "catalog.uri=jdbc:sqlite::memory:", "--set", "job.parallelism=zero"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'zero'")
                .hasMessageContaining("'job.parallelism'");
    }

    @Test
    void anUnknownJobIsNamed() {
        assertThatThrownBy(() -> JobLauncher.main(new String[] {"mirror", "--set", "kafka.bootstrap-servers=k:9092",
                "--set", "catalog.warehouse=file:///tmp/w", "--set", "catalog.uri=jdbc:sqlite::memory:"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'mirror'");
    }
}
