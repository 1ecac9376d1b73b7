package org.referralhub.camel.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;

/**
 * The administrators' web console: a few static files (HTML, CSS, JavaScript; no build step) packaged with the hub
 * and served at {@code /console/}. They hold no data and need no sign-in; everything the console shows or changes
 * it asks of the admin API with the administrator's token, so it can do nothing the API cannot.
 */
public final class ConsoleRoutes extends RouteBuilder {

    /** The console's files: flat names only, so nothing outside {@code console/} can be asked for. */
    private static final Pattern FILE = Pattern.compile("^[a-z][a-z0-9-]*\\.(html|css|js|svg)$");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");
    /** The pages run only their own scripts and styles, talk only to this origin, and are never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, String> files = new ConcurrentHashMap<>();

    @Override
    public void configure() {
        from(Endpoints.CONSOLE).routeId("console").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::serve);
    }

    private void serve(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        String name = request.pathParameters() == null ? null : request.pathParameters().get("file");
        if (name == null || name.isEmpty()) {
            // /console: the page itself, under /console/ so its relative links resolve
            exchange.getMessage().setBody(new ApiReply(308, Map.of("Location", "/console/index.html"), ""));
            return;
        }
        if (!FILE.matcher(name).matches()) {
            throw notFound(name);
        }
        // only the console's own files are kept (a handful); a name that is not one is answered, never remembered
        String body = files.get(name);
        if (body == null) {
            body = read(name);
            if (body.isEmpty()) {
                throw notFound(name);
            }
            files.put(name, body);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cache-Control", "no-cache");
        exchange.getMessage().setBody(new ApiReply(200, headers, body));
    }

    private static ApiProblem notFound(String name) {
        return new ApiProblem(404, "not-found", "No such page", "The console has no file " + name + ".");
    }

    /** A file of the console, or "" when there is none. */
    private static String read(String name) {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream("console/" + name)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the console's " + name, e);
        }
    }
}
