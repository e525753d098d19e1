package io.qflow.trigger.file.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One watched folder: a virtual thread takes the WatchService's events, keeps the files that match
 * the glob, and fires once per file after it has been quiet for the debounce time (an editor's save
 * or a copy makes several events; the workflow sees one). Created-then-deleted within that time
 * fires nothing; created-then-modified fires {@code created}.
 */
final class FolderWatch implements TriggerHandle, Runnable {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What happened to a file since it last fired, and when it last changed. */
    private static final class Change {
        final String first;
        String last;
        long quietAt;

        Change(String kind, long quietAt) {
            this.first = kind;
            this.last = kind;
            this.quietAt = quietAt;
        }

        String event() {
            if (first.equals("created")) {
                return last.equals("deleted") ? null : "created";
            }
            return last;
        }
    }

    private final TriggerContext context;
    private final Path folder;
    private final PathMatcher glob;
    private final Set<String> events;
    private final long debounceNanos;
    private final WatchService watcher;
    private final Map<Path, Change> pending = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    FolderWatch(TriggerContext context, Path folder, PathMatcher glob, Set<String> events, long debounceMs) throws IOException {
        this.context = context;
        this.folder = folder;
        this.glob = glob;
        this.events = events;
        this.debounceNanos = TimeUnit.MILLISECONDS.toNanos(debounceMs);
        this.watcher = folder.getFileSystem().newWatchService();
        folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofVirtual().name("qflow-file-" + context.workflowId() + "/" + context.nodeId()).start(this);
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                long wait = nextQuiet() - System.nanoTime();
                WatchKey key = pending.isEmpty() ? watcher.take() : watcher.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (key != null) {
                    collect(key);
                    if (!key.reset()) {
                        context.failed(new IOException("the folder " + folder + " can no longer be watched (deleted or moved?)"));
                        return;
                    }
                }
                fireQuiet();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the normal way out
        } catch (RuntimeException e) {
            if (!closed) {
                context.failed(e);
            }
        }
    }

    private long nextQuiet() {
        long min = Long.MAX_VALUE;
        for (Change c : pending.values()) {
            min = Math.min(min, c.quietAt);
        }
        return min;
    }

    private void collect(WatchKey key) {
        long quietAt = System.nanoTime() + debounceNanos;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                context.log().warn("too many changes in " + folder + " at once: some were not seen");
                continue;
            }
            Path name = (Path) event.context();
            if (!glob.matches(name)) {
                continue;
            }
            String kind = event.kind() == StandardWatchEventKinds.ENTRY_CREATE ? "created"
                    : event.kind() == StandardWatchEventKinds.ENTRY_DELETE ? "deleted" : "modified";
            Path file = folder.resolve(name);
            Change change = pending.get(file);
            if (change == null) {
                pending.put(file, new Change(kind, quietAt));
            } else {
                change.last = kind;
                change.quietAt = quietAt;
            }
        }
    }

    private void fireQuiet() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Path, Change>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Change> entry = it.next();
            if (entry.getValue().quietAt > now) {
                continue;
            }
            it.remove();
            String event = entry.getValue().event();
            if (event != null && events.contains(event)) {
                fire(entry.getKey(), event);
            }
        }
    }

    private void fire(Path file, String event) {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        outputs.put("path", JSON.textNode(file.toAbsolutePath().toString()));
        outputs.put("name", JSON.textNode(file.getFileName().toString()));
        outputs.put("event", JSON.textNode(event));
        ObjectNode metadata = JSON.objectNode();
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            metadata.put("size", attributes.size());
            metadata.put("modifiedAt", attributes.lastModifiedTime().toInstant().toString());
            metadata.put("directory", attributes.isDirectory());
        } catch (IOException e) {
            // deleted (or gone again): no metadata, the event still counts
            metadata.putNull("size");
            metadata.putNull("modifiedAt");
        }
        outputs.put("size", metadata.get("size"));
        outputs.put("modifiedAt", metadata.get("modifiedAt"));
        try {
            context.fire(outputs);
        } catch (RuntimeException e) {
            context.log().error("could not start a run for " + event + " " + file + ": " + e.getMessage());
        }
    }

    @Override
    public JsonNode details() {
        ObjectNode details = JSON.objectNode();
        details.put("folder", folder.toString());
        return details;
    }

    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            context.log().warn("closing the watch of " + folder + ": " + e.getMessage());
        }
        thread.interrupt();
    }
}
