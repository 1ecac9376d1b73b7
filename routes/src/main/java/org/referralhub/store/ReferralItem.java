package org.referralhub.store;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * One item of the referrals table. A referral item holds the canonical JSON in {@code document} and copies of the
 * few values the indexes need; a claim item ({@code kind = claim}) reserves an agency reference or an
 * Idempotency-Key for the referral that first used it. The schema is static: built once, no reflection.
 */
public final class ReferralItem {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String BY_PARTNER_STATUS = "byPartnerStatus";
    public static final String BY_AGENCY_DATE = "byAgencyDate";
    public static final String DISPATCH_DUE = "dispatchDue";
    public static final String TTL_ATTRIBUTE = "expiresAt";

    public static final TableSchema<ReferralItem> SCHEMA = StaticTableSchema.builder(ReferralItem.class)
            .newItemSupplier(ReferralItem::new)
            .addAttribute(String.class, a -> a.name(PK).getter(ReferralItem::getPk).setter(ReferralItem::setPk)
                    .tags(StaticAttributeTags.primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(SK).getter(ReferralItem::getSk).setter(ReferralItem::setSk)
                    .tags(StaticAttributeTags.primarySortKey()))
            .addAttribute(String.class, a -> a.name("kind").getter(ReferralItem::getKind).setter(ReferralItem::setKind))
            .addAttribute(String.class, a -> a.name("referralId").getter(ReferralItem::getReferralId).setter(ReferralItem::setReferralId))
            .addAttribute(String.class, a -> a.name("agencyId").getter(ReferralItem::getAgencyId).setter(ReferralItem::setAgencyId))
            .addAttribute(String.class, a -> a.name("partnerId").getter(ReferralItem::getPartnerId).setter(ReferralItem::setPartnerId))
            .addAttribute(String.class, a -> a.name("status").getter(ReferralItem::getStatus).setter(ReferralItem::setStatus))
            .addAttribute(String.class, a -> a.name("deliveryState").getter(ReferralItem::getDeliveryState).setter(ReferralItem::setDeliveryState))
            .addAttribute(String.class, a -> a.name("receivedAt").getter(ReferralItem::getReceivedAt).setter(ReferralItem::setReceivedAt))
            .addAttribute(String.class, a -> a.name("document").getter(ReferralItem::getDocument).setter(ReferralItem::setDocument))
            .addAttribute(Long.class, a -> a.name("version").getter(ReferralItem::getVersion).setter(ReferralItem::setVersion))
            .addAttribute(String.class, a -> a.name("gsi1pk").getter(ReferralItem::getGsi1pk).setter(ReferralItem::setGsi1pk)
                    .tags(StaticAttributeTags.secondaryPartitionKey(BY_PARTNER_STATUS)))
            .addAttribute(String.class, a -> a.name("gsi1sk").getter(ReferralItem::getGsi1sk).setter(ReferralItem::setGsi1sk)
                    .tags(StaticAttributeTags.secondarySortKey(BY_PARTNER_STATUS)))
            .addAttribute(String.class, a -> a.name("gsi2pk").getter(ReferralItem::getGsi2pk).setter(ReferralItem::setGsi2pk)
                    .tags(StaticAttributeTags.secondaryPartitionKey(BY_AGENCY_DATE)))
            .addAttribute(String.class, a -> a.name("gsi2sk").getter(ReferralItem::getGsi2sk).setter(ReferralItem::setGsi2sk)
                    .tags(StaticAttributeTags.secondarySortKey(BY_AGENCY_DATE)))
            .addAttribute(String.class, a -> a.name("duePk").getter(ReferralItem::getDuePk).setter(ReferralItem::setDuePk)
                    .tags(StaticAttributeTags.secondaryPartitionKey(DISPATCH_DUE)))
            .addAttribute(String.class, a -> a.name("dueSk").getter(ReferralItem::getDueSk).setter(ReferralItem::setDueSk)
                    .tags(StaticAttributeTags.secondarySortKey(DISPATCH_DUE)))
            .addAttribute(Long.class, a -> a.name("inProgressUntil").getter(ReferralItem::getInProgressUntil).setter(ReferralItem::setInProgressUntil))
            .addAttribute(Long.class, a -> a.name(TTL_ATTRIBUTE).getter(ReferralItem::getExpiresAt).setter(ReferralItem::setExpiresAt))
            .build();

    private String pk;
    private String sk;
    private String kind;
    private String referralId;
    private String agencyId;
    private String partnerId;
    private String status;
    private String deliveryState;
    private String receivedAt;
    private String document;
    private Long version;
    private String gsi1pk;
    private String gsi1sk;
    private String gsi2pk;
    private String gsi2sk;
    private String duePk;
    private String dueSk;
    private Long expiresAt;
    private Long inProgressUntil;

    public String getPk() { return pk; }
    public void setPk(String pk) { this.pk = pk; }
    public String getSk() { return sk; }
    public void setSk(String sk) { this.sk = sk; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getReferralId() { return referralId; }
    public void setReferralId(String referralId) { this.referralId = referralId; }
    public String getAgencyId() { return agencyId; }
    public void setAgencyId(String agencyId) { this.agencyId = agencyId; }
    public String getPartnerId() { return partnerId; }
    public void setPartnerId(String partnerId) { this.partnerId = partnerId; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public String getDeliveryState() { return deliveryState; }
    public void setDeliveryState(String deliveryState) { this.deliveryState = deliveryState; }
    public String getReceivedAt() { return receivedAt; }
    public void setReceivedAt(String receivedAt) { this.receivedAt = receivedAt; }
    public String getDocument() { return document; }
    public void setDocument(String document) { this.document = document; }
    public Long getVersion() { return version; }
    public void setVersion(Long version) { this.version = version; }
    public String getGsi1pk() { return gsi1pk; }
    public void setGsi1pk(String gsi1pk) { this.gsi1pk = gsi1pk; }
    public String getGsi1sk() { return gsi1sk; }
    public void setGsi1sk(String gsi1sk) { this.gsi1sk = gsi1sk; }
    public String getGsi2pk() { return gsi2pk; }
    public void setGsi2pk(String gsi2pk) { this.gsi2pk = gsi2pk; }
    public String getGsi2sk() { return gsi2sk; }
    public void setGsi2sk(String gsi2sk) { this.gsi2sk = gsi2sk; }
    public String getDuePk() { return duePk; }
    public void setDuePk(String duePk) { this.duePk = duePk; }
    public String getDueSk() { return dueSk; }
    public void setDueSk(String dueSk) { this.dueSk = dueSk; }
    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long expiresAt) { this.expiresAt = expiresAt; }
    public Long getInProgressUntil() { return inProgressUntil; }
    public void setInProgressUntil(Long inProgressUntil) { this.inProgressUntil = inProgressUntil; }
}
