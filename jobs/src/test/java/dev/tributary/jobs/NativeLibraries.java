package dev.tributary.jobs;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The native libraries inside a jar (and inside the jars nested in it), each with the operating system
 * and processor it is built for. The processor is read from the binary's own header (ELF, Mach-O, PE),
 * not from its path; the path only tells Android and the BSDs apart from Linux, whose ELF headers look alike.
 */
final class NativeLibraries {
    /** Operating systems a native build can be for. */
    enum OperatingSystem { LINUX, ANDROID, FREEBSD, SOLARIS, AIX, MACOS, WINDOWS, UNKNOWN }

    /** Processors a native build can be for. */
    enum Processor { AARCH64, ARM32, X86_64, X86, PPC64, PPC, S390X, RISCV64, LOONGARCH64, MIPS, SPARC, UNKNOWN }

    /** One native file: where it is ({@code outer.jar!/inner/lib.so} for nested jars), the library it builds, and for what. */
    record NativeBuild(String path, String library, OperatingSystem operatingSystem, Processor processor) {
        NativeBuild {
            requireNonNull(path, "path is null");
            requireNonNull(library, "library is null");
            requireNonNull(operatingSystem, "operatingSystem is null");
            requireNonNull(processor, "processor is null");
        }

        /** Loadable on Graviton: Linux (glibc, not Android) on AArch64. */
        boolean runsOnGraviton() {
            return operatingSystem == OperatingSystem.LINUX && processor == Processor.AARCH64;
        }
    }

    private static final String[] NATIVE_SUFFIXES = {".so", ".dll", ".dylib", ".jnilib", ".a"};

    private NativeLibraries() {}

    /** Every native build in {@code jar}, nested jars included, in the order of the entries. */
    static List<NativeBuild> scan(Path jar) throws IOException {
        List<NativeBuild> builds = new ArrayList<>();
        try (InputStream in = Files.newInputStream(jar)) {
            scan(in, "", builds);
        }
        return builds;
    }

    /**
     * The libraries none of whose builds runs on Graviton, with their builds, leaving out those in
     * {@code allowedWithoutAarch64} (library name to the reason it is never loaded on the cluster).
     */
    static Map<String, List<NativeBuild>> withoutAarch64Build(List<NativeBuild> builds, Map<String, String> allowedWithoutAarch64) {
        Map<String, List<NativeBuild>> byLibrary = byLibrary(builds);
        Map<String, List<NativeBuild>> missing = new TreeMap<>();
        byLibrary.forEach((library, libraryBuilds) -> {
            if (libraryBuilds.stream().noneMatch(NativeBuild::runsOnGraviton) && !allowedWithoutAarch64.containsKey(library)) {
                missing.put(library, libraryBuilds);
            }
        });
        return missing;
    }

    /** The builds grouped by library name, sorted. */
    static Map<String, List<NativeBuild>> byLibrary(List<NativeBuild> builds) {
        Map<String, List<NativeBuild>> byLibrary = new TreeMap<>();
        for (NativeBuild build : builds) {
            byLibrary.computeIfAbsent(build.library(), name -> new ArrayList<>()).add(build);
        }
        return byLibrary;
    }

    /** One line per library: its name, whether it has a Graviton build, and the platforms it is built for. */
    static String report(List<NativeBuild> builds) {
        StringBuilder out = new StringBuilder();
        byLibrary(builds).forEach((library, libraryBuilds) -> {
            TreeSet<String> platforms = new TreeSet<>();
            libraryBuilds.forEach(build -> platforms.add(build.operatingSystem().name().toLowerCase(Locale.ROOT) + "/"
                    + build.processor().name().toLowerCase(Locale.ROOT)));
            String graviton = libraryBuilds.stream().filter(NativeBuild::runsOnGraviton).map(NativeBuild::path).findFirst()
                    .map(path -> "linux/aarch64 at " + path).orElse("NO linux/aarch64 build");
            out.append(library).append(": ").append(graviton).append("; ").append(libraryBuilds.size()).append(" builds: ")
                    .append(String.join(", ", platforms)).append('\n');
        });
        return out.toString();
    }

