package io.qair.controlplane.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.controlplane.store.Store;
import io.qair.protocol.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Publishes the store's committed events on the event bus, and feeds them to subscribers: first
 * the events after a given id from the store's log, then live ones, each exactly once, in order.
 */
public final class EventFeed {
  public static final String ADDRESS = "qair.events";
  private static final int PAGE = 500;

  private final Vertx vertx;
  private final Store store;
  private final ObjectMapper json = new ObjectMapper();

  private EventFeed(Vertx vertx, Store store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Makes the feed and connects it to the store: from now on every commit is published. */
  public static EventFeed attach(Vertx vertx, Store store) {
    EventFeed feed = new EventFeed(vertx, store);
    store.onEvent(feed::publish);
    return feed;
  }

  private void publish(Event e) {
    vertx.eventBus().publish(ADDRESS, encode(e).json(),
        new DeliveryOptions().addHeader("id", Long.toString(e.id())).addHeader("type", e.type()));
  }

  private EncodedEvent encode(Event e) {
    try {
      return new EncodedEvent(e.id(), e.type(), json.writeValueAsString(e));
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** A live subscription; close it when the subscriber goes away. */
  public interface Subscription {
    Future<Void> close();
  }

  /**
   * Delivers, on the caller's context, the events after {@code afterId} (none from the log if
   * {@code afterId < 0}), then every new one.
   */
  public Future<Subscription> subscribe(long afterId, Consumer<EncodedEvent> sink) {
    List<EncodedEvent> early = new ArrayList<>();
    boolean[] live = {false};
    long[] last = {afterId};
    MessageConsumer<String> consumer = vertx.eventBus().consumer(ADDRESS, (Message<String> m) -> {
      EncodedEvent e = new EncodedEvent(Long.parseLong(m.headers().get("id")), m.headers().get("type"), m.body());
      if (!live[0]) {
        early.add(e);
      } else if (e.id() > last[0]) {
        last[0] = e.id();
        sink.accept(e);
      }
    });
    Subscription sub = consumer::unregister;
    Future<Void> replayed = afterId < 0
        ? Future.succeededFuture()
        : replay(afterId, e -> {
          last[0] = e.id();
          sink.accept(e);
        });
    return consumer.completion().compose(v -> replayed).map(v -> {
      live[0] = true;
      for (EncodedEvent e : early) {
        if (e.id() > last[0]) {
          last[0] = e.id();
          sink.accept(e);
        }
      }
      early.clear();
      return sub;
    }).onFailure(e -> consumer.unregister());
  }

  private Future<Void> replay(long afterId, Consumer<EncodedEvent> sink) {
    return vertx.executeBlocking(() -> store.eventsAfter(afterId, PAGE), false).compose(page -> {
      for (Event e : page) {
        sink.accept(encode(e));
      }
      return page.size() < PAGE ? Future.succeededFuture() : replay(page.get(page.size() - 1).id(), sink);
    });
  }
}
