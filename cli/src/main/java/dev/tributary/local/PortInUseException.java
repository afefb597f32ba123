package dev.tributary.local;

/** A local service could not bind its port. The message names the port and the option that sets it. */
public final class PortInUseException extends IllegalStateException {
    public PortInUseException(int port, String what, String option) {
        super("Port " + port + " (" + what + ") is already in use on this machine; choose another with " + option);
    }
}
