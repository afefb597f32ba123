package dev.tributary.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.jobs.NativeLibraries.NativeBuild;
import dev.tributary.jobs.NativeLibraries.OperatingSystem;
import dev.tributary.jobs.NativeLibraries.Processor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native-library scan on jars made here, with binaries whose headers say what they are built for. */
class NativeLibrariesTest {
    @Test
    void theProcessorComesFromTheHeaderAndNestedJarsAreOpened(@TempDir Path directory) throws IOException {
        Map<String, byte[]> inner = new LinkedHashMap<>();
        inner.put("native/linux/x86_64/libinner.so", elf(0x3E));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("org/example/native/Linux/aarch64/libgood.so", elf(0xB7));
        entries.put("org/example/native/Linux/x86_64/libgood.so", elf(0x3E));
        entries.put("org/example/native/Mac/aarch64/libgood.dylib", machO(0x0100000C));
        entries.put("org/example/native/Windows/x86_64/good.dll", pe(0x8664));
        entries.put("lib/inner-1.0.jar", jar(inner));
        Path jar = Files.write(directory.resolve("outer.jar"), jar(entries));

        List<NativeBuild> builds = NativeLibraries.scan(jar);

        assertThat(builds).containsExactly(
                new NativeBuild("org/example/native/Linux/aarch64/libgood.so", "good", OperatingSystem.LINUX, Processor.AARCH64),
                new NativeBuild("org/example/native/Linux/x86_64/libgood.so", "good", OperatingSystem.LINUX, Processor.X86_64),
                new NativeBuild("org/example/native/Mac/aarch64/libgood.dylib", "good", OperatingSystem.MACOS, Processor.AARCH64),
                new NativeBuild("org/example/native/Windows/x86_64/good.dll", "good", OperatingSystem.WINDOWS, Processor.X86_64),
                new NativeBuild("lib/inner-1.0.jar!/native/linux/x86_64/libinner.so", "inner", OperatingSystem.LINUX, Processor.X86_64));
        assertThat(NativeLibraries.withoutAarch64Build(builds, Map.of())).containsOnlyKeys("inner");
        assertThat(NativeLibraries.withoutAarch64Build(builds, Map.of("inner", "test: never loaded"))).isEmpty();
        assertThat(NativeLibraries.report(builds)).contains("good: linux/aarch64 at org/example/native/Linux/aarch64/libgood.so; 4 builds")
                .contains("inner: NO linux/aarch64 build; 1 builds: linux/x86_64");
    }

    @Test
    void aPathThatSaysAarch64DoesNotMakeAnX86BinaryOne(@TempDir Path directory) throws IOException {
        Path jar = Files.write(directory.resolve("mislabelled.jar"), jar(Map.of("linux/aarch64/libmislabelled.so", elf(0x3E))));
        assertThat(NativeLibraries.withoutAarch64Build(NativeLibraries.scan(jar), Map.of())).containsOnlyKeys("mislabelled");
    }

    @Test
    void androidFreeBsdMacOsAndWindowsArmBuildsDoNotCountForGraviton(@TempDir Path directory) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("native/Linux/android-aarch64/libphone.so", elf(0xB7));
        entries.put("freebsd/aarch64/libbsd.so", elf(0xB7));
        entries.put("darwin/aarch64/libmac.dylib", machO(0x0100000C));
        entries.put("win/aarch64/windows.dll", pe(0xAA64));
        Path jar = Files.write(directory.resolve("elsewhere.jar"), jar(entries));
        assertThat(NativeLibraries.withoutAarch64Build(NativeLibraries.scan(jar), Map.of())).containsOnlyKeys("phone", "bsd", "mac", "windows");
    }

    @Test
    void libraryNamesIgnoreTheLibPrefixAndTheExtension() {
        assertThat(NativeLibraries.libraryName("linux/aarch64/libzstd-jni-1.5.6-4.so")).isEqualTo("zstd-jni-1.5.6-4");
        assertThat(NativeLibraries.libraryName("win/amd64/libzstd-jni-1.5.6-4.dll")).isEqualTo("zstd-jni-1.5.6-4");
        assertThat(NativeLibraries.libraryName("Windows/x86/snappyjava.dll")).isEqualTo("snappyjava");
        assertThat(NativeLibraries.libraryName("Mac/x86/libsnappyjava.jnilib")).isEqualTo("snappyjava");
    }

    private static byte[] elf(int machine) {
        byte[] header = new byte[64];
        header[0] = 0x7F;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[4] = 2; // 64-bit
        header[5] = 1; // little-endian
        header[6] = 1;
        header[16] = 3; // ET_DYN
        header[18] = (byte) machine;
        header[19] = (byte) (machine >> 8);
        return header;
    }

    private static byte[] machO(int cpuType) {
        byte[] header = new byte[32];
        header[0] = (byte) 0xCF;
        header[1] = (byte) 0xFA;
        header[2] = (byte) 0xED;
        header[3] = (byte) 0xFE;
        for (int i = 0; i < 4; i++) {
            header[4 + i] = (byte) (cpuType >> (8 * i));
        }
        return header;
    }

    private static byte[] pe(int machine) {
        byte[] header = new byte[0x60];
        header[0] = 'M';
        header[1] = 'Z';
        header[0x3C] = 0x40;
        header[0x40] = 'P';
        header[0x41] = 'E';
        header[0x44] = (byte) machine;
        header[0x45] = (byte) (machine >> 8);
        return header;
    }

    private static byte[] jar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
