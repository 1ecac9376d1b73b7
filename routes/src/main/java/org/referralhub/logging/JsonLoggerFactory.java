package org.referralhub.logging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/**
 * Loggers by name, with their level: {@code LOG_LEVEL} (environment or system property, default INFO) for the hub's
 * own, WARN for the libraries that talk a lot at INFO (Camel, the AWS SDK, MINA SSHD, Jetty, GreenMail, DynamoDB
 * Local).
 */
final class JsonLoggerFactory implements ILoggerFactory {

    private static final Map<String, Level> QUIET = Map.of(
            "org.apache.camel", Level.WARN, "software.amazon.awssdk", Level.WARN, "org.apache.sshd", Level.WARN,
            "org.eclipse.jetty", Level.WARN, "com.icegreen", Level.WARN, "com.amazonaws.services.dynamodbv2", Level.WARN,
            "org.apache.http", Level.WARN, "org.apache.hc", Level.WARN, "org.apache.poi", Level.WARN);

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final MDCAdapter mdc;
    private final Level level;

    JsonLoggerFactory(MDCAdapter mdc) {
        this.mdc = mdc;
        String configured = System.getProperty("LOG_LEVEL", System.getenv("LOG_LEVEL"));
        Level parsed = Level.INFO;
        if (configured != null && !configured.isBlank()) {
            try {
                parsed = Level.valueOf(configured.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                parsed = Level.INFO;
            }
        }
        this.level = parsed;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, levelOf(n), mdc));
    }

    private Level levelOf(String name) {
        for (Map.Entry<String, Level> quiet : QUIET.entrySet()) {
            if (name.startsWith(quiet.getKey()) && level.toInt() < quiet.getValue().toInt()) {
                return quiet.getValue();
            }
        }
        return level;
    }
}
