package io.qair.terraform.impl;

import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.ProviderException;
import io.qair.terraform.spi.TypeSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The provider block: {@code endpoint}, {@code token_file}, {@code ca_file}, each falling back
 * to the environment the qair CLI reads ({@code QAIR_ENDPOINT}, {@code QAIR_TOKEN} (the token
 * itself), {@code QAIR_CA}, {@code QAIR_HOME}).
 */
public final class ProviderConfig {
  public static final TypeSchema SCHEMA = new TypeSchema(0, "The qair master to manage.", List.of(
      Attr.optional("endpoint", Attr.STRING, "Admin API URL; default QAIR_ENDPOINT or https://127.0.0.1:7443"),
      Attr.optional("token_file", Attr.STRING,
          "file holding the Admin API token; default QAIR_TOKEN (the token) or $QAIR_HOME/master/token"),
      Attr.optional("ca_file", Attr.STRING, "master CA certificate (PEM); default QAIR_CA or $QAIR_HOME/master/ca/ca.pem")));

  private ProviderConfig() {}

  public static AdminClient connect(Map<String, Object> config, Map<String, String> env) {
    Path home = Path.of(env.getOrDefault("QAIR_HOME",
        System.getProperty("user.home") + "/.local/share/qair"));
    String endpoint = str(config, "endpoint");
    if (endpoint == null) {
      endpoint = env.getOrDefault("QAIR_ENDPOINT", "https://127.0.0.1:7443");
    }
    if (!endpoint.startsWith("https://")) {
      throw new ProviderException("endpoint", "endpoint must be an https:// URL, got \"" + endpoint + "\"");
    }
    String token;
    String tokenFile = str(config, "token_file");
    if (tokenFile == null && env.get("QAIR_TOKEN") != null) {
      token = env.get("QAIR_TOKEN").trim();
    } else {
      Path f = tokenFile == null ? home.resolve("master/token") : expand(tokenFile);
      try {
        token = Files.readString(f).trim();
      } catch (IOException e) {
        throw new ProviderException("token_file", "cannot read the Admin API token from " + f
            + ": set token_file or QAIR_TOKEN");
      }
    }
    String ca = str(config, "ca_file");
    Path caFile = ca != null ? expand(ca)
        : env.get("QAIR_CA") != null ? Path.of(env.get("QAIR_CA")) : home.resolve("master/ca/ca.pem");
    return AdminClient.create(endpoint, token, caFile);
  }

  private static Path expand(String p) {
    return p.startsWith("~/") ? Path.of(System.getProperty("user.home"), p.substring(2)) : Path.of(p);
  }

  private static String str(Map<String, Object> config, String key) {
    Object v = config == null ? null : config.get(key);
    return v instanceof String s && !s.isEmpty() ? s : null;
  }
}
