package org.parisjava.latent;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.Arrays;
import org.parisjava.io.HfModelFolder;

/**
 * The fields of a diffusers {@code AutoencoderKL} config.json that shape the network (the
 * KL-regularized autoencoder of latent diffusion, Rombach et al., arXiv 2112.10752). Every level
 * has {@code DownEncoderBlock2D} / {@code UpDecoderBlock2D} blocks, GroupNorm + SiLU, and the mid
 * blocks one single-head attention block; other block types are rejected.
 *
 * @param inChannels        image channels in (3)
 * @param outChannels       image channels out (3)
 * @param blockOutChannels  channels per level, top first (sd-vae-ft-mse: 128, 256, 512, 512); the
 *                          image shrinks by 2 between levels, so by 2^(levels - 1) in all
 * @param layersPerBlock    resnet blocks per encoder level (2); the decoder has one more
 * @param latentChannels    C', the latent channels (4)
 * @param normGroups        GroupNorm groups (32)
 * @param sampleSize        the image side it was trained at (256), informative
 * @param scalingFactor     the factor latents are multiplied by for diffusion (0.18215)
 * @param shiftFactor       subtracted before scaling (0 for the SD VAEs; null in their config.json)
 * @param quantConv         whether the 1x1 quant_conv / post_quant_conv exist (true)
 * @param midBlockAttention whether the mid blocks hold their attention block (true)
 */
public record AutoencoderKlConfig(int inChannels, int outChannels, int[] blockOutChannels, int layersPerBlock,
        int latentChannels, int normGroups, int sampleSize, double scalingFactor, double shiftFactor,
        boolean quantConv, boolean midBlockAttention) {

    /** stabilityai/sd-vae-ft-mse, the latent space Paris trains in (arXiv 2510.03434): 256 px -> 32 x 32 x 4. */
    public static final AutoencoderKlConfig SD_VAE_FT_MSE = new AutoencoderKlConfig(3, 3, new int[] {128, 256, 512, 512},
            2, 4, 32, 256, 0.18215, 0, true, true);

    /** The epsilon of every GroupNorm in diffusers' VAE blocks. */
    static final float EPS = 1e-6f;

    public AutoencoderKlConfig {
        if (blockOutChannels.length == 0 || inChannels <= 0 || outChannels <= 0 || latentChannels <= 0
                || layersPerBlock <= 0 || normGroups <= 0 || !(scalingFactor > 0)) {
            throw new IllegalArgumentException("Invalid AutoencoderKL config: channels " + Arrays.toString(blockOutChannels)
                    + ", layers " + layersPerBlock + ", latent " + latentChannels + ", groups " + normGroups + ", scale "
                    + scalingFactor);
        }
        for (int c : blockOutChannels) {
            if (c <= 0 || c % normGroups != 0) {
                throw new IllegalArgumentException("AutoencoderKL block width " + c + " is not a multiple of "
                        + normGroups + " GroupNorm groups");
            }
        }
        blockOutChannels = blockOutChannels.clone();
    }

    @Override
    public int[] blockOutChannels() {
        return blockOutChannels.clone();
    }

    /** Levels, the length of block_out_channels. */
    public int levels() {
        return blockOutChannels.length;
    }

    /** The factor by which the image side shrinks, 2^(levels - 1) (sd-vae-ft-mse: 8). */
    public int downsampling() {
        return 1 << (blockOutChannels.length - 1);
    }

    /**
     * Reads the config.json of a diffusers AutoencoderKL folder (a pipeline's {@code vae/}).
     *
     * @throws IllegalArgumentException naming the folder and field when it is not an AutoencoderKL this
     *                                  reader implements
     */
    public static AutoencoderKlConfig from(HfModelFolder folder) {
        String cls = folder.configString("_class_name", "AutoencoderKL");
        if (!cls.equals("AutoencoderKL")) {
            throw new IllegalArgumentException("Not an AutoencoderKL folder: " + folder.dir() + " holds a " + cls);
        }
        String act = folder.configString("act_fn", "silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("AutoencoderKL activation " + act + " in " + folder.dir()
                    + " is not supported (silu only)");
        }
        int[] channels = ints(folder, "block_out_channels");
        checkTypes(folder, "down_block_types", "DownEncoderBlock2D", channels.length);
        checkTypes(folder, "up_block_types", "UpDecoderBlock2D", channels.length);
        boolean quant = bool(folder, "use_quant_conv", true);
        if (quant != bool(folder, "use_post_quant_conv", true)) {
            throw new IllegalArgumentException("AutoencoderKL with only one of quant_conv / post_quant_conv ("
                    + folder.dir() + ") is not supported");
        }
        JsonElement sample = folder.config().get("sample_size");
        int sampleSize = sample == null || sample.isJsonNull() ? 0
                : sample.isJsonArray() ? sample.getAsJsonArray().get(0).getAsInt() : sample.getAsInt();
        return new AutoencoderKlConfig((int) folder.configDouble("in_channels", 3),
                (int) folder.configDouble("out_channels", 3), channels, (int) folder.configDouble("layers_per_block", 1),
                (int) folder.configDouble("latent_channels", 4), (int) folder.configDouble("norm_num_groups", 32),
                sampleSize, folder.configDouble("scaling_factor", 0.18215), folder.configDouble("shift_factor", 0),
                quant, bool(folder, "mid_block_add_attention", true));
    }

    private static boolean bool(HfModelFolder folder, String key, boolean fallback) {
        JsonElement e = folder.config().get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }

    private static int[] ints(HfModelFolder folder, String key) {
        JsonElement e = folder.config().get(key);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException("Missing " + key + " list in " + folder.dir().resolve("config.json"));
        }
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static void checkTypes(HfModelFolder folder, String key, String want, int levels) {
        JsonElement e = folder.config().get(key);
        if (e == null || e.isJsonNull()) {
            return; // diffusers' defaults are these block types
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() != levels) {
            throw new IllegalArgumentException(key + " in " + folder.dir().resolve("config.json") + " lists " + a.size()
                    + " blocks for " + levels + " block_out_channels");
        }
        for (JsonElement t : a) {
            if (!t.getAsString().equals(want)) {
                throw new IllegalArgumentException(key + " in " + folder.dir().resolve("config.json") + " holds "
                        + t.getAsString() + "; only " + want + " is supported");
            }
        }
    }
}
