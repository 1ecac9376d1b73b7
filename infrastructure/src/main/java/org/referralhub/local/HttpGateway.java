package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.referralhub.camel.ApiProblem;
import org.referralhub.referral.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for API Gateway's HTTP API: matches each request against the same route keys template.yaml
 * declares, builds the payload-format-2.0 event API Gateway would send, and invokes the function of that route.
 * It also serves the sandbox partners under {@code /sandbox/}, which in AWS would be the partners' own servers.
 */
final class HttpGateway implements AutoCloseable {

    /** API Gateway's own payload limit. */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern SANDBOX = Pattern.compile("^/sandbox/((?:partners|agencies)/[a-z0-9-]+)/(webhook|deliveries|failures)$");

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "local-gateway");
        t.setDaemon(true);
        return t;
    });
    private final List<RouteKey> routes;
    private final SandboxPartners sandbox;

    /** One route key of the HTTP API and the function API Gateway would invoke for it. */
    private record RouteKey(String key, String method, Pattern path, List<String> parameters,
                            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
        static RouteKey of(String key, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
            String[] parts = key.split(" ", 2);
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(parts[1]);
            StringBuilder regex = new StringBuilder("^");
            int last = 0;
            while (m.find()) {
                boolean greedy = m.group(1).endsWith("+");
                regex.append(Pattern.quote(parts[1].substring(last, m.start()))).append(greedy ? "(.+)" : "([^/]+)");
                names.add(greedy ? m.group(1).substring(0, m.group(1).length() - 1) : m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(parts[1].substring(last))).append("$");
            return new RouteKey(key, parts[0], Pattern.compile(regex.toString()), names, function);
        }
    }

    HttpGateway(String address, int port, Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
                SandboxPartners sandbox) throws IOException {
        this.sandbox = sandbox;
        // as API Gateway does: a route without a greedy {name+} path variable, or with a method, wins over ANY and {proxy+}
        this.routes = functions.entrySet().stream().map(e -> RouteKey.of(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing((RouteKey r) -> r.key().contains("+}"))
                        .thenComparing(r -> r.method().equals("ANY")))
                .toList();
        this.server = HttpServer.create(new InetSocketAddress(address, port), 64);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    HttpGateway start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                problem(exchange, 413, "too-large", "Payload too large",
                        "A request body may be at most " + MAX_PAYLOAD + " bytes (API Gateway's own limit).");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Matcher sandboxPath = SANDBOX.matcher(path);
            if (sandboxPath.matches()) {
                sandbox(exchange, sandboxPath.group(1), sandboxPath.group(2), body);
                return;
            }
            String asked = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            // HEAD is GET without the body (HTTP's own rule): a monitor's HEAD /health is answered as GET's
            String method = asked.equals("HEAD") ? "GET" : asked;
            for (RouteKey route : routes) {
                Matcher m = route.path().matcher(path);
                if ((route.method().equals(method) || route.method().equals("ANY")) && m.matches()) {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    for (int i = 0; i < route.parameters().size(); i++) {
                        parameters.put(route.parameters().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                    APIGatewayV2HTTPResponse response = route.function().handleRequest(
                            event(exchange, route.key(), parameters, body),
                            new LocalLambdaContext(route.function().getClass().getSimpleName()));
                    byte[] out = response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                            : response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
                    send(exchange, response.getStatusCode(), response.getHeaders(), asked.equals("HEAD") ? new byte[0] : out);
                    return;
                }
            }
            problem(exchange, 404, "not-found", "No such route",
                    asked + " " + path + " is none of the hub's routes; see README's API tables.");
        } catch (RuntimeException e) {
            LOG.error("gateway failure: {}", e.getClass().getName());
            problem(exchange, 500, "internal", "Internal error", "The gateway failed; the hub's log has the reason.");
        }
    }

    private void sandbox(HttpExchange exchange, String partnerId, String action, byte[] body) throws IOException {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        if (!sandbox.knows(partnerId)) {
            send(exchange, 404, json, "{\"message\":\"no such partner or agency\"}");
            return;
        }
        String method = exchange.getRequestMethod();
        if (!action.equals("webhook") && !sandbox.administrator(exchange.getRequestHeaders().getFirst("Authorization"))) {
            // what partners received holds clients' data; the failure switch stops deliveries: administrators only
            problem(exchange, 401, "unauthenticated", "Missing or unknown admin token",
                    "A sandbox receiver's deliveries and failures are an administrator's: send Authorization: Bearer <token>.");
            return;
        }
        if (action.equals("webhook") && method.equals("POST")) {
            int status = sandbox.receive(partnerId, headers(exchange), body);
            send(exchange, status, json, "{\"received\":" + (status == 200) + "}");
        } else if (action.equals("deliveries") && method.equals("GET")) {
            send(exchange, 200, json, SandboxPartners.json(sandbox.summary(partnerId)));
        } else if (action.equals("failures") && method.equals("POST")) {
            var request = CanonicalJson.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
            int status = request.path("status").asInt(503);
            if (request.has("forSeconds")) {
                sandbox.downFor(partnerId, request.path("forSeconds").asLong(), status);
                send(exchange, 200, json, "{\"downForSeconds\":" + request.path("forSeconds").asLong() + "}");
            } else if (request.has("hangSeconds")) {
                sandbox.hangNext(partnerId, request.path("count").asInt(1), request.path("hangSeconds").asLong() * 1000,
                        request.path("status").asInt(200));
                send(exchange, 200, json, "{\"hanging\":" + request.path("count").asInt(1) + "}");
            } else {
                sandbox.failNext(partnerId, request.path("count").asInt(1), status);
                send(exchange, 200, json, "{\"failing\":" + request.path("count").asInt(1) + "}");
            }
        } else {
            problem(exchange, 405, "method-not-allowed", "Method not allowed",
                    "A sandbox receiver takes POST …/webhook, GET …/deliveries and POST …/failures.");
        }
    }

    private static boolean utf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, String routeKey, Map<String, String> pathParameters,
                                               byte[] body) {
        Map<String, String> headers = headers(exchange);
        String contentType = headers.getOrDefault("content-type", "");
        // text goes as text, as API Gateway passes it; bytes that are not UTF-8 go as Base64, so they arrive as sent
        boolean text = (contentType.isEmpty() || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded")) && utf8(body);
        String query = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(query == null ? "" : query)
                .withHeaders(headers)
                .withQueryStringParameters(query(query))
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName("localhost")
                        .withDomainPrefix("localhost")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod().toUpperCase(Locale.ROOT))
                                .withPath(exchange.getRequestURI().getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    /** Header names in lower case, repeated values joined with commas: as API Gateway HTTP APIs deliver them. */
    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> out.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return out;
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.merge(name, value, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD + 1);
        if (body.length <= MAX_PAYLOAD) {
            return body;
        }
        // too large: the rest is read and dropped (up to a bound), so the sender reads the 413 rather than a
        // connection reset in the middle of its upload
        byte[] drop = new byte[64 * 1024];
        long dropped = 0;
        for (int n; dropped < 6L * MAX_PAYLOAD && (n = in.read(drop)) > 0; ) {
            dropped += n;
        }
        return null;
    }

    /** The gateway's own refusals, as the hub's are: an RFC 9457 problem. */
    private static void problem(HttpExchange exchange, int status, String type, String title, String detail)
            throws IOException {
        send(exchange, status, Map.of("Content-Type", "application/problem+json"), CanonicalJson.write(
                new ApiProblem.Body("/problems/" + type, title, status, detail, exchange.getRequestURI().getRawPath(),
                        null, null)));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        if (headers != null) {
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
