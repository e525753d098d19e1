package io.qflow.node.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** {@code core.http.request}: one HTTP request with java.net.http. */
@Component(service = NodeType.class)
public final class HttpRequestNode implements NodeType {

    static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
    static final long MAX_TIMEOUT_MS = 3_600_000;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");
    private static final int EXCERPT = 500;

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.http.request")
            .name("HTTP request")
            .category("Network")
            .description("Calls an HTTP(S) endpoint and emits the status, headers and body (parsed as JSON when the "
                    + "response says so). Error statuses fail the node; 429 and 5xx are retryable.")
            .icon("globe")
            .input("in", DataType.ANY, "Optional value the URL, headers and body expressions can refer to as 'in'", false)
            .output("out", DataType.objectWith(Map.of("status", DataType.INTEGER, "headers", DataType.OBJECT, "body", DataType.ANY)),
                    "The response: status code, headers (lower-case names) and body")
            .configSchemaResource(HttpRequestNode.class, "schemas/http-request.json")
            .example("{\"method\": \"GET\", \"url\": \"https://api.example.com/users\", \"query\": {\"page\": 1}}")
            .example("{\"method\": \"POST\", \"url\": \"https://hooks.example.com/notify\","
                    + " \"headers\": {\"Authorization\": \"Bearer {{ vars.token }}\"}, \"body\": {\"text\": \"{{ in.message }}\"}}")
            .example("{\"method\": \"POST\", \"url\": \"https://example.com/login\", \"bodyType\": \"form\","
                    + " \"body\": {\"user\": \"ada\", \"password\": \"{{ vars.password }}\"}, \"failOnStatus\": false}")
            .build();

    private final HttpClient client;

    /** One client per component instance: it pools connections across invocations. */
    @Activate
    public HttpRequestNode() {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Deactivate
    void deactivate() {
        // an invocation still running is interrupted; the engine retries it on the replacement
        client.shutdownNow();
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException, InterruptedException {
        NodeConfig config = new NodeConfig(ctx.config());
        String method = config.string("method", "GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw NodeConfig.invalid("method", "must be one of " + METHODS, config.get("method"));
        }
        long timeoutMs = config.integer("timeoutMs", 30_000, 1, MAX_TIMEOUT_MS);
        String responseType = config.choice("responseType", "auto", "auto", "json", "text");
        boolean failOnStatus = config.bool("failOnStatus", true);
        URI uri = uri(config.requiredString("url"), config.object("query"));

        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMs));
        boolean hasContentType = false;
        for (Map.Entry<String, JsonNode> header : config.object("headers").properties()) {
            try {
                request.header(header.getKey(), Json.asText(header.getValue()));
            } catch (IllegalArgumentException e) {
                throw new NodeException("config.invalid", "config 'headers': " + e.getMessage(), false, e);
            }
            hasContentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        JsonNode body = config.get("body");
        if (body.isMissingNode()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String bodyType = config.choice("bodyType", "json", "json", "text", "form");
            if (!hasContentType) {
                request.header("Content-Type", switch (bodyType) {
                    case "text" -> "text/plain; charset=utf-8";
                    case "form" -> "application/x-www-form-urlencoded";
                    default -> "application/json";
                });
            }
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(encodeBody(body, bodyType)));
        }

        String target = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        long started = System.nanoTime();
        HttpResponse<byte[]> response = send(request.build(), timeoutMs, method, target);
        byte[] bytes = response.body() == null ? new byte[0] : response.body();
        ctx.log().debug(method + " " + target + " -> " + response.statusCode() + " ("
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms, " + bytes.length + " bytes)");

        String contentType = response.headers().firstValue("content-type").orElse("");
        Charset charset = charset(contentType);
        int status = response.statusCode();
        if (failOnStatus && status >= 400) {
            String excerpt = new String(bytes, 0, Math.min(bytes.length, EXCERPT * 4), charset);
            excerpt = excerpt.length() > EXCERPT ? excerpt.substring(0, EXCERPT) + "…" : excerpt;
            throw new NodeException("http.status", "HTTP " + status + " from " + method + " " + target
                    + (excerpt.isBlank() ? "" : ": " + excerpt), status == 429 || status >= 500, null);
        }

        ObjectNode out = Json.NODES.objectNode();
        out.put("status", status);
        ObjectNode headers = out.putObject("headers");
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        out.set("body", decodeBody(ctx, bytes, charset, contentType, responseType, method));
        return NodeResult.of("out", out);
    }

