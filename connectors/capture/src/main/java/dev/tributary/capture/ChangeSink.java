package dev.tributary.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the capture service sends change events. {@link #flush()} returns only when every record
 * sent so far is durable (or throws): offsets are committed after it.
 */
public interface ChangeSink extends AutoCloseable {
    void send(String topic, byte[] key, byte[] value, Long timestamp);

    void flush();

    @Override
    void close();

    /** A sink that counts and drops: to measure the engine alone. */
    static ChangeSink discarding(AtomicLong records) {
        return new ChangeSink() {
            @Override
            public void send(String topic, byte[] key, byte[] value, Long timestamp) {
                records.incrementAndGet();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }
}
