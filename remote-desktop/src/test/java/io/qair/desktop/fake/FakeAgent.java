package io.qair.desktop.fake;

import io.qair.desktop.tunnel.GuacamoleCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.apache.guacamole.protocol.GuacamoleInstruction;

/**
 * A zone agent's display endpoint ({@code GET /v1/qubes/{qube}/display}, mTLS, subprotocol
 * guacamole) as docs/dev/display.md describes it: it records what the gateway sends and draws
 * windows as PNG layers on request. It answers {@code qair-clipboard-get} with the qube's
 * clipboard and keeps what {@code qair-clipboard-set} puts there.
 */
public final class FakeAgent {
  /** Per qube: the open display sessions (one per tunnel). */
  public final Map<String, List<Display>> displays = new ConcurrentHashMap<>();
  /** Per qube: every display session ever opened, in order. */
  public final Map<String, List<Display>> opened = new ConcurrentHashMap<>();
  public final Map<String, String> clipboards = new ConcurrentHashMap<>();
  public final List<String> refusedClients = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final String zone;
  private HttpServer server;
  private volatile java.util.function.Consumer<Display> onOpen = d -> { };

  public FakeAgent(Vertx vertx, String zone) {
    this.vertx = vertx;
    this.zone = zone;
  }

  /** One tunnel's display session. */
  public final class Display {
    public final String qube;
    public final ServerWebSocket socket;
    /** Every instruction received, in its wire form. */
    public final List<String> received = new CopyOnWriteArrayList<>();
    private int nextStream = 1;

    Display(String qube, ServerWebSocket socket) {
      this.qube = qube;
      this.socket = socket;
    }

    public void send(String raw) {
      socket.writeTextMessage(raw);
    }

    /** Maps window {@code layer} with {@code title}, filled with {@code fill}; a frame-looking border in {@code fakeFrame} if not null. */
    public void window(int layer, int w, int h, String title, Color fill, Color fakeFrame) {
      StringBuilder sb = new StringBuilder();
      sb.append(GuacamoleCodec.encode("size", Integer.toString(layer), Integer.toString(w), Integer.toString(h)));
      sb.append(GuacamoleCodec.encode("qair-window", Integer.toString(layer), "normal", "0", "0", "0", title));
      sb.append(image(layer, 0, 0, png(w, h, fill, fakeFrame)));
      sb.append(GuacamoleCodec.encode("sync", Long.toString(System.currentTimeMillis())));
      send(sb.toString());
    }

    /** img + blobs (at most 6048 bytes each, as guacd) + end. */
    public String image(int layer, int x, int y, byte[] png) {
      int stream = nextStream++;
      StringBuilder sb = new StringBuilder(GuacamoleCodec.encode("img", Integer.toString(stream), "14",
          Integer.toString(layer), "image/png", Integer.toString(x), Integer.toString(y)));
      for (int off = 0; off < png.length; off += 6048) {
        byte[] chunk = java.util.Arrays.copyOfRange(png, off, Math.min(png.length, off + 6048));
        sb.append(GuacamoleCodec.encode("blob", Integer.toString(stream), Base64.getEncoder().encodeToString(chunk)));
      }
      sb.append(GuacamoleCodec.encode("end", Integer.toString(stream)));
      return sb.toString();
    }

    public boolean receivedOpcode(String opcode) {
      String prefix = opcode.length() + "." + opcode + ",";
      String whole = opcode.length() + "." + opcode + ";";
      return received.stream().anyMatch(r -> r.startsWith(prefix) || r.equals(whole));
    }
  }

  /** {@code qair-clipboard} with the text cut into elements of at most 8192 code points. */
  static String clipboardAnswer(String text) {
    List<String> parts = new java.util.ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = text.codePointCount(i, text.length()) > 8192 ? text.offsetByCodePoints(i, 8192) : text.length();
      parts.add(text.substring(i, end));
      i = end;
    }
    if (parts.isEmpty()) {
      parts.add("");
    }
    return new GuacamoleInstruction("qair-clipboard", parts).toString();
  }

  public static byte[] png(int w, int h, Color fill, Color fakeFrame) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(fill);
    g.fillRect(0, 0, w, h);
    if (fakeFrame != null) {
      g.setColor(fakeFrame);
      g.fillRect(0, 0, w, 24);
      for (int i = 0; i < 5; i++) {
        g.drawRect(i, i, w - 1 - 2 * i, h - 1 - 2 * i);
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public void onOpen(java.util.function.Consumer<Display> c) {
    onOpen = c;
  }

  public Future<FakeAgent> start(TestPki pki) {
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(pki.server(zone))
        .setTrustOptions(pki.trust()).setClientAuth(ClientAuth.REQUIRED)
        .setWebSocketSubProtocols(List.of("guacamole"))
        .setHost("127.0.0.1").setPort(0));
    server.requestHandler(req -> {
      String path = req.path();
      String cn;
      try {
        X509Certificate c = (X509Certificate) req.connection().peerCertificates().get(0);
        cn = io.qair.protocol.pki.Certificates.commonName(c);
      } catch (Exception e) {
        cn = null;
      }
      if (!"qair-gateway".equals(cn)) {
        refusedClients.add(String.valueOf(cn));
        req.response().setStatusCode(403).end();
        return;
      }
      if (!path.startsWith("/v1/qubes/") || !path.endsWith("/display")) {
        req.response().setStatusCode(404).end();
        return;
      }
      String qube = path.substring("/v1/qubes/".length(), path.length() - "/display".length());
      req.toWebSocket().onSuccess(ws -> {
        Display d = new Display(qube, ws);
        displays.computeIfAbsent(qube, k -> new CopyOnWriteArrayList<>()).add(d);
        opened.computeIfAbsent(qube, k -> new CopyOnWriteArrayList<>()).add(d);
        ws.textMessageHandler(text -> {
          for (GuacamoleInstruction i : GuacamoleCodec.parse(text, 100_000)) {
            d.received.add(i.toString());
            if (i.getOpcode().equals("qair-clipboard-get")) {
              d.send(clipboardAnswer(clipboards.getOrDefault(qube, "")));
            } else if (i.getOpcode().equals("qair-clipboard-set")) {
              clipboards.put(qube, String.join("", i.getArgs()));
            }
          }
        });
        ws.closeHandler(v -> displays.get(qube).remove(d));
        onOpen.accept(d);
      });
    });
    return server.listen().map(s -> this);
  }

  public String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  public List<Display> displays(String qube) {
    return displays.getOrDefault(qube, List.of());
  }

  public Future<Void> close() {
    return server.close();
  }
}
