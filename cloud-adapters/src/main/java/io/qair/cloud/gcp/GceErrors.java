package io.qair.cloud.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.Operation;
import io.qair.protocol.QairException;
import java.util.Locale;

/** Maps what Compute Engine and gax say to errors a user can act on. The one place that does. */
final class GceErrors {
  static final String CREDENTIALS_HINT = "check the application-default credentials (gcloud auth"
      + " application-default login, or GOOGLE_APPLICATION_CREDENTIALS) and that they may use Compute Engine in"
      + " the project (roles/compute.instanceAdmin.v1 and roles/compute.securityAdmin)";

  private GceErrors() {}

  static QairException noCredentials(Exception e) {
    return QairException.badRequest("no Google credentials (" + e.getMessage() + "): run gcloud auth"
        + " application-default login or set GOOGLE_APPLICATION_CREDENTIALS; qair never stores them");
  }

  /** A call that failed outright. */
  static QairException map(ApiException e, String what, GceOptions o) {
    String says = " (Compute Engine says " + e.getStatusCode().getCode() + ": " + e.getMessage() + ")";
    String lower = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return switch (e.getStatusCode().getCode()) {
      case UNAUTHENTICATED -> QairException.badRequest("Google refused the credentials while " + what + says + ": "
          + CREDENTIALS_HINT);
      case PERMISSION_DENIED -> lower.contains("quota") ? quota(what, says, o, e)
          : QairException.badRequest("not allowed to use Compute Engine in project " + o.project() + " while " + what
              + says + ": " + CREDENTIALS_HINT + "; the Compute Engine API must be enabled");
      case RESOURCE_EXHAUSTED -> quota(what, says, o, e);
      case NOT_FOUND -> QairException.badRequest("not found while " + what + says + ": check the project ("
          + o.project() + "), the zone (" + o.gceZone() + ", see gcloud compute zones list), machine-type, network"
          + " and image");
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> QairException.badRequest(
          "Compute Engine rejected the zone host's settings while " + what + says
              + ": check machine-type, network, subnet and disk-size");
      default -> QairException.unavailable("Compute Engine failed while " + what + says + ": retry later", e);
    };
  }

  /** An operation that finished with errors. */
  static QairException map(Operation op, String what, GceOptions o) {
    Errors first = op.getError().getErrorsList().isEmpty() ? Errors.getDefaultInstance() : op.getError().getErrors(0);
    String code = first.getCode();
    String says = " (Compute Engine says " + code + ": " + first.getMessage() + ")";
    if (code.contains("QUOTA")) {
      return quota(what, says, o, null);
    }
    if (code.contains("RESOURCE_POOL_EXHAUSTED") || code.contains("UNAVAILABLE") || code.contains("STOCKOUT")) {
      return QairException.unavailable("zone " + o.gceZone() + " cannot run this machine now" + says
          + ": try another zone or machine-type", null);
    }
    if (code.contains("NOT_FOUND")) {
      return QairException.badRequest("not found while " + what + says + ": check the zone, machine-type, network"
          + " and image");
    }
    if (code.contains("PERMISSION") || code.contains("FORBIDDEN") || op.getHttpErrorStatusCode() == 403) {
      return QairException.badRequest("not allowed while " + what + says + ": " + CREDENTIALS_HINT);
    }
    if (op.getHttpErrorStatusCode() >= 400 && op.getHttpErrorStatusCode() < 500) {
      return QairException.badRequest("Compute Engine rejected the request while " + what + says);
    }
    return QairException.unavailable("Compute Engine failed while " + what + says + ": retry later", null);
  }

  private static QairException quota(String what, String says, GceOptions o, Exception cause) {
    return QairException.unavailable("Google Cloud quota exceeded while " + what + " in " + o.gceRegion() + says
        + ": request more in IAM & Admin > Quotas, remove unused instances, or choose a smaller machine-type or"
        + " another region", cause);
  }
}
