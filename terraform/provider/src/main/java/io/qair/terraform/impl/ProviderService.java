package io.qair.terraform.impl;

import io.grpc.stub.StreamObserver;
import io.qair.terraform.proto.ProviderGrpc;
import io.qair.terraform.proto.Tfplugin6;
import io.qair.terraform.proto.Tfplugin6.DynamicValue;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.DataSource;
import io.qair.terraform.spi.Diagnostics;
import io.qair.terraform.spi.ManagedResource;
import io.qair.terraform.spi.ProviderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code tfplugin6.Provider} service: decodes requests, routes them to the resource or data
 * source type they name, and turns every {@link ProviderException} into a diagnostic (the one
 * place that does). Anything else is logged to stderr and shown as an internal error.
 */
public final class ProviderService extends ProviderGrpc.ProviderImplBase {
  private final Map<String, ManagedResource> resources = new LinkedHashMap<>();
  private final Map<String, DataSource> dataSources = new LinkedHashMap<>();
  private final Map<String, String> env;
  private volatile AdminClient admin;

  private ProviderService(Map<String, String> env) {
    this.env = env;
    Supplier<AdminClient> client = () -> {
      AdminClient a = admin;
      if (a == null) {
        throw new ProviderException("the qair provider is not configured yet");
      }
      return a;
    };
    for (ManagedResource r : List.of(new QubeResource(client), new ZoneResource(client), new PolicyResource(client))) {
      resources.put(r.typeName(), r);
    }
    DataSource labels = new LabelsDataSource(client);
    dataSources.put(labels.typeName(), labels);
  }

  public static ProviderService create(Map<String, String> env) {
    return new ProviderService(env);
  }

  @Override
  public void getMetadata(Tfplugin6.GetMetadata.Request req, StreamObserver<Tfplugin6.GetMetadata.Response> out) {
    Tfplugin6.GetMetadata.Response.Builder b = Tfplugin6.GetMetadata.Response.newBuilder()
        .setServerCapabilities(Tfplugin6.ServerCapabilities.getDefaultInstance());
    resources.keySet().forEach(n -> b.addResources(Tfplugin6.GetMetadata.ResourceMetadata.newBuilder().setTypeName(n)));
    dataSources.keySet().forEach(n -> b.addDataSources(Tfplugin6.GetMetadata.DataSourceMetadata.newBuilder().setTypeName(n)));
    reply(out, b.build());
  }

  @Override
  public void getProviderSchema(Tfplugin6.GetProviderSchema.Request req,
      StreamObserver<Tfplugin6.GetProviderSchema.Response> out) {
    Tfplugin6.GetProviderSchema.Response.Builder b = Tfplugin6.GetProviderSchema.Response.newBuilder()
        .setProvider(Wire.schema(ProviderConfig.SCHEMA))
        .setServerCapabilities(Tfplugin6.ServerCapabilities.getDefaultInstance());
    resources.forEach((n, r) -> b.putResourceSchemas(n, Wire.schema(r.schema())));
    dataSources.forEach((n, d) -> b.putDataSourceSchemas(n, Wire.schema(d.schema())));
    reply(out, b.build());
  }

