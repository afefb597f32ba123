package dev.tributary.capture;

import java.util.List;

/**
 * The database is not set up for change data capture. Each problem says what is wrong and how
 * to fix it, so that the person who reads it can act without looking anything up.
 */
public final class CaptureSetupException extends RuntimeException {
    private final List<String> problems;

    public CaptureSetupException(String database, List<String> problems) {
        super("The " + database + " database is not ready for change data capture:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
