package dev.tributary.nab;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Arrays;

/**
 * One NAB series: {@code timestamp,value} rows in time order, named as NAB names it
 * ({@code <category>/<series>.csv}, the key of the labels file).
 */
public record NabSeries(String name, long[] timestamps, double[] values) {
    /** NAB's timestamps: {@code 2014-04-10 07:15:00}, optionally with a fraction of a second. */
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    public NabSeries {
        requireNonNull(name, "name is null");
        requireNonNull(timestamps, "timestamps is null");
        requireNonNull(values, "values is null");
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
    }

    public int size() {
        return timestamps.length;
    }

    public static long parseTimestamp(String text) {
        return LocalDateTime.parse(text.trim(), TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Reads a series file; errors name the file and the line. */
    public static NabSeries read(String name, Path file) throws IOException {
        long[] timestamps = new long[1024];
        double[] values = new double[1024];
        int rows = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null || !header.trim().startsWith("timestamp")) {
                throw new IOException(file + ": expected a header 'timestamp,value'");
            }
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                if (comma < 0) {
                    throw new IOException(file + ":" + lineNumber + ": expected 'timestamp,value', found '" + line + "'");
                }
                if (rows == timestamps.length) {
                    timestamps = Arrays.copyOf(timestamps, rows * 2);
                    values = Arrays.copyOf(values, rows * 2);
                }
                try {
                    timestamps[rows] = parseTimestamp(line.substring(0, comma));
                    values[rows] = Double.parseDouble(line.substring(comma + 1).trim());
                } catch (RuntimeException e) {
                    throw new IOException(file + ":" + lineNumber + ": " + e.getMessage(), e);
                }
                rows++;
            }
        }
        return new NabSeries(name, Arrays.copyOf(timestamps, rows), Arrays.copyOf(values, rows));
    }
}
