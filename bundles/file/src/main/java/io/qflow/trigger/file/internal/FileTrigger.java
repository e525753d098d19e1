package io.qflow.trigger.file.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.TriggerType;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashSet;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** {@code trigger.file}: files created, modified or deleted in a folder start runs. */
@Component(service = TriggerType.class)
public final class FileTrigger implements TriggerType {

    static final Set<String> EVENTS = Set.of("created", "modified", "deleted");

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("trigger.file")
            .name("File watch")
            .category("Triggers")
            .description("Starts the workflow when a file matching the glob is created, modified or deleted in the folder "
                    + "(not its sub-folders). Changes are debounced: one run per file once it has been quiet for debounceMs.")
            .icon("folder")
            .output("path", DataType.STRING, "Absolute path of the file")
            .output("name", DataType.STRING, "File name")
            .output("event", DataType.STRING, "created, modified or deleted")
            .output("size", DataType.parse("integer?"), "Size in bytes (null once deleted)")
            .output("modifiedAt", DataType.parse("string?"), "Last modification time, ISO-8601 (null once deleted)")
            .configSchemaResource(FileTrigger.class, "file.schema.json")
            .example("{\"folder\": \"/data/inbox\", \"glob\": \"*.csv\", \"events\": [\"created\"]}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TriggerHandle start(TriggerContext context) throws Exception {
        JsonNode config = context.config();
        String folderText = config.path("folder").asText("");
        Path folder;
        try {
            folder = Path.of(folderText).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new TriggerConfigException("folder", "'" + folderText + "' is not a valid path: " + e.getMessage());
        }
        if (folderText.isEmpty() || !Files.isDirectory(folder)) {
            throw new TriggerConfigException("folder", "the folder '" + folderText + "' does not exist"
                    + (Files.exists(folder) ? " as a folder (it is a file)" : ""));
        }
        String globText = config.path("glob").asText("*");
        PathMatcher glob;
        try {
            glob = FileSystems.getDefault().getPathMatcher("glob:" + globText);
        } catch (IllegalArgumentException e) { // a PatternSyntaxException too
            throw new TriggerConfigException("glob", "glob '" + globText + "' is invalid: " + e.getMessage());
        }
        Set<String> events = new LinkedHashSet<>();
        if (config.has("events")) {
            for (JsonNode event : config.get("events")) {
                if (!EVENTS.contains(event.asText())) {
                    throw new TriggerConfigException("events", "events may be created, modified, deleted; not '" + event.asText() + "'");
                }
                events.add(event.asText());
            }
        } else {
            events.addAll(EVENTS);
        }
        long debounce = config.path("debounceMs").asLong(500);
        if (debounce < 0 || debounce > 3_600_000) {
            throw new TriggerConfigException("debounceMs", "debounceMs must be 0..3600000, not " + config.get("debounceMs"));
        }
        return new FolderWatch(context, folder, glob, events, debounce);
    }
}
