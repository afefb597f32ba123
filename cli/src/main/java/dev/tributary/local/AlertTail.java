package dev.tributary.local;

import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.format.InvalidRecordException;
import dev.tributary.schemas.alerts.Alert;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows an alert topic from its beginning, the way a subscriber would: reads each record as
 * a CloudEvent, drops repeats of the same {@code source} and {@code id} (the idempotency key),
 * and keeps what arrived and when.
 */
public final class AlertTail implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AlertCloudEvents events = new AlertCloudEvents("tail");
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final String bootstrapServers;
    private final List<TopicPartition> partitions = new ArrayList<>();
    /** The tail's position in each partition after its last poll: how far it has read. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** An alert as it arrived: the event, its data, and the wall-clock time it was read. */
    public record Received(CloudEvent event, Alert alert, long receivedAtMillis) {}

    public AlertTail(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.consumer = Topics.consumer(bootstrapServers, java.util.Map.of(), IsolationLevel.READ_UNCOMMITTED);
        consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::poll, "alert-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    records.incrementAndGet();
                    long now = System.currentTimeMillis();
                    try {
                        CloudEvent event = AlertCloudEvents.fromKafkaRecord(record);
                        if (seen.add(event.getSource() + " " + event.getId())) {
                            received.add(new Received(event, events.alertOf(event), now));
                        }
                    } catch (InvalidRecordException | RuntimeException e) {
                        unreadable.incrementAndGet();
                    }
                }
                for (TopicPartition partition : partitions) {
                    positions.put(partition, consumer.position(partition));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Distinct alerts received, by status. */
    public List<Received> received(String status) {
        return received.stream().filter(r -> r.alert().getStatus().equals(status)).toList();
    }

    /** Distinct opened alerts by type. */
    public Map<String, Long> openedByType() {
        Map<String, Long> counts = new TreeMap<>();
        for (Received r : received("opened")) {
            counts.merge(r.alert().getAlertType(), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Waits until the tail has read everything the topic holds now (its end offsets, read
     * uncommitted, as the tail reads): once the writers have stopped, nothing more is coming.
     */
    public void awaitEverythingRead(Duration timeout) throws InterruptedException {
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<byte[], byte[]> probe = Topics.consumer(bootstrapServers, java.util.Map.of(), IsolationLevel.READ_UNCOMMITTED)) {
            ends = probe.endOffsets(partitions);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ends.entrySet().stream().allMatch(end -> positions.getOrDefault(end.getKey(), -1L) >= end.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the alert tail did not read up to " + ends + " within " + timeout + "; it is at " + positions);
            }
            Thread.sleep(50);
        }
    }

    /** Distinct alerts received, every status. */
    public long distinct() {
        return received.size();
    }

    /** Records read, repeats included. */
    public long records() {
        return records.get();
    }

    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
