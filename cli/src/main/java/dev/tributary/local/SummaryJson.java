package dev.tributary.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A command's summary: printed as indented JSON, and written to a file when one is asked for. */
public final class SummaryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    /** @param file where to write it too; null for nowhere */
    public static void printAndWrite(Object summary, PrintStream out, Path file) throws IOException {
        out.println(MAPPER.writeValueAsString(summary));
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MAPPER.writeValue(file.toFile(), summary);
        }
    }
}
