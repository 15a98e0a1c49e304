package org.parisjava.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.parisjava.data.ImageU8;

/**
 * CLIP's image preprocessing as transformers' CLIPImageProcessor does it with the PIL backend (and
 * OpenAI's CLIP before it): convert to RGB, resize the shortest side to {@code size} with Pillow's
 * bicubic filter ({@link PilBicubicResize}; the other side {@code int(size * long / short)}), center
 * crop to {@code crop} ({@code top = (h - crop) / 2}), rescale by 1/255 and normalize with CLIP's
 * mean and std. The settings come from a {@code preprocessor_config.json} when the model folder has
 * one (the old integer form, {@code "size": 224, "crop_size": 224}, or the newer dicts), else CLIP's
 * defaults at the model's input side.
 *
 * <p>transformers 5 made a torchvision backend CLIPImageProcessor's default; its antialiased bicubic
 * rounds differently from Pillow's: measured on 32 to 640 px images, a few pixels (mean difference
 * below 1e-4 after normalization) differ by one or two byte levels. This class matches the Pillow
 * backend ({@code CLIPImageProcessorPil}, OpenAI's own preprocessing) to float rounding.
 *
 * @param shortestEdge resize target of the shorter side, or 0 with {@code height, width} set
 * @param height       resize target height when resizing to a fixed size (else 0)
 * @param width        resize target width when resizing to a fixed size (else 0)
 * @param crop         side of the center crop, the model's input side S
 * @param doResize     whether to resize
 * @param doCenterCrop whether to crop
 * @param rescale      the factor from bytes to [0, 1] (1/255), or 1 when rescaling is off
 * @param mean         per-channel mean after rescaling (null: no normalization)
 * @param std          per-channel std after rescaling
 */
public record ClipImageProcessor(int shortestEdge, int height, int width, int crop, boolean doResize,
        boolean doCenterCrop, double rescale, double[] mean, double[] std) {

    /** OpenAI CLIP's normalization, transformers' OPENAI_CLIP_MEAN and OPENAI_CLIP_STD (arXiv 2103.00020). */
    public static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    /** The file transformers saves the settings in. */
    public static final String FILE = "preprocessor_config.json";
    private static final int PIL_BICUBIC = 3;

    /** CLIP's defaults for an S x S model input. */
    public static ClipImageProcessor defaults(int side) {
        return new ClipImageProcessor(side, 0, 0, side, true, true, 1 / 255.0, CLIP_MEAN, CLIP_STD);
    }

    /**
     * The settings of {@code file} ({@code preprocessor_config.json}).
     *
     * @throws IllegalArgumentException naming the file and the key when a value is invalid or asks for a
     *                                  resampling filter other than bicubic
     */
    public static ClipImageProcessor read(Path file) {
        JsonObject c;
        try {
            c = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid JSON in " + file + ": " + e.getMessage(), e);
        }
        try {
            boolean resize = flag(c, "do_resize");
            int shortest = 0;
            int h = 0;
            int w = 0;
            JsonElement size = c.get("size");
            if (size == null || size.isJsonNull()) {
                shortest = 224;
            } else if (size.isJsonPrimitive()) {
                shortest = size.getAsInt();
            } else if (size.getAsJsonObject().has("shortest_edge")) {
                shortest = size.getAsJsonObject().get("shortest_edge").getAsInt();
            } else {
                h = size.getAsJsonObject().get("height").getAsInt();
                w = size.getAsJsonObject().get("width").getAsInt();
            }
            JsonElement cropSize = c.get("crop_size");
            int crop;
            if (cropSize == null || cropSize.isJsonNull()) {
                crop = 224;
            } else if (cropSize.isJsonPrimitive()) {
                crop = cropSize.getAsInt();
            } else {
                int ch = cropSize.getAsJsonObject().get("height").getAsInt();
                int cw = cropSize.getAsJsonObject().get("width").getAsInt();
                if (ch != cw) {
                    throw new IllegalArgumentException("crop_size " + ch + "x" + cw + " is not square");
                }
                crop = ch;
            }
            if (resize && c.has("resample") && c.get("resample").getAsInt() != PIL_BICUBIC) {
                throw new IllegalArgumentException("resample " + c.get("resample") + " is not bicubic (3), the only"
                        + " filter implemented");
            }
            double rescale = flag(c, "do_rescale")
                    ? (c.has("rescale_factor") ? c.get("rescale_factor").getAsDouble() : 1 / 255.0) : 1.0;
            boolean normalize = flag(c, "do_normalize");
            return new ClipImageProcessor(shortest, h, w, crop, resize, flag(c, "do_center_crop"), rescale,
                    normalize ? triple(c, "image_mean", CLIP_MEAN) : null, normalize ? triple(c, "image_std", CLIP_STD)
                    : null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid CLIP image preprocessing in " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean flag(JsonObject c, String key) {
        return !c.has(key) || c.get(key).getAsBoolean();
    }

    private static double[] triple(JsonObject c, String key, double[] fallback) {
        if (!c.has(key)) {
            return fallback;
        }
        JsonArray a = c.getAsJsonArray(key);
        if (a.size() != 3) {
            throw new IllegalArgumentException(key + " has " + a.size() + " values, expected 3 (RGB)");
        }
        return new double[] {a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2).getAsDouble()};
    }

    /**
     * The model input of a batch.
     *
     * @param images RGB or grayscale (replicated to RGB, as Pillow's convert("RGB") does), any size
     * @return (B, 3, S, S) row-major, S = {@link #crop}
     * @throws IllegalArgumentException if an image is smaller than the crop after resizing
     */
    public float[] pixels(List<ImageU8> images) {
        int s = crop;
        float[] out = new float[images.size() * 3 * s * s];
        for (int i = 0; i < images.size(); i++) {
            ImageU8 img = images.get(i);
            int h = img.height();
            int w = img.width();
            int[] size = doResize ? resizedSize(h, w) : new int[] {h, w};
            int top = doCenterCrop ? (size[0] - s) / 2 : 0;
            int left = doCenterCrop ? (size[1] - s) / 2 : 0;
            if (top < 0 || left < 0 || (!doCenterCrop && (size[0] != s || size[1] != s))) {
                throw new IllegalArgumentException("Image " + i + " is " + size[0] + "x" + size[1] + " after resizing, "
                        + "smaller than the model's " + s + "x" + s + " input");
            }
            for (int c = 0; c < 3; c++) {
                int src = img.channels() == 1 ? 0 : c;
                int[] band = new int[h * w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        band[y * w + x] = img.get(src, y, x);
                    }
                }
                if (doResize && (size[0] != h || size[1] != w)) {
                    band = PilBicubicResize.resize(band, h, w, size[0], size[1]);
                }
                int base = (i * 3 + c) * s * s;
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        double v = band[(top + y) * size[1] + left + x] * rescale;
                        out[base + y * s + x] = (float) (mean == null ? v : (v - mean[c]) / std[c]);
                    }
                }
            }
        }
        return out;
    }

    /** {height, width} after the resize, as transformers' get_resize_output_image_size computes it. */
    int[] resizedSize(int h, int w) {
        if (shortestEdge == 0) {
            return new int[] {height, width};
        }
        int shortSide = Math.min(h, w);
        int longSide = Math.max(h, w);
        int newLong = (int) ((double) shortestEdge * longSide / shortSide);
        return w <= h ? new int[] {newLong, shortestEdge} : new int[] {shortestEdge, newLong};
    }
}
