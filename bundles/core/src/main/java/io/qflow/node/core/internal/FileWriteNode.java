package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.BlobNotFoundException;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code core.file.write}: writes (or appends to) a file inside the files folder. */
@Component(service = NodeType.class, configurationPid = FileRootConfig.PID)
public final class FileWriteNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.file.write")
            .name("Write file")
            .category("Files")
            .description("Writes text, JSON, base64-decoded bytes or the content of a blob reference (streamed) to a file "
                    + "in the Qflow files folder, replacing or appending. Paths are relative to that folder and cannot leave it.")
            .icon("save")
            .input("in", DataType.ANY, "The content to write when 'content' is not set", false)
            .output("out", DataType.objectWith(Map.of("path", DataType.STRING, "size", DataType.INTEGER)),
                    "The file's path (relative to the files folder) and its size in bytes after writing")
            .configSchemaResource(FileWriteNode.class, "schemas/file-write.json")
            .example("{\"path\": \"exports/orders.json\"}")
            .example("{\"path\": \"logs/{{ execution.id }}.txt\", \"content\": \"{{ in.message }}\\n\", \"append\": true}")
            .build();

    private final FileSandbox sandbox;

    @Activate
    public FileWriteNode(FileRootConfig config) {
        this(FileSandbox.fromConfig(config.root()));
    }

    public FileWriteNode(FileSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        String path = config.requiredString("path");
        boolean base64 = config.choice("encoding", "utf-8", "utf-8", "base64").equals("base64");
        boolean append = config.bool("append", false);
        boolean createDirs = config.bool("createDirs", true);
        JsonNode content = config.has("content") ? config.get("content") : Json.inputOrNull(ctx, "in");
        BlobRef blob = BlobRef.isRef(content) ? BlobRef.of(content) : null;
        byte[] bytes = blob == null ? bytes(content, base64) : null;

        Path file = sandbox.resolve(path);
        try {
            if (createDirs) {
                Files.createDirectories(file.getParent());
                // the folders just created are ours, but re-check: a link may sit where we created none
                file = sandbox.resolve(path);
            }
            OpenOption[] options = append
                    ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                    : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE};
            if (blob == null) {
                Files.write(file, bytes, options);
            } else {
                try (InputStream in = ctx.blobs().open(blob); OutputStream out = Files.newOutputStream(file, options)) {
                    in.transferTo(out); // streamed: the blob is never whole in memory
                }
            }
            ObjectNode out = Json.NODES.objectNode();
            out.put("path", sandbox.display(file));
            out.put("size", Files.size(file));
            return NodeResult.of("out", out);
        } catch (BlobNotFoundException e) {
            throw NodeException.permanent("blob.not_found", "cannot write '" + path + "': " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw NodeException.permanent("blob.unsupported", "the content is a blob reference, and this platform has no blob store");
        } catch (NoSuchFileException e) {
            throw NodeException.permanent("file.not_found", "the folder of '" + path
                    + "' does not exist (turn on createDirs to create it)");
        } catch (IOException e) {
            throw new NodeException("file.io", "cannot write '" + path + "': " + e.getMessage(), true, e);
        }
    }

    /** Strings as they are (or base64-decoded); any other value as compact JSON. */
    private static byte[] bytes(JsonNode content, boolean base64) throws NodeException {
        if (base64) {
            if (!content.isTextual()) {
                throw NodeException.permanent("data.invalid", "encoding 'base64' needs base64 text to write, but got " + Json.describe(content));
            }
            try {
                return Base64.getDecoder().decode(content.textValue().replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw new NodeException("data.invalid", "the content is not valid base64: " + e.getMessage(), false, e);
            }
        }
        String text = content.isTextual() ? content.textValue() : content.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
