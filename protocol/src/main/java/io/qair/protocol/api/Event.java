package io.qair.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One event on the master's event stream.
 *
 * @param id monotonically increasing, so a client can resume with {@code Last-Event-ID}
 * @param type e.g. {@code qube-state}, {@code qube-created}, {@code qube-removed},
 *     {@code zone-state}, {@code property-set}
 * @param subject the qube or zone the event is about
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(long id, String type, String subject, Map<String, String> data, long timestamp) {}