    private static void scan(InputStream jar, String prefix, List<NativeBuild> builds) throws IOException {
        ZipInputStream zip = new ZipInputStream(jar);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (entry.isDirectory()) {
                continue;
            }
            String name = entry.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".jar")) {
                scan(new ByteArrayInputStream(zip.readAllBytes()), prefix + name + "!/", builds);
            } else if (isNative(lower)) {
                byte[] header = zip.readNBytes(4096);
                builds.add(new NativeBuild(prefix + name, libraryName(name), operatingSystem(lower, header), processor(header)));
            }
        }
    }

    private static boolean isNative(String lowerCaseName) {
        String fileName = lowerCaseName.substring(lowerCaseName.lastIndexOf('/') + 1);
        for (String suffix : NATIVE_SUFFIXES) {
            if (fileName.endsWith(suffix)) {
                return true;
            }
        }
        return fileName.matches(".+\\.so\\.[0-9.]+");
    }

    /** {@code linux/aarch64/libzstd-jni-1.5.6-4.so} and {@code win/amd64/libzstd-jni-1.5.6-4.dll} are both {@code zstd-jni-1.5.6-4}. */
    static String libraryName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1).replaceFirst("(?i)\\.(so(\\.[0-9.]+)?|dll|dylib|jnilib|a)$", "");
        return base.startsWith("lib") && base.length() > 3 ? base.substring(3) : base;
    }

    private static OperatingSystem operatingSystem(String lowerCasePath, byte[] header) {
        if (isElf(header)) {
            if (lowerCasePath.contains("android")) {
                return OperatingSystem.ANDROID;
            }
            if (lowerCasePath.contains("freebsd") || (header[7] & 0xFF) == 9) {
                return OperatingSystem.FREEBSD;
            }
            if (lowerCasePath.contains("sunos") || lowerCasePath.contains("solaris")) {
                return OperatingSystem.SOLARIS;
            }
            return OperatingSystem.LINUX;
        }
        if (machOCpuType(header) != 0) {
            return OperatingSystem.MACOS;
        }
        if (peMachine(header) != 0) {
            return OperatingSystem.WINDOWS;
        }
        if (isXcoff(header)) {
            return OperatingSystem.AIX;
        }
        return OperatingSystem.UNKNOWN;
    }

    private static Processor processor(byte[] header) {
        if (isElf(header)) {
            boolean littleEndian = header[5] == 1;
            int machine = littleEndian ? (header[18] & 0xFF) | (header[19] & 0xFF) << 8 : (header[18] & 0xFF) << 8 | (header[19] & 0xFF);
            return switch (machine) {
                case 0xB7 -> Processor.AARCH64;
                case 0x28 -> Processor.ARM32;
                case 0x3E -> Processor.X86_64;
                case 0x03 -> Processor.X86;
                case 0x15 -> Processor.PPC64;
                case 0x14 -> Processor.PPC;
                case 0x16 -> Processor.S390X;
                case 0xF3 -> Processor.RISCV64;
                case 0x102 -> Processor.LOONGARCH64;
                case 0x08 -> Processor.MIPS;
                case 0x02, 0x12, 0x2B -> Processor.SPARC;
                default -> Processor.UNKNOWN;
            };
        }
        int cpuType = machOCpuType(header);
        if (cpuType != 0) {
            return switch (cpuType) {
                case 0x0100000C -> Processor.AARCH64;
                case 0x01000007 -> Processor.X86_64;
                case 0x7 -> Processor.X86;
                default -> Processor.UNKNOWN;
            };
        }
        int peMachine = peMachine(header);
        if (peMachine != 0) {
            return switch (peMachine) {
                case 0xAA64 -> Processor.AARCH64;
                case 0x8664 -> Processor.X86_64;
                case 0x014C -> Processor.X86;
                default -> Processor.UNKNOWN;
            };
        }
        if (isXcoff(header)) {
            return header[1] == (byte) 0xF7 ? Processor.PPC64 : Processor.PPC;
        }
        return Processor.UNKNOWN;
    }

    /** AIX's XCOFF objects (0x01DF 32-bit, 0x01F7 64-bit), also what its {@code .a} shared libraries hold. */
    private static boolean isXcoff(byte[] header) {
        return header.length >= 2 && header[0] == 0x01 && (header[1] == (byte) 0xDF || header[1] == (byte) 0xF7);
    }

    private static boolean isElf(byte[] header) {
        return header.length >= 20 && header[0] == 0x7F && header[1] == 'E' && header[2] == 'L' && header[3] == 'F';
    }

    /** The CPU type of a thin Mach-O file, or of the first architecture of a universal one; 0 when not Mach-O. */
    private static int machOCpuType(byte[] header) {
        if (header.length < 8) {
            return 0;
        }
        int bigEndianMagic = readInt(header, 0, false);
        if (bigEndianMagic == 0xCAFEBABE && header.length >= 12 && readInt(header, 4, false) < 32) {
            return readInt(header, 8, false); // universal binary: nfat_arch, then the first fat_arch's cputype
        }
        if (bigEndianMagic == 0xCFFAEDFE || bigEndianMagic == 0xCEFAEDFE) {
            return readInt(header, 4, true);
        }
        if (bigEndianMagic == 0xFEEDFACF || bigEndianMagic == 0xFEEDFACE) {
            return readInt(header, 4, false);
        }
        return 0;
    }

    /** The machine field of a PE file's COFF header; 0 when not PE. */
    private static int peMachine(byte[] header) {
        if (header.length < 0x40 || header[0] != 'M' || header[1] != 'Z') {
            return 0;
        }
        int offset = readInt(header, 0x3C, true);
        if (offset < 0 || offset + 6 > header.length || header[offset] != 'P' || header[offset + 1] != 'E'
                || header[offset + 2] != 0 || header[offset + 3] != 0) {
            return 0;
        }
        return (header[offset + 4] & 0xFF) | (header[offset + 5] & 0xFF) << 8;
    }

    private static int readInt(byte[] bytes, int offset, boolean littleEndian) {
        int b0 = bytes[offset] & 0xFF;
        int b1 = bytes[offset + 1] & 0xFF;
        int b2 = bytes[offset + 2] & 0xFF;
        int b3 = bytes[offset + 3] & 0xFF;
        return littleEndian ? b0 | b1 << 8 | b2 << 16 | b3 << 24 : b0 << 24 | b1 << 16 | b2 << 8 | b3;
    }
}
