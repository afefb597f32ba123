package dev.tributary.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Java 24+ runtime for Trino is found, and what a missing one says. */
class TrinoInstallationTest {
    @TempDir
    Path jvms;

    private Path fakeRuntime(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void theNewestRuntimeOf24OrLaterIsChosen() throws IOException {
        fakeRuntime("java-17-openjdk-amd64", "17.0.15");
        fakeRuntime("jdk-24", "24.0.2");
        Path newest = fakeRuntime("temurin-25-jdk-amd64", "25.0.1");
        assertThat(TrinoInstallation.findJava(Map.of(), jvms)).isEqualTo(newest);
        assertThat(TrinoInstallation.javaVersion(jvms.resolve("java-17-openjdk-amd64"))).contains(17);
    }

    @Test
    void trinoJavaHomeWinsAndMustBe24OrLater() throws IOException {
        fakeRuntime("temurin-25-jdk-amd64", "25.0.1");
        Path chosen = fakeRuntime("jdk-24", "24");
        assertThat(TrinoInstallation.findJava(Map.of("TRINO_JAVA_HOME", chosen.toString()), jvms)).isEqualTo(chosen);
        Path old = fakeRuntime("java-17", "17.0.15");
        assertThatThrownBy(() -> TrinoInstallation.findJava(Map.of("TRINO_JAVA_HOME", old.toString()), jvms))
                .hasMessageContaining("TRINO_JAVA_HOME=" + old).hasMessageContaining("Java 17").hasMessageContaining("needs Java 24 or later");
    }

    @Test
    void noRuntimeOf24OrLaterSaysHowToProvideOne() throws IOException {
        fakeRuntime("java-17-openjdk-amd64", "17.0.15");
        fakeRuntime("java-21", "21.0.5");
        assertThatThrownBy(() -> TrinoInstallation.findJava(Map.of("JAVA_HOME", jvms.resolve("java-21").toString()), jvms))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Trino 476 needs Java 24 or later")
                .hasMessageContaining("set TRINO_JAVA_HOME");
    }
}
