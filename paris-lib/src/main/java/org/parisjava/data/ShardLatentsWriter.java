package org.parisjava.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.parisjava.io.Json;

/**
 * Adds the latents of a finished shard's images, {@code latents.f32} (see {@link ShardManifest.Latents}),
 * in the shard's image order. The file is written under a temporary name, renamed into place, and only
 * then is the manifest rewritten (atomically) to name it, so a crash leaves a pixel-only shard, never a
 * manifest that names latents which are not all there.
 */
public final class ShardLatentsWriter implements AutoCloseable {
    private final Path dir;
    private final ShardManifest manifest;
    private final String codec;
    private final float scale;
    private final ImageSpec spec;
    private final Path tmp;
    private final OutputStream out;
    private final MessageDigest digest;
    private final ByteBuffer buf;
    private long count;
    private boolean closed;

    /**
     * @param dir   a finished shard
     * @param codec the codec's description, recorded in the manifest
     * @param scale the scale the codec applied after encoding
     * @param spec  the latent shape (C, H, W) of one image
     */
    public ShardLatentsWriter(Path dir, String codec, float scale, ImageSpec spec) {
        this.dir = dir;
        this.manifest = Shard.readManifest(dir);
        this.codec = codec;
        this.scale = scale;
        this.spec = spec;
        this.buf = ByteBuffer.allocate(spec.numel() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try {
            digest = MessageDigest.getInstance("SHA-256");
            tmp = dir.resolve(ShardManifest.LATENTS + ".tmp");
            out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), digest);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write latents into shard " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends the latents of the next image: {@code spec.numel()} values of {@code values} from {@code offset}. */
    public void add(float[] values, int offset) {
        if (closed) {
            throw new IllegalStateException("Latents writer for " + dir + " is closed");
        }
        if (count >= manifest.count()) {
            throw new IllegalStateException("Shard " + dir + " holds " + manifest.count() + " images; latent "
                    + (count + 1) + " has no image");
        }
        buf.clear();
        for (int j = 0; j < spec.numel(); j++) {
            float v = values[offset + j];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("Latent of image " + count + " of shard " + dir
                        + " is not finite at value " + j + ": " + v);
            }
            buf.putFloat(v);
        }
        try {
            out.write(buf.array(), 0, buf.position());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write latents into shard " + dir, e);
        }
        count++;
    }

    /** Finishes: every image must have its latents; the file is renamed, then the manifest rewritten. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            if (count != manifest.count()) {
                Files.deleteIfExists(tmp);
                throw new IllegalStateException("Shard " + dir + " holds " + manifest.count() + " images, but "
                        + count + " latents were written");
            }
            Files.move(tmp, dir.resolve(ShardManifest.LATENTS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish the latents of shard " + dir, e);
        }
        Json.write(dir.resolve(ShardManifest.FILE), manifest.withLatents(new ShardManifest.Latents(codec, scale,
                spec.channels(), spec.height(), spec.width(), HexFormat.of().formatHex(digest.digest()))));
    }
}
