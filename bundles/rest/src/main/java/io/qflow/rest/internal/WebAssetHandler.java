package io.qflow.rest.internal;

import io.javalin.http.Context;
import io.javalin.http.staticfiles.ResourceHandler;
import io.javalin.http.staticfiles.StaticFileConfig;
import io.javalin.security.RouteRole;
import io.qflow.rest.spi.WebAssets;
import io.qflow.rest.spi.WebAssets.Asset;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serves the files of the current {@link WebAssets} service (the web editor) for GET and HEAD
 * requests that no route answers. Javalin consults a resource handler only after its routes, so
 * the API keeps priority and its 404 problems, and no route is added for the OpenAPI document.
 *
 * <p>A path that names no file ({@code /workflows/hello}: no dot in its last segment) and asks
 * for HTML gets {@code index.html}: the single-page app routes it itself. Hashed files are
 * cached for a year, everything else revalidated every time (so a new editor shows at once).
 */
final class WebAssetHandler implements ResourceHandler {

    static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
    static final String CACHE_NONE = "no-cache";

    private final Supplier<Optional<WebAssets>> assets;

    WebAssetHandler(Supplier<Optional<WebAssets>> assets) {
        this.assets = assets;
    }

    /** index.html of the current WebAssets, if any: what {@code GET /} serves instead of the placeholder. */
    Optional<Asset> index() {
        return assets.get().flatMap(web -> web.find(WebAssets.INDEX));
    }

    static void send(Context ctx, Asset asset) {
        ctx.header("Cache-Control", asset.immutable() ? CACHE_IMMUTABLE : CACHE_NONE);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(asset.contentType()).result(asset.content());
    }

    @Override
    public boolean canHandle(Context ctx) {
        return lookup(ctx).isPresent();
    }

    @Override
    public boolean handle(Context ctx) {
        Optional<Asset> asset = lookup(ctx);
        asset.ifPresent(found -> send(ctx, found));
        return asset.isPresent();
    }

    private Optional<Asset> lookup(Context ctx) {
        String path = ctx.path();
        if (path.startsWith(RestApi.BASE + "/") || path.equals(RestApi.BASE) || !safe(path)) {
            return Optional.empty();
        }
        Optional<WebAssets> web = assets.get();
        if (web.isEmpty()) {
            return Optional.empty();
        }
        String relative = path.substring(1);
        Optional<Asset> file = relative.isEmpty() ? Optional.empty() : web.get().find(relative);
        if (file.isPresent()) {
            return file;
        }
        return isAppRoute(relative, ctx.header("Accept")) ? web.get().find(WebAssets.INDEX) : Optional.empty();
    }

    /** Only plain relative names reach the provider: no traversal, no backslashes, no empty segments. */
    static boolean safe(String path) {
        if (!path.startsWith("/") || path.contains("\\") || path.contains("//") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAppRoute(String relative, String accept) {
        String last = relative.substring(relative.lastIndexOf('/') + 1);
        return !last.contains(".") && (accept == null || accept.contains("text/html") || accept.contains("*/*"));
    }

    @Override
    public boolean addStaticFileConfig(StaticFileConfig config) {
        return false; // every file comes from WebAssets, never from Javalin's static file settings
    }

    @Override
    public Set<RouteRole> resourceRouteRoles(Context ctx) {
        return Set.of();
    }
}
