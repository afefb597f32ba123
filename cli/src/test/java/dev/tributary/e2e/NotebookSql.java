package dev.tributary.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The SQL statements of the notebooks' {@code .sql} files: comments dropped, split on semicolons. */
final class NotebookSql {
    private NotebookSql() {}

    static List<String> statements(Path directory) throws IOException {
        List<String> statements = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".sql")).sorted().toList()) {
                StringBuilder text = new StringBuilder();
                for (String line : Files.readAllLines(file)) {
                    if (!line.strip().startsWith("--")) {
                        text.append(line).append('\n');
                    }
                }
                for (String statement : text.toString().split(";")) {
                    if (!statement.isBlank()) {
                        statements.add(statement.strip());
                    }
                }
            }
        }
        return statements;
    }
}
