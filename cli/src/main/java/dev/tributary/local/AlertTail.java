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
    private volatile boolean running = true;

    /** An alert as it arrived: the event, its data, and the wall-clock time it was read. */
    public record Received(CloudEvent event, Alert alert, long receivedAtMillis) {}

    public AlertTail(String bootstrapServers, String topic) {
        this.consumer = Topics.consumer(bootstrapServers, java.util.Map.of(), IsolationLevel.READ_UNCOMMITTED);
        List<TopicPartition> partitions = new ArrayList<>();
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
