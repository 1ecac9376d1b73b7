package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.referralhub.camel.ApiProblem;
import org.referralhub.referral.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for API Gateway's HTTP API: matches each request against the same route keys template.yaml
 * declares, builds the payload-format-2.0 event API Gateway would send, and invokes the function of that route.
 * It also serves the sandbox partners under {@code /sandbox/}, which in AWS would be the partners' own servers.
 * Served by Jetty: slow clients cost a connection, not a thread, and one address holds at most
 * {@value #CONNECTIONS_PER_ADDRESS} connections ({@code SlowClientsIT}).
 */
final class HttpGateway implements AutoCloseable {

    /** API Gateway's own payload limit. */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern SANDBOX = Pattern.compile("^/sandbox/((?:partners|agencies)/[a-z0-9-]+)/(webhook|deliveries|failures)$");

    /** Connections one address may hold open at once; more are closed as they open. */
    static final int CONNECTIONS_PER_ADDRESS = 100;
    /** How long a connection may send or take nothing before it is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The slowest a request body may arrive, in bytes a second, before its connection is closed. */
    static final long MIN_BODY_RATE = 1024;

    private final Server server;
    private final ServerConnector connector;
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
        // Jetty reads requests without holding a thread while they trickle in (the JDK's server gave each connection
        // one of 16 workers as it read, so 16 slow clients took the API down); idle connections and slow bodies are
        // closed, and one address holds at most CONNECTIONS_PER_ADDRESS connections
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("local-gateway");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setMinRequestDataRate(MIN_BODY_RATE);
        // paths reach the routes as API Gateway passes them, encoded dots and slashes included: the functions decide
        // (the console's file route refuses ..%2F with 404), not Jetty's own 400 page
        http.setUriCompliance(UriCompliance.LEGACY);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.addBean(new PerAddressLimit(CONNECTIONS_PER_ADDRESS));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                HttpGateway.this.handle(new Call(request, response, callback));
                return true;
            }
        });
    }

    HttpGateway start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the local gateway did not start", e);
        }
        return this;
    }

    int port() {
        return connector.getLocalPort();
    }

    /**
     * One request and its answer, as the gateway's code reads and writes them: the method, raw path and query,
     * headers, the caller's address and the body; an answer is written once.
     */
    private static final class Call {
        private final Request request;
        private final Response response;
        private final Callback callback;

        Call(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        String method() {
            return request.getMethod();
        }

        String rawPath() {
            return request.getHttpURI().getPath();
        }

        String rawQuery() {
            return request.getHttpURI().getQuery();
        }

        String protocol() {
            return request.getConnectionMetaData().getProtocol();
        }

        String sourceIp() {
            return Request.getRemoteAddr(request);
        }

        /** Header names in lower case, repeated values joined with commas: as API Gateway HTTP APIs deliver them. */
        Map<String, String> headers() {
            Map<String, String> out = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                out.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + "," + b);
            }
            return out;
        }

        String header(String name) {
            return request.getHeaders().get(name);
        }

        InputStream body() {
            return Content.Source.asInputStream(request);
        }

        void send(int status, Map<String, String> headers, byte[] body) {
            response.setStatus(status);
            if (headers != null) {
                headers.forEach((k, v) -> response.getHeaders().put(k, v));
            }
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** Closes a connection as it opens when its address already holds the most it may. */
    private static final class PerAddressLimit implements Connection.Listener {
        private final int most;
        private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
        /** Each open connection's address, as it was when it opened: a closed socket no longer says whose it was. */
        private final Map<Connection, String> addresses = new ConcurrentHashMap<>();

        PerAddressLimit(int most) {
            this.most = most;
        }

        private static String address(Connection connection) {
            return connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote
                    ? remote.getAddress().getHostAddress() : "unknown";
        }

        @Override
        public void onOpened(Connection connection) {
            String address = address(connection);
            addresses.put(connection, address);
            if (open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet() > most) {
                connection.getEndPoint().close();
            }
        }

        @Override
        public void onClosed(Connection connection) {
            String address = addresses.remove(connection);
            if (address != null) {
                open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    private void handle(Call exchange) {
        try {
            byte[] body = readBody(exchange.body());
            if (body == null) {
                problem(exchange, 413, "too-large", "Payload too large",
                        "A request body may be at most " + MAX_PAYLOAD + " bytes (API Gateway's own limit).");
                return;
            }
            String path = exchange.rawPath();
            Matcher sandboxPath = SANDBOX.matcher(path);
            if (sandboxPath.matches()) {
                sandbox(exchange, sandboxPath.group(1), sandboxPath.group(2), body);
                return;
            }
            String asked = exchange.method().toUpperCase(Locale.ROOT);
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
        } catch (RuntimeException | IOException e) {
            LOG.error("gateway failure: {}", e.getClass().getName());
            problem(exchange, 500, "internal", "Internal error", "The gateway failed; the hub's log has the reason.");
        }
    }

    private void sandbox(Call exchange, String partnerId, String action, byte[] body) throws IOException {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        if (!sandbox.knows(partnerId)) {
            send(exchange, 404, json, "{\"message\":\"no such partner or agency\"}");
            return;
        }
        String method = exchange.method();
        if (!action.equals("webhook") && !sandbox.administrator(exchange.header("Authorization"))) {
            // what partners received holds clients' data; the failure switch stops deliveries: administrators only
            problem(exchange, 401, "unauthenticated", "Missing or unknown admin token",
                    "A sandbox receiver's deliveries and failures are an administrator's: send Authorization: Bearer <token>.");
            return;
        }
        if (action.equals("webhook") && method.equals("POST")) {
            int status = sandbox.receive(partnerId, exchange.headers(), body);
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

    private static APIGatewayV2HTTPEvent event(Call exchange, String routeKey, Map<String, String> pathParameters,
                                               byte[] body) {
        Map<String, String> headers = exchange.headers();
        String contentType = headers.getOrDefault("content-type", "");
        // text goes as text, as API Gateway passes it; bytes that are not UTF-8 go as Base64, so they arrive as sent
        boolean text = (contentType.isEmpty() || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded")) && utf8(body);
        String query = exchange.rawQuery();
        Instant now = Instant.now();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(exchange.rawPath())
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
                                .withMethod(exchange.method().toUpperCase(Locale.ROOT))
                                .withPath(exchange.rawPath())
                                .withProtocol(exchange.protocol())
                                .withSourceIp(exchange.sourceIp())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
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
    private static void problem(Call exchange, int status, String type, String title, String detail) {
        send(exchange, status, Map.of("Content-Type", "application/problem+json"), CanonicalJson.write(
                new ApiProblem.Body("/problems/" + type, title, status, detail, exchange.rawPath(), null, null)));
    }

    private static void send(Call exchange, int status, Map<String, String> headers, String body) {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Call exchange, int status, Map<String, String> headers, byte[] body) {
        exchange.send(status, headers, body);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the local gateway did not stop", e);
        }
    }
}
