/**
 * Latent codecs, frozen and shared by all experts: {@link org.parisjava.latent.IdentityCodec} (pixel
 * space, the default for small images) and {@link org.parisjava.latent.VaeCodec} (a TorchScript VAE
 * such as sd-vae-ft-mse, scale 0.18215, on a real host).
 */
package org.parisjava.latent;
