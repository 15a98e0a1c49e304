package org.parisjava.features;

import org.parisjava.data.ImageU8;

/**
 * How an image becomes a model's input: resized to the model's side (bilinear, half-pixel centres as
 * PyTorch's {@code align_corners=False}), grey repeated to three channels when the model wants
 * three, and normalized. Shared by the TorchScript/ONNX and the Hugging Face extractors.
 */
final class ModelInput {

    private ModelInput() {
    }

    /**
     * Writes one image as (C, H, W) floats into {@code out} at {@code off}.
     *
     * @param model named in the error when the image's channels do not fit
     */
    static void write(ImageU8 img, int inputChannels, int inputHeight, int inputWidth, ImageNormalization normalization,
            float[] out, int off, String model) {
        if (img.channels() != inputChannels && !(img.channels() == 1 && inputChannels == 3)) {
            throw new IllegalArgumentException("Model " + model + " takes " + inputChannels + " channels, the image has "
                    + img.channels());
        }
        int h = img.height();
        int w = img.width();
        float sy = (float) h / inputHeight;
        float sx = (float) w / inputWidth;
        for (int c = 0; c < inputChannels; c++) {
            int src = img.channels() == 1 ? 0 : c;
            for (int y = 0; y < inputHeight; y++) {
                float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
                int y0 = Math.min((int) fy, h - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                float ay = fy - y0;
                for (int xx = 0; xx < inputWidth; xx++) {
                    float v;
                    if (h == inputHeight && w == inputWidth) {
                        v = normalization.apply(img.get(src, y, xx), c);
                    } else {
                        float fx = Math.max(0f, (xx + 0.5f) * sx - 0.5f);
                        int x0 = Math.min((int) fx, w - 1);
                        int x1 = Math.min(x0 + 1, w - 1);
                        float ax = fx - x0;
                        // interpolate the normalized values: normalization is affine, so this equals
                        // normalizing the interpolated pixel
                        float top = (1 - ax) * normalization.apply(img.get(src, y0, x0), c)
                                + ax * normalization.apply(img.get(src, y0, x1), c);
                        float bottom = (1 - ax) * normalization.apply(img.get(src, y1, x0), c)
                                + ax * normalization.apply(img.get(src, y1, x1), c);
                        v = (1 - ay) * top + ay * bottom;
                    }
                    out[off + (c * inputHeight + y) * inputWidth + xx] = v;
                }
            }
        }
    }
}
