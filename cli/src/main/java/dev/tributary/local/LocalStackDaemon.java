package dev.tributary.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * The background JVM of {@code ./tributary local up} that holds the Kafka broker (the broker runs
 * in-process, from Kafka's test kit, so it needs a JVM of its own to outlive the command). It
 * writes the broker's bootstrap servers to the file it is given once the broker is ready, and
 * stops the broker on SIGTERM ({@code ./tributary local down}).
 *
 * <p>Usage: {@code LocalStackDaemon <kafka port, 0 for any> <ready file>}
 */
public final class LocalStackDaemon {
    private LocalStackDaemon() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalStackDaemon <kafka port> <ready file>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path ready = Path.of(args[1]);
        LocalKafka kafka = LocalKafka.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "local-stack-shutdown"));
        Path written = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(written, kafka.bootstrapServers() + "\n", StandardCharsets.UTF_8);
        Files.move(written, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("Kafka broker ready on " + kafka.bootstrapServers());
        stopped.await();
    }
}
