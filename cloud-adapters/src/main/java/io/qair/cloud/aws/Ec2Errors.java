package io.qair.cloud.aws;

import io.qair.protocol.QairException;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Maps what EC2 and the SDK say to errors a user can act on. The one place that does. */
final class Ec2Errors {
  private static final Set<String> QUOTA = Set.of("InstanceLimitExceeded", "VcpuLimitExceeded",
      "SecurityGroupLimitExceeded", "RulesPerSecurityGroupLimitExceeded", "VolumeLimitExceeded",
      "MaxSpotInstanceCountExceeded", "AddressLimitExceeded");
  private static final Set<String> AUTH = Set.of("AuthFailure", "UnauthorizedOperation", "InvalidClientTokenId",
      "SignatureDoesNotMatch", "ExpiredToken", "RequestExpired", "MissingAuthenticationToken",
      "Blocked", "PendingVerification");
  private static final Set<String> CAPACITY = Set.of("InsufficientInstanceCapacity", "Unsupported",
      "InsufficientFreeAddressesInSubnet", "InsufficientHostCapacity", "InsufficientCapacity");

  private Ec2Errors() {}

  static QairException map(SdkException e, String what, String region) {
    if (e instanceof AwsServiceException ec2 && ec2.awsErrorDetails() != null) {
      String code = ec2.awsErrorDetails().errorCode();
      String msg = ec2.awsErrorDetails().errorMessage();
      if (code == null) {
        // HttpURLConnection does not let the SDK read the body of a 401 to a streamed POST
        code = ec2.statusCode() == 401 ? "AuthFailure" : ec2.statusCode() == 403 ? "UnauthorizedOperation"
            : "HTTP " + ec2.statusCode();
        msg = msg == null ? "no details" : msg;
      }
      String says = " (AWS says " + code + ": " + msg + ")";
      if (QUOTA.contains(code)) {
        return QairException.unavailable("AWS quota exceeded while " + what + " in " + region + says
            + ": request a higher limit in the Service Quotas console, remove unused instances,"
            + " or choose a smaller instance-type or another region", e);
      }
      if (code.equals("NoSuchBucket")) {
        return QairException.badRequest("the S3 bucket for the agent distribution does not exist" + says
            + ": create it in " + region + " or give another with --opt bucket=NAME");
      }
      if (AUTH.contains(code) || code.equals("AccessDenied") || code.equals("InvalidAccessKeyId")) {
        return QairException.badRequest("AWS refused the credentials while " + what + says
            + ": check the profile or keys the AWS SDK default chain finds (AWS_PROFILE, ~/.aws/credentials,"
            + " environment) and that they allow ec2:RunInstances, ec2:Describe*, ec2:*SecurityGroup*,"
            + " ec2:CreateTags, ec2:Start/Stop/TerminateInstances (and s3:PutObject, s3:GetObject, s3:DeleteObject on the"
            + " agent bucket)");
      }
      if (code.equals("OptInRequired")) {
        return QairException.badRequest("region " + region + " is not enabled for this AWS account" + says
            + ": enable it in the account settings or choose another region");
      }
      if (CAPACITY.contains(code)) {
        return QairException.unavailable("region " + region + " cannot run this instance now" + says
            + ": try another instance-type, subnet (availability zone) or region", e);
      }
      if (code.startsWith("InvalidAMIID")) {
        return QairException.badRequest("the image for the zone host was not found in " + region + says
            + ": give an existing Debian 12 AMI of this region with --opt ami=ami-..., or leave ami unset");
      }
      if (code.startsWith("InvalidSubnetID") || code.startsWith("InvalidVpcID")) {
        return QairException.badRequest("the subnet was not found in " + region + says
            + ": give a subnet id of this region, or leave subnet unset for the default VPC");
      }
      if (code.equals("InvalidParameterValue") || code.equals("InvalidParameterCombination")
          || code.equals("InvalidInstanceType")) {
        return QairException.badRequest("EC2 rejected the zone host's settings while " + what + says
            + ": check instance-type, subnet and volume-size");
      }
      if (code.equals("RequestLimitExceeded") || code.equals("Throttling") || ec2.statusCode() >= 500) {
        return QairException.unavailable("EC2 is busy or failing while " + what + says + ": retry later", e);
      }
      return QairException.unavailable("EC2 failed while " + what + says, e);
    }
    if (e instanceof SdkClientException && e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("credentials")) {
      return QairException.badRequest("no AWS credentials: configure the AWS SDK default chain (aws configure,"
          + " AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY); qair never stores them");
    }
    return QairException.unavailable("cannot reach EC2 in " + region + " while " + what + " (" + e.getMessage()
        + "): check the network and the region name", e);
  }
}
