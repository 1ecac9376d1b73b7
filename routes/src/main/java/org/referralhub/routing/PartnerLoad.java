package org.referralhub.routing;

import java.time.YearMonth;

/**
 * How many referrals partners have been sent: what capacity, quotas and the round-robin and least-loaded strategies
 * decide on. The router notes each decision it makes, so a file of many rows spreads as it would one by one.
 */
public interface PartnerLoad {

    /** Referrals routed to the partner in the month. */
    long routedInMonth(String partnerId, YearMonth month);

    /** Referrals the rule has routed to the partner, ever. */
    long routedByRule(String ruleId, String partnerId);

    /** The router sent this referral there: count it now (storing the referral makes it lasting). */
    void noteRouted(String referralId, String ruleId, String partnerId, YearMonth month);
}
