package dev.tributary.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line, with its exit code and what it printed. */
record CommandRun(int exitCode, String out, String err) {
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Tributary.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
