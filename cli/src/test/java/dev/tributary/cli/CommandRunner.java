package dev.tributary.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the command line in-process, for tests in any package. */
public final class CommandRunner {
    private CommandRunner() {}

    /** One run: its exit code and what it printed. */
    public record Result(int exitCode, String out, String err) {}

    public static Result run(String... args) {
        return runWith(System.getenv(), args);
    }

    /** A run that looks secrets up in {@code environment} instead of this process's. */
    public static Result runWith(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Tributary.execute(new PrintWriter(out, true), new PrintWriter(err, true), environment, args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
