package org.referralhub.camel.outcome;

import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.outcome.NoticeSending;
import org.referralhub.outcome.StaleSweep;

/**
 * The loop closed on the hub's schedule: agencies' due notices sent ({@link NoticeSending}), partners reminded of
 * referrals they let wait and those waiting too long sent on ({@link StaleSweep}).
 */
public final class NoticeRoutes extends RouteBuilder {

    private final NoticeSending notices;
    private final StaleSweep staleSweep;

    public NoticeRoutes(NoticeSending notices, StaleSweep staleSweep) {
        this.notices = notices;
        this.staleSweep = staleSweep;
    }

    @Override
    public void configure() {
        from(Endpoints.NOTIFY_DUE).routeId("notify-due")
                .process(e -> e.getMessage().setBody(notices.sendDue()));

        from(Endpoints.STALE_SWEEP).routeId("stale-sweep")
                .process(e -> e.getMessage().setBody(staleSweep.sweep()));
    }
}
