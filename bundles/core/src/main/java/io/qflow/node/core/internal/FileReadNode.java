package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code core.file.read}: reads a file inside the files folder. */
@Component(service = NodeType.class, configurationPid = FileRootConfig.PID)
public final class FileReadNode implements NodeType {

    static final long MAX_BYTES = 10L * 1024 * 1024;

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.file.read")
            .name("Read file")
            .category("Files")
            .description("Reads a file from the Qflow files folder as UTF-8 text or as base64 (for binary files), "
                    + "or, with output 'blob', streams it of any size into the blob store and emits a reference. "
                    + "Paths are relative to that folder and cannot leave it.")
            .icon("file")
            .input("in", DataType.ANY, "Optional value the path expression can refer to as 'in'", false)
            .output("out", DataType.objectWith(Map.of("path", DataType.STRING, "size", DataType.INTEGER, "content", DataType.STRING,
                            "blob", DataType.OBJECT)),
                    "The file's path (relative to the files folder), its size in bytes and its content "
                            + "(output 'content') or a blob reference {\"$blob\", \"size\", \"mediaType\"} (output 'blob')")
            .configSchemaResource(FileReadNode.class, "schemas/file-read.json")
            .example("{\"path\": \"reports/latest.csv\"}")
            .example("{\"path\": \"images/{{ in.id }}.png\", \"encoding\": \"base64\"}")
            .example("{\"path\": \"videos/big.mp4\", \"output\": \"blob\"}")
            .build();

    private final FileSandbox sandbox;

    @Activate
    public FileReadNode(FileRootConfig config) {
        this(FileSandbox.fromConfig(config.root()));
    }

    public FileReadNode(FileSandbox sandbox) {
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
        boolean blob = config.choice("output", "content", "content", "blob").equals("blob");
        Path file = sandbox.resolve(path);
        if (blob) {
            return readAsBlob(ctx, path, file);
        }
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw NodeException.permanent("file.invalid", "'" + path + "' is a folder, not a file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw NodeException.permanent("file.too_large", "'" + path + "' has " + size
                        + " bytes; the file nodes read at most " + MAX_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw NodeException.permanent("file.not_found", "no file '" + path + "' in the files folder");
        } catch (IOException e) {
            throw new NodeException("file.io", "cannot read '" + path + "': " + e.getMessage(), true, e);
        }
        ObjectNode out = Json.NODES.objectNode();
        out.put("path", sandbox.display(file));
        out.put("size", bytes.length);
        out.put("content", base64 ? Base64.getEncoder().encodeToString(bytes) : utf8(path, bytes));
        return NodeResult.of("out", out);
    }

    /** Streams the file into the blob store (no size cap, never whole in memory) and emits its reference. */
    private NodeResult readAsBlob(NodeContext ctx, String path, Path file) throws NodeException {
        BlobRef ref;
        try {
            if (Files.isDirectory(file)) {
                throw NodeException.permanent("file.invalid", "'" + path + "' is a folder, not a file");
            }
            String mediaType = null;
            try {
                mediaType = Files.probeContentType(file);
            } catch (IOException ignored) {
                // unknown type: octet-stream
            }
            try (InputStream in = Files.newInputStream(file)) {
                ref = ctx.blobs().put(in, mediaType == null ? BlobRef.OCTET_STREAM : mediaType);
            }
        } catch (NoSuchFileException e) {
            throw NodeException.permanent("file.not_found", "no file '" + path + "' in the files folder");
        } catch (UnsupportedOperationException e) {
            throw NodeException.permanent("blob.unsupported", "output 'blob' needs a blob store, and this platform has none");
        } catch (IOException e) {
            throw new NodeException("file.io", "cannot read '" + path + "' into the blob store: " + e.getMessage(), true, e);
        }
        ObjectNode out = Json.NODES.objectNode();
        out.put("path", sandbox.display(file));
        out.put("size", ref.size());
        out.set("blob", ref.toJson());
        return NodeResult.of("out", out);
    }

    private static String utf8(String path, byte[] bytes) throws NodeException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NodeException("file.encoding", "'" + path + "' is not UTF-8 text; read binary files with encoding 'base64'", false, e);
        }
    }
}
