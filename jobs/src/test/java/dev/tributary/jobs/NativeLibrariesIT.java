package dev.tributary.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.jobs.NativeLibraries.NativeBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar runs on Graviton (EMR on m7g/r7g/c7g): every native library in it, nested jars included,
 * has a Linux AArch64 build, read from the binary's header. Runs in {@code verify}, after {@code package}
 * built the jar; the table of what the jar holds goes to {@code target/native-libraries.txt}.
 */
class NativeLibrariesIT {
    /**
     * Libraries allowed without a Linux AArch64 build, with the reason each is never loaded on the cluster.
     * Empty today: snappy-java, zstd-jni and lz4-java, the only native code in the jar, all ship linux/aarch64.
     */
    private static final Map<String, String> ALLOWED_WITHOUT_AARCH64 = Map.of();

    @Test
    void everyNativeLibraryInTheShadedJarHasALinuxAarch64Build() throws IOException {
        Path jar = Path.of(System.getProperty("tributary.shaded-jar", "target/tributary-jobs-0.1.0-SNAPSHOT-flink.jar"));
        assertThat(jar).as("the shaded jar `package` builds").isRegularFile();

        List<NativeBuild> builds = NativeLibraries.scan(jar);
        String report = NativeLibraries.report(builds);
        Files.writeString(jar.resolveSibling("native-libraries.txt"), report);
        System.out.print(report);

        assertThat(builds).as("the jar holds the compression codecs' native builds").isNotEmpty();
        assertThat(NativeLibraries.withoutAarch64Build(builds, ALLOWED_WITHOUT_AARCH64))
                .as("libraries with no linux/aarch64 build (add one, exclude it from the shade, or allow it with a reason):\n" + report)
                .isEmpty();
        assertThat(NativeLibraries.byLibrary(builds).keySet()).as("allowed libraries that are still in the jar")
                .containsAll(ALLOWED_WITHOUT_AARCH64.keySet());
    }
}
