package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Set;
import java.util.HashMap;
import java.util.Map;
import org.referralhub.camel.admin.AdminDoor;
import org.referralhub.camel.Endpoints;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * The administrators' HTTP API (its own function behind the HTTP API, IAM-authorized in AWS). The IAM principal API
 * Gateway verified is passed on to the routes; a client cannot claim one, since any header of that name it sends is
 * dropped first.
 */
public final class AdminApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.ADMIN);

    /** Route keys as template.yaml declares them, and the route each one calls. */
    public static final Map<String, String> ROUTES = Map.of(
            "POST /admin/v1/sandbox", Endpoints.ADMIN_SANDBOX,
            "ANY /admin/v1/{proxy+}", Endpoints.ADMIN_API,
            "GET /console", Endpoints.CONSOLE,
            "GET /console/{file}", Endpoints.CONSOLE,
            // the console's own door to the same API: an administrator's token, not IAM (a browser cannot sign)
            "POST /console/api/sandbox", Endpoints.ADMIN_SANDBOX,
            "ANY /console/api/{proxy+}", Endpoints.ADMIN_API);

    private static final String CONSOLE_API = "/console/api/";

    private final ApiGatewayAdapter adapter;

    public AdminApiFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public AdminApiFunction(Hub hub) {
        this.adapter = new ApiGatewayAdapter(hub.producer(), ROUTES);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> {
                if (!k.equalsIgnoreCase(AdminDoor.IAM_PRINCIPAL)) {
                    headers.put(k, v);
                }
            });
        }
        var authorizer = event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
        if (authorizer != null && authorizer.getIam() != null && authorizer.getIam().getUserArn() != null) {
            headers.put(AdminDoor.IAM_PRINCIPAL, authorizer.getIam().getUserArn());
        }
        event.setHeaders(headers);
        if (event.getRawPath() != null && event.getRawPath().startsWith(CONSOLE_API)) {
            // /console/api/agencies is /admin/v1/agencies, answered alike; no IAM principal here, so a token it must be
            event.setRawPath("/admin/v1/" + event.getRawPath().substring(CONSOLE_API.length()));
        }
        return adapter.handle(event);
    }
}
