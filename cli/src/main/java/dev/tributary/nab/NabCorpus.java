package dev.tributary.nab;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A NAB-layout corpus: series under {@code DIR/<category>/<series>.csv} and a labels file
 * mapping {@code <category>/<series>.csv} to its windows ({@code [[start, end], ...]}).
 * Series are listed in name order; a series without labels is an error, since NAB would
 * not know how to score it.
 */
public final class NabCorpus {
    private final Path dataDirectory;
    private final Map<String, List<NabWindow>> windows;
    private final List<String> names;

    private NabCorpus(Path dataDirectory, Map<String, List<NabWindow>> windows, List<String> names) {
        this.dataDirectory = dataDirectory;
        this.windows = windows;
        this.names = names;
    }

    public static NabCorpus open(Path dataDirectory, Path labelsFile) throws IOException {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(labelsFile, "labelsFile is null");
        if (!Files.isDirectory(dataDirectory)) {
            throw new IOException("not a directory: " + dataDirectory);
        }
        Map<String, List<NabWindow>> windows = readLabels(labelsFile);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDirectory, 2)) {
            files.filter(file -> file.getFileName().toString().endsWith(".csv"))
                    .filter(file -> dataDirectory.relativize(file).getNameCount() == 2)
                    .map(file -> dataDirectory.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .forEach(names::add);
        }
        if (names.isEmpty()) {
            throw new IOException("no series under " + dataDirectory + " (expected <category>/<series>.csv)");
        }
        for (String name : names) {
            if (!windows.containsKey(name)) {
                throw new IOException("the labels file " + labelsFile + " has no entry for " + name);
            }
        }
        return new NabCorpus(dataDirectory, windows, List.copyOf(names));
    }

    static Map<String, List<NabWindow>> readLabels(Path labelsFile) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(labelsFile.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the labels file " + labelsFile + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("the labels file " + labelsFile + " is not a JSON object of series to windows");
        }
        Map<String, List<NabWindow>> windows = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            List<NabWindow> list = new ArrayList<>();
            for (JsonNode pair : entry.getValue()) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw new IOException(labelsFile + ": " + entry.getKey() + ": expected [start, end] windows, found " + pair);
                }
                try {
                    list.add(new NabWindow(NabSeries.parseTimestamp(pair.get(0).asText()), NabSeries.parseTimestamp(pair.get(1).asText())));
                } catch (RuntimeException e) {
                    throw new IOException(labelsFile + ": " + entry.getKey() + ": " + e.getMessage(), e);
                }
            }
            list.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis()));
            windows.put(entry.getKey(), List.copyOf(list));
        }
        return windows;
    }

    /** The series' names, {@code <category>/<series>.csv}, in order. */
    public List<String> names() {
        return names;
    }

    public List<NabWindow> windows(String name) {
        List<NabWindow> list = windows.get(name);
        if (list == null) {
            throw new IllegalArgumentException("no such series: " + name);
        }
        return list;
    }

    public NabSeries series(String name) throws IOException {
        return NabSeries.read(name, dataDirectory.resolve(name));
    }
}
