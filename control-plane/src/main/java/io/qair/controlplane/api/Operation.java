package io.qair.controlplane.api;

import io.vertx.core.Future;

/**
 * One Admin API operation, named by its {@code operationId} in the OpenAPI description. It runs
 * on the event loop after authentication and validation; blocking work goes through
 * {@code vertx.executeBlocking}. A failed future is answered by the server's one failure handler.
 */
public interface Operation {
  Future<Reply> handle(ApiRequest request);
}
