package dev.tributary.mirror;

/** A record of a change topic as it was read: where from, and its key and value bytes. */
public record CdcRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}
