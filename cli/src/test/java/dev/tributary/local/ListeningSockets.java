package dev.tributary.local;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state that given processes hold, read from Linux's {@code /proc}: the
 * inodes of each process's open sockets ({@code /proc/<pid>/fd/* -> socket:[inode]}) matched
 * against {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    /** A listening socket: its local address and port, and the process holding it. */
    record Socket(InetAddress address, int port, long pid, String command) {
        /** Whether only this machine can connect: 127.0.0.0/8, ::1, or ::ffff:127.x.x.x. */
        boolean loopbackOnly() {
            byte[] bytes = address.getAddress();
            if (address.isLoopbackAddress()) {
                return true;
            }
            // An IPv4-mapped IPv6 address is turned into an Inet4Address by InetAddress; keep the check for clarity.
            return bytes.length == 16 && isMappedLoopback(bytes);
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port + " (pid " + pid + ", " + command + ")";
        }
    }

    private ListeningSockets() {}

    /** The listening sockets of this JVM, every process it started (and theirs), and the given processes and theirs. */
    static List<Socket> ofThisJvmAndChildren(long... morePids) throws IOException {
        Set<Long> pids = new HashSet<>();
        pids.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(process -> pids.add(process.pid()));
        for (long pid : morePids) {
            pids.add(pid);
            ProcessHandle.of(pid).ifPresent(process -> process.descendants().forEach(child -> pids.add(child.pid())));
        }
        List<Socket> sockets = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (!fields[3].equals(LISTEN)) {
                    continue;
                }
                long inode = Long.parseLong(fields[9]);
                for (long pid : pids) {
                    if (socketInodes(pid).contains(inode)) {
                        String[] local = fields[1].split(":");
                        sockets.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16), pid, command(pid)));
                    }
                }
            }
        }
        return sockets;
    }

    private static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            descriptors.forEach(descriptor -> {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            // the process ended meanwhile
        }
        return inodes;
    }

    private static String command(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().command()).orElse("?");
    }

    /** {@code /proc/net/tcp*} addresses: hex, in 32-bit words of host (little-endian) order. */
    static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            byte[] value = new BigInteger("1" + hex.substring(word * 8, word * 8 + 8), 16).toByteArray();
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = value[value.length - 1 - i];
            }
        }
        return InetAddress.getByAddress(bytes);
    }

    private static boolean isMappedLoopback(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff && bytes[12] == 127;
    }
}
