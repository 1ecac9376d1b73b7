package org.referralhub.camel.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;

/**
 * The administrators' API, under {@code /admin/v1/}: through the admin door, then to the route of the operation the
 * {@link AdminOperation} table matches, with an {@link AdminCall}. Every answer that reads or changes the
 * configuration carries its version as {@code ETag}; a change sent with {@code If-Match} is refused (412) if another
 * version came into force meanwhile.
 */
public final class AdminRoutes extends RouteBuilder {

    private static final String OPERATION_ROUTE = "adminOperationRoute";

    private final AdminDoor door;

    public AdminRoutes(AdminDoor door) {
        this.door = door;
    }

    @Override
    public void configure() {
        // the table names the route: one of its fixed endpoints, never a value from the request
        from(Endpoints.ADMIN_API).routeId("admin-api").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(this::match)
                .routingSlip(exchangeProperty(OPERATION_ROUTE));
    }

    private void match(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        String path = request.path() == null ? "" : request.path();
        if (!path.startsWith(AdminOperation.PREFIX)) {
            throw notFound(path);
        }
        List<String> segments = Arrays.stream(path.substring(AdminOperation.PREFIX.length()).split("/"))
                .filter(s -> !s.isEmpty()).toList();
        String method = request.method() == null ? "GET" : request.method().toUpperCase(Locale.ROOT);
        AdminOperation.Match match = AdminOperation.match(method, segments).orElseThrow(() -> notFound(path));
        ApiRequest bound = new ApiRequest(method, request.path(), match.pathParameters(), request.headers(),
                request.body(), request.requestId(), request.sourceIp(), request.query());
        exchange.getMessage().setBody(new AdminCall(match.operation(), bound, AdminDoor.administrator(exchange)));
        exchange.setProperty(OPERATION_ROUTE, match.operation().endpoint());
    }

    private static ApiProblem notFound(String path) {
        return new ApiProblem(404, "not-found", "No such resource", "The admin API has no " + path + ".");
    }
}
