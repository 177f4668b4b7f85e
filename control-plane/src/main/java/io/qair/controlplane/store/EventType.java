package io.qair.controlplane.store;

/** The {@code type} of every event the store records. */
public final class EventType {
  public static final String QUBE_CREATED = "qube-created";
  public static final String QUBE_REMOVED = "qube-removed";
  public static final String QUBE_STATE = "qube-state";
  public static final String PROPERTY_SET = "property-set";
  public static final String PROPERTY_RESET = "property-reset";
  public static final String TAG_ADDED = "tag-added";
  public static final String TAG_REMOVED = "tag-removed";
  public static final String FEATURE_SET = "feature-set";
  public static final String FEATURE_REMOVED = "feature-removed";
  public static final String ZONE_CREATED = "zone-created";
  public static final String ZONE_STATE = "zone-state";
  public static final String ZONE_REMOVED = "zone-removed";
  public static final String CERT_REVOKED = "cert-revoked";
  /** A qrexec call waits for the user's answer ({@code qair policy ask}); subject: the ask id. */
  public static final String POLICY_ASK = "policy-ask";
  public static final String POLICY_ASK_ANSWERED = "policy-ask-answered";
  public static final String POLICY_ASK_EXPIRED = "policy-ask-expired";
  /** A qrexec decision whose rule says {@code notify} (every deny by default); subject: the caller. */
  public static final String POLICY_NOTIFY = "policy-notify";

  private EventType() {}
}
