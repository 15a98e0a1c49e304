/**
 * Latent codecs, frozen and shared by all experts: {@link org.parisjava.latent.IdentityCodec} (pixel
 * space, the default for small images), {@link org.parisjava.latent.HfVaeCodec} (a diffusers
 * AutoencoderKL folder such as stabilityai/sd-vae-ft-mse, read and run in Java by
 * {@link org.parisjava.latent.AutoencoderKl}; scale 0.18215) and {@link org.parisjava.latent.VaeCodec}
 * (the same VAE exported to TorchScript). {@link org.parisjava.latent.LatentCodecs} names the options a
 * run records.
 */
package org.parisjava.latent;
