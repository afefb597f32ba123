package dev.tributary.e2e;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything logged in this JVM (through Log4j 2, where SLF4J leads here) while it is open: every
 * logger at INFO at least, Kafka's SASL and TLS code at DEBUG, each event's message and the stack
 * trace of its exception. Closing it restores the configuration from log4j2.xml.
 */
final class CapturedLog implements AutoCloseable {
    private static final String NAME = "captured-for-test";

    private final LoggerContext context;
    private final List<String> events = new CopyOnWriteArrayList<>();

    private CapturedLog(LoggerContext context) {
        this.context = context;
    }

    static CapturedLog start() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        CapturedLog log = new CapturedLog(context);
        AbstractAppender appender = new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                log.events.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage() + stackTrace(event.getThrown()));
            }
        };
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.INFO);
        Configurator.setLevel("org.apache.kafka.common.security", Level.DEBUG);
        Configurator.setLevel("org.apache.kafka.common.network", Level.DEBUG);
        context.updateLoggers();
        return log;
    }

    /** The events so far, each as {@code <logger> <message>[ <stack trace>]}. */
    List<String> events() {
        return new ArrayList<>(events);
    }

    static String stackTrace(Throwable thrown) {
        if (thrown == null) {
            return "";
        }
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return "\n" + text;
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(NAME);
        context.reconfigure();
    }
}