    private HttpResponse<byte[]> send(HttpRequest request, long timeoutMs, String method, String target)
            throws NodeException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> new CappedBodySubscriber(MAX_BODY_BYTES));
        try {
            // the request timeout covers the wait for headers; this deadline also covers the body
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw NodeException.retryable("http.timeout", method + " " + target + " timed out after " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw NodeException.retryable("http.timeout", method + " " + target + " timed out after " + timeoutMs + " ms", cause);
            }
            if (cause instanceof CappedBodySubscriber.BodyTooLargeException) {
                throw new NodeException("http.too_large", method + " " + target + ": " + cause.getMessage(), false, cause);
            }
            if (cause instanceof IOException) {
                String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                throw NodeException.retryable("http.io", method + " " + target + " failed: " + why, cause);
            }
            if (cause instanceof IllegalArgumentException) {
                throw new NodeException("config.invalid", method + " " + target + ": " + cause.getMessage(), false, cause);
            }
            throw new IllegalStateException(method + " " + target + " failed", cause);
        }
    }

    /** The URL with the query parameters appended, URL-encoded; only http and https. */
    static URI uri(String url, ObjectNode query) throws NodeException {
        String base = url.trim();
        String fragment = "";
        int hash = base.indexOf('#');
        if (hash >= 0) {
            fragment = base.substring(hash);
            base = base.substring(0, hash);
        }
        if (!query.isEmpty()) {
            String encoded = formEncode(query);
            if (!encoded.isEmpty()) {
                base += (base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?") + encoded;
            }
        }
        URI uri;
        try {
            uri = new URI(base + fragment);
        } catch (java.net.URISyntaxException e) {
            throw new NodeException("config.invalid", "config 'url' is not a valid URL: " + e.getMessage(), false, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw NodeException.permanent("config.invalid", "config 'url' must be an http or https URL, not '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw NodeException.permanent("config.invalid", "config 'url' has no host: '" + url + "'");
        }
        return uri;
    }

    /** {@code a=1&b=x%20y}; arrays repeat the key, nulls are left out, objects are sent as JSON. */
    static String formEncode(ObjectNode fields) {
        StringJoiner out = new StringJoiner("&");
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            JsonNode value = field.getValue();
            Iterable<JsonNode> values = value.isArray() ? value : List.of(value);
            for (JsonNode v : values) {
                if (!v.isNull()) {
                    out.add(encode(field.getKey()) + "=" + encode(Json.asText(v)));
                }
            }
        }
        return out.toString();
    }

    private static String encode(String text) {
        // URLEncoder writes spaces as '+', which only form bodies understand; %20 works everywhere
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] encodeBody(JsonNode body, String bodyType) throws NodeException {
        return switch (bodyType) {
            case "text" -> Json.asText(body).getBytes(StandardCharsets.UTF_8);
            case "form" -> {
                if (!(body instanceof ObjectNode fields)) {
                    throw NodeConfig.invalid("body", "must be an object for bodyType 'form'", body);
                }
                yield formEncode(fields).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                try {
                    yield Json.MAPPER.writeValueAsBytes(body);
                } catch (JsonProcessingException e) {
                    throw new NodeException("config.invalid", "config 'body' cannot be written as JSON: " + e.getOriginalMessage(), false, e);
                }
            }
        };
    }

    private static JsonNode decodeBody(NodeContext ctx, byte[] bytes, Charset charset, String contentType,
                                       String responseType, String method) throws NodeException {
        boolean looksJson = contentType.toLowerCase(Locale.ROOT).matches("^[^;]*[/+]json\\b.*");
        boolean json = responseType.equals("json") || (responseType.equals("auto") && looksJson);
        if (method.equals("HEAD") || (bytes.length == 0 && json)) {
            return NullNode.getInstance();
        }
        String text = new String(bytes, charset);
        if (!json) {
            return Json.NODES.textNode(text);
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            if (responseType.equals("json")) {
                throw new NodeException("json.invalid", "the response body is not valid JSON" + Json.where(e) + ": " + e.getOriginalMessage(), false, e);
            }
            ctx.log().warn("the response says " + contentType + " but its body is not valid JSON; emitting it as text");
            return Json.NODES.textNode(text);
        }
    }

    private static Charset charset(String contentType) {
        Matcher m = CHARSET.matcher(contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
