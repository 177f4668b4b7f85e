package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Services;
import java.util.Map;

/** Every Admin API operation, by {@code operationId}. */
public final class Operations {
  private Operations() {}

  public static Map<String, Operation> all(Services s) {
    return Map.ofEntries(
        Map.entry("listLabels", new ListLabels()),
        Map.entry("listZones", new ListZones(s)),
        Map.entry("createZone", new CreateZone(s)),
        Map.entry("getZone", new GetZone(s)),
        Map.entry("removeZone", new RemoveZone(s)),
        Map.entry("zoneHostSetup", new ZoneHostSetup(s)),
        Map.entry("adoptZone", new AdoptZone(s)),
        Map.entry("listQubes", new ListQubes(s)),
        Map.entry("createQube", new CreateQube(s)),
        Map.entry("getQube", new GetQube(s)),
        Map.entry("removeQube", new RemoveQube(s)),
        Map.entry("listProperties", new ListProperties(s)),
        Map.entry("getProperty", new GetProperty(s)),
        Map.entry("setProperty", new SetProperty(s)),
        Map.entry("resetProperty", new ResetProperty(s)),
        Map.entry("listTags", new ListTags(s)),
        Map.entry("listApps", new ListApps(s)),
        Map.entry("addTag", new AddTag(s)),
        Map.entry("removeTag", new RemoveTag(s)),
        Map.entry("listFeatures", new ListFeatures(s)),
        Map.entry("getFeature", new GetFeature(s)),
        Map.entry("setFeature", new SetFeature(s)),
        Map.entry("removeFeature", new RemoveFeature(s)),
        Map.entry("startQube", new StartQube(s)),
        Map.entry("shutdownQube", new ShutdownQube(s)),
        Map.entry("execQube", new ExecQube(s)),
        Map.entry("listTemplates", new ListTemplates(s)),
        Map.entry("streamEvents", new StreamEvents(s)),
        Map.entry("listPolicies", new ListPolicies(s)),
        Map.entry("getPolicy", new GetPolicy(s)),
        Map.entry("replacePolicy", new ReplacePolicy(s)),
        Map.entry("removePolicy", new RemovePolicy(s)),
        Map.entry("checkPolicies", new CheckPolicies(s)),
        Map.entry("evalPolicy", new EvalPolicy(s)),
        Map.entry("listAsks", new ListAsks(s)),
        Map.entry("answerAsk", new AnswerAsk(s)));
  }
}
