package org.referralhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.referral.ReferralStatus;

class TaskSearchTest {

    @Test
    void aPollReadsOwnerStatusesBoundsAndTheFocusInclude() {
        TaskSearch search = TaskSearch.parse(Map.of("owner", "Organization/humber", "status", "requested,on-hold",
                "_lastUpdated", "gt2026-11-23T10:00:00Z", "_include", "Task:focus", "_count", "500"), "humber");
        assertThat(search.statuses()).containsExactly(ReferralStatus.REQUESTED, ReferralStatus.ON_HOLD);
        assertThat(search.includeFocus()).isTrue();
        assertThat(search.count()).isEqualTo(TaskSearch.MAX_COUNT);
        assertThat(search.lastUpdated()).singleElement().satisfies(bound -> {
            assertThat(bound.test(Instant.parse("2026-11-23T10:00:00.001Z"))).isTrue();
            assertThat(bound.test(Instant.parse("2026-11-23T10:00:00Z"))).isFalse();
        });
        // a date is the start of that day, UTC; le and ge include the bound
        TaskSearch day = TaskSearch.parse(Map.of("_lastUpdated", "ge2026-11-23"), "humber");
        assertThat(day.lastUpdated().get(0).test(Instant.parse("2026-11-23T00:00:00Z"))).isTrue();
    }

    @Test
    void anotherPartnersTasksAreForbiddenAndWhatIsNotUnderstoodIsNamed() {
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("owner", "Organization/costi"), "humber"))
                .isInstanceOfSatisfying(FhirRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("patient", "Patient/1", "code", "x"), "humber"))
                .isInstanceOfSatisfying(FhirRefusal.class, r -> assertThat(r.status()).isEqualTo(400))
                .hasMessageContaining("code, patient");
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("status", "draft"), "humber")).hasMessageContaining("draft");
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("_lastUpdated", "2026-11-23"), "humber"))
                .hasMessageContaining("gt, ge, lt or le");
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("_lastUpdated", "gtyesterday"), "humber"))
                .hasMessageContaining("gtyesterday");
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("_include", "Task:patient"), "humber"))
                .hasMessageContaining("Task:patient");
        assertThatThrownBy(() -> TaskSearch.parse(Map.of("_format", "xml"), "humber")).hasMessageContaining("JSON");
    }

    @Test
    void aServiceRequestIsActiveUntilTheReferralEnds() {
        assertThat(FhirResources.serviceRequestStatus(ReferralStatus.ON_HOLD)).isEqualTo("active");
        assertThat(FhirResources.serviceRequestStatus(ReferralStatus.COMPLETED)).isEqualTo("completed");
        assertThat(FhirResources.serviceRequestStatus(ReferralStatus.REJECTED)).isEqualTo("revoked");
        assertThat(FhirResources.issueCode(404)).isEqualTo("not-found");
        assertThat(FhirResources.issueCode(503)).isEqualTo("transient");
    }
}
