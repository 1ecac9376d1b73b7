package org.referralhub.logging;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;

/**
 * One JSON line per event: {@code time}, {@code level}, {@code logger}, {@code message}, the context in force
 * ({@code correlationId}, {@code referralId}, … from the MDC) and, for a failure, {@code error}: the exception's class
 * and where it was thrown — <em>never its message</em>, because a parser's or a library's message can quote the input
 * it choked on, and the input is a person's data. The hub's own messages carry ids, never client data.
 */
public final class JsonLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final List<Consumer<String>> SINKS = new CopyOnWriteArrayList<>();
    private static volatile PrintStream out = System.err;

    private final transient MDCAdapter mdc;
    private final Level level;

    JsonLogger(String name, Level level, MDCAdapter mdc) {
        this.name = name;
        this.level = level;
        this.mdc = mdc;
    }

    /** Also hands every line to {@code sink} (a log audit reads them all); answers a handle that stops it. */
    public static AutoCloseable tee(Consumer<String> sink) {
        SINKS.add(sink);
        return () -> SINKS.remove(sink);
    }

    @Override
    public boolean isTraceEnabled() {
        return level.toInt() <= Level.TRACE.toInt();
    }

    @Override
    public boolean isDebugEnabled() {
        return level.toInt() <= Level.DEBUG.toInt();
    }

    @Override
    public boolean isInfoEnabled() {
        return level.toInt() <= Level.INFO.toInt();
    }

    @Override
    public boolean isWarnEnabled() {
        return level.toInt() <= Level.WARN.toInt();
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level at, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "time", Instant.now().toString()).append(',');
        field(line, "level", at.name()).append(',');
        field(line, "logger", name).append(',');
        field(line, "message", MessageFormatter.basicArrayFormat(pattern, arguments));
        Map<String, String> context = mdc.getCopyOfContextMap();
        if (context != null) {
            for (Map.Entry<String, String> e : context.entrySet()) {
                line.append(',');
                field(line, e.getKey(), e.getValue());
            }
        }
        if (throwable != null) {
            line.append(",\"error\":");
            error(line, throwable);
        }
        String text = line.append('}').toString();
        out.println(text);
        for (Consumer<String> sink : SINKS) {
            sink.accept(text);
        }
    }

    /** The class and the first frames of a failure and of its causes, without their messages. */
    private static void error(StringBuilder line, Throwable throwable) {
        line.append('{');
        field(line, "type", throwable.getClass().getName());
        StackTraceElement[] frames = throwable.getStackTrace();
        line.append(",\"at\":[");
        for (int i = 0; i < Math.min(frames.length, 8); i++) {
            if (i > 0) {
                line.append(',');
            }
            string(line, frames[i].toString());
        }
        line.append(']');
        if (throwable.getCause() != null && throwable.getCause() != throwable) {
            line.append(",\"cause\":");
            error(line, throwable.getCause());
        }
        line.append('}');
    }

    private static StringBuilder field(StringBuilder line, String key, String value) {
        string(line, key);
        line.append(':');
        return string(line, value);
    }

    private static StringBuilder string(StringBuilder line, String value) {
        if (value == null) {
            return line.append("null");
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        return line.append('"');
    }
}
