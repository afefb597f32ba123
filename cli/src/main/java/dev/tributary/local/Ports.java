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

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on this machine", e);
        }
    }
}
