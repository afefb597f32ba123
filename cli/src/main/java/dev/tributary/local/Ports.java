package dev.tributary.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Port checks for the local services, so that a taken port is named before anything starts. */
public final class Ports {
    private Ports() {}

    /** Fails with a message naming the port when it is taken; port 0 (any free port) always passes. */
    public static void requireFree(int port, String what, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new PortInUseException(port, what, option);
        }
    }

    /** Starts a service on a given port; fails when it cannot. */
    @FunctionalInterface
    public interface Starter<T> {
        T start(int port) throws IOException, InterruptedException;
    }

    static final int START_ATTEMPTS = 5;

    /**
     * Starts a service (a child process, usually) on a port that was free a moment ago. Another
     * process may take the port between the check and the child's bind; the child then fails to
     * start, and the port is found taken: another free port is tried, {@value #START_ATTEMPTS}
     * times at most. A failure while the port is still free is the service's own, and is thrown.
     * {@code start} must stop what it started before it fails.
     */
    public static <T> T startOnFreePort(Starter<T> start) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                return start.start(port);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (attempt >= START_ATTEMPTS || e instanceof InterruptedException || isFree(port)) {
                    throw e;
                }
            }
        }
    }

    /** Whether nothing listens on {@code port} of the loopback address. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on this machine", e);
        }
    }
}
