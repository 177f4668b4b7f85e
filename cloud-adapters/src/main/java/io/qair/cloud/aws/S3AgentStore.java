package io.qair.cloud.aws;

import io.qair.cloud.bootstrap.AgentDistribution;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Publishes the agent distribution for one zone host: the local tar.gz goes to
 * {@code s3://BUCKET/qair/agent/ZONE-MASTERHASH/qair-zone-agent.tar.gz} (metadata
 * {@code qair-sha256}), and the host gets a presigned GET URL that expires after {@code ttl}, with
 * the SHA-256 computed here. Removing the zone removes the object.
 */
final class S3AgentStore {
  private final S3Client s3;
  private final S3Presigner presigner;
  private final Path file;
  private final Duration ttl;

  S3AgentStore(S3Client s3, S3Presigner presigner, Path file, Duration ttl) {
    this.s3 = s3;
    this.presigner = presigner;
    this.file = file;
    this.ttl = ttl;
  }

  AgentDistribution publish(String bucket, String zone, String master) {
    String sha = AgentDistribution.sha256(file);
    String key = AgentDistribution.objectKey(zone, master);
    s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/gzip").metadata(Map.of("qair-sha256", sha)),
        RequestBody.fromFile(file));
    URI url = URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
        .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
    return new AgentDistribution(url, sha);
  }

  void remove(String bucket, String zone, String master) {
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(AgentDistribution.objectKey(zone, master)));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      // gone already (or never made: a provision that failed on a wrong bucket must still be removable)
    }
  }
}