  @Override
  public void validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request req,
      StreamObserver<Tfplugin6.ValidateProviderConfig.Response> out) {
    Diagnostics d = new Diagnostics();
    Object endpoint = orEmpty(Wire.object(req.getConfig())).get("endpoint");
    if (endpoint instanceof String s && !s.startsWith("https://")) {
      d.attributeError("endpoint", "Invalid endpoint", "the endpoint must be an https:// URL, got \"" + s + "\"");
    }
    reply(out, Tfplugin6.ValidateProviderConfig.Response.newBuilder().addAllDiagnostics(Wire.diagnostics(d)).build());
  }

  @Override
  public void configureProvider(Tfplugin6.ConfigureProvider.Request req,
      StreamObserver<Tfplugin6.ConfigureProvider.Response> out) {
    Tfplugin6.ConfigureProvider.Response.Builder b = Tfplugin6.ConfigureProvider.Response.newBuilder();
    guard(b::addDiagnostics, () -> admin = ProviderConfig.connect(orEmpty(Wire.object(req.getConfig())), env));
    reply(out, b.build());
  }

  @Override
  public void validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request req,
      StreamObserver<Tfplugin6.ValidateResourceConfig.Response> out) {
    Diagnostics d = new Diagnostics();
    Tfplugin6.ValidateResourceConfig.Response.Builder b = Tfplugin6.ValidateResourceConfig.Response.newBuilder();
    guard(b::addDiagnostics, () -> resource(req.getTypeName()).validate(orEmpty(Wire.object(req.getConfig())), d));
    reply(out, b.addAllDiagnostics(Wire.diagnostics(d)).build());
  }

  @Override
  public void validateDataResourceConfig(Tfplugin6.ValidateDataResourceConfig.Request req,
      StreamObserver<Tfplugin6.ValidateDataResourceConfig.Response> out) {
    Tfplugin6.ValidateDataResourceConfig.Response.Builder b = Tfplugin6.ValidateDataResourceConfig.Response.newBuilder();
    guard(b::addDiagnostics, () -> dataSource(req.getTypeName()));
    reply(out, b.build());
  }

  @Override
  public void upgradeResourceState(Tfplugin6.UpgradeResourceState.Request req,
      StreamObserver<Tfplugin6.UpgradeResourceState.Response> out) {
    Tfplugin6.UpgradeResourceState.Response.Builder b = Tfplugin6.UpgradeResourceState.Response.newBuilder();
    guard(b::addDiagnostics, () -> {
      ManagedResource r = resource(req.getTypeName());
      if (req.getRawState().getJson().isEmpty()) {
        throw new ProviderException("the stored state of this " + req.getTypeName()
            + " is in the legacy flatmap format, which the qair provider never wrote");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> state = (Map<String, Object>) Wire.json(req.getRawState().getJson().toByteArray());
      b.setUpgradedState(Wire.value(r.schema(), state));
    });
    reply(out, b.build());
  }

  @Override
  public void readResource(Tfplugin6.ReadResource.Request req, StreamObserver<Tfplugin6.ReadResource.Response> out) {
    Tfplugin6.ReadResource.Response.Builder b = Tfplugin6.ReadResource.Response.newBuilder()
        .setNewState(req.getCurrentState()).setPrivate(req.getPrivate());
    guard(b::addDiagnostics, () -> {
      ManagedResource r = resource(req.getTypeName());
      Map<String, Object> current = Wire.object(req.getCurrentState());
      b.setNewState(Wire.value(r.schema(), current == null ? null : r.read(current)));
    });
    reply(out, b.build());
  }

  @Override
  public void planResourceChange(Tfplugin6.PlanResourceChange.Request req,
      StreamObserver<Tfplugin6.PlanResourceChange.Response> out) {
    Tfplugin6.PlanResourceChange.Response.Builder b = Tfplugin6.PlanResourceChange.Response.newBuilder()
        .setPlannedPrivate(req.getPriorPrivate());
    guard(b::addDiagnostics, () -> {
      ManagedResource r = resource(req.getTypeName());
      Map<String, Object> prior = Wire.object(req.getPriorState());
      Map<String, Object> proposed = Wire.object(req.getProposedNewState());
      if (proposed == null) {
        b.setPlannedState(Wire.value(r.schema(), null));
        return;
      }
      Map<String, Object> planned = r.plan(prior, proposed);
      b.setPlannedState(Wire.value(r.schema(), planned));
      if (prior != null) {
        for (Attr a : r.schema().attributes()) {
          if (a.forcesReplacement() && !Objects.equals(prior.get(a.name()), planned.get(a.name()))) {
            b.addRequiresReplace(Wire.path(a.name()));
          }
        }
      }
    });
    reply(out, b.build());
  }

  @Override
  public void applyResourceChange(Tfplugin6.ApplyResourceChange.Request req,
      StreamObserver<Tfplugin6.ApplyResourceChange.Response> out) {
    Tfplugin6.ApplyResourceChange.Response.Builder b = Tfplugin6.ApplyResourceChange.Response.newBuilder()
        .setPrivate(req.getPlannedPrivate());
    ManagedResource r = resources.get(req.getTypeName());
    Map<String, Object> prior = r == null ? null : Wire.object(req.getPriorState());
    b.setNewState(req.getPriorState());
    guard(b::addDiagnostics, () -> {
      ManagedResource res = resource(req.getTypeName());
      Map<String, Object> planned = Wire.object(req.getPlannedState());
      if (planned == null) {
        res.delete(prior);
        b.setNewState(Wire.value(res.schema(), null));
      } else if (prior == null) {
        b.setNewState(Wire.value(res.schema(), res.create(planned)));
      } else {
        b.setNewState(Wire.value(res.schema(), res.update(prior, planned)));
      }
    });
    reply(out, b.build());
  }

  @Override
  public void importResourceState(Tfplugin6.ImportResourceState.Request req,
      StreamObserver<Tfplugin6.ImportResourceState.Response> out) {
    Tfplugin6.ImportResourceState.Response.Builder b = Tfplugin6.ImportResourceState.Response.newBuilder();
    guard(b::addDiagnostics, () -> {
      ManagedResource r = resource(req.getTypeName());
      for (Map<String, Object> s : r.importState(req.getId())) {
        b.addImportedResources(Tfplugin6.ImportResourceState.ImportedResource.newBuilder()
            .setTypeName(req.getTypeName()).setState(Wire.value(r.schema(), s)));
      }
    });
    reply(out, b.build());
  }

  @Override
  public void readDataSource(Tfplugin6.ReadDataSource.Request req, StreamObserver<Tfplugin6.ReadDataSource.Response> out) {
    Tfplugin6.ReadDataSource.Response.Builder b = Tfplugin6.ReadDataSource.Response.newBuilder();
    guard(b::addDiagnostics, () -> {
      DataSource d = dataSource(req.getTypeName());
      b.setState(Wire.value(d.schema(), d.read(orEmpty(Wire.object(req.getConfig())))));
    });
    reply(out, b.build());
  }

  @Override
  public void stopProvider(Tfplugin6.StopProvider.Request req, StreamObserver<Tfplugin6.StopProvider.Response> out) {
    reply(out, Tfplugin6.StopProvider.Response.getDefaultInstance());
  }

  private ManagedResource resource(String type) {
    return Objects.requireNonNullElseGet(resources.get(type), () -> {
      throw new ProviderException("the qair provider has no resource type " + type);
    });
  }

  private DataSource dataSource(String type) {
    return Objects.requireNonNullElseGet(dataSources.get(type), () -> {
      throw new ProviderException("the qair provider has no data source " + type);
    });
  }

  private static Map<String, Object> orEmpty(Map<String, Object> m) {
    return m == null ? Map.of() : m;
  }

  /** Runs {@code body}; a failure becomes an error diagnostic through {@code sink}. */
  private static void guard(Function<Tfplugin6.Diagnostic, ?> sink, Runnable body) {
    try {
      body.run();
    } catch (ProviderException e) {
      sink.apply(Wire.diagnostic(true, e.getMessage(), "", e.attribute()));
    } catch (RuntimeException e) {
      System.err.println("qair provider: internal error");
      e.printStackTrace();
      sink.apply(Wire.diagnostic(true, "Internal error in the qair provider", String.valueOf(e), null));
    }
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
