#!/usr/bin/env python3
"""Writes the tiny SD-VAE fixture that HfVaeTest compares the Java AutoencoderKL against.

Needs torch, safetensors and diffusers' AutoencoderKL. diffusers is only needed here, never by the
tests: put its public source on PYTHONPATH (a checkout of github.com/huggingface/diffusers,
PYTHONPATH=<checkout>/src), then run from the repository root:

    PYTHONPATH=<diffusers>/src python scripts/make_hf_vae_fixture.py

Output, under paris-lib/src/test/resources/hf/tiny-sd-vae/:
  config.json, diffusion_pytorch_model.safetensors   the model, by save_pretrained (diffusers layout)
  ../tiny-sd-vae.reference.safetensors   fixed inputs and the reference outputs (fp32):
      images (2,3,16,16) in [-1,1]      -> enc_mean, enc_logvar (2,4,8,8)  (latent_dist.mean, .logvar)
      wide   (1,3,16,24)                -> wide_mean (1,4,8,12)            (asymmetric downsample padding)
      latents (2,4,8,8), unscaled        -> decoded (2,3,16,16)            (decode(z).sample)
  ../tiny-sd-vae.reference.json   the parameter count of the full-size sd-vae-ft-mse configuration, counted by
                   diffusers on the meta device (no weights allocated)
"""
import json
import pathlib

import torch
from safetensors.torch import save_file
from diffusers import AutoencoderKL

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "paris-lib/src/test/resources/hf/tiny-sd-vae"

# stabilityai/sd-vae-ft-mse's config.json (the fields that shape the network)
SD_VAE_FT_MSE = dict(
    in_channels=3,
    out_channels=3,
    down_block_types=["DownEncoderBlock2D"] * 4,
    up_block_types=["UpDecoderBlock2D"] * 4,
    block_out_channels=[128, 256, 512, 512],
    layers_per_block=2,
    act_fn="silu",
    latent_channels=4,
    norm_num_groups=32,
    sample_size=256,
    scaling_factor=0.18215,
)

TINY = dict(
    in_channels=3,
    out_channels=3,
    down_block_types=["DownEncoderBlock2D"] * 2,
    up_block_types=["UpDecoderBlock2D"] * 2,
    block_out_channels=[8, 16],
    layers_per_block=1,
    act_fn="silu",
    latent_channels=4,
    norm_num_groups=4,
    sample_size=16,
    scaling_factor=0.18215,
)


def main():
    torch.manual_seed(0)
    vae = AutoencoderKL(**TINY).eval()
    # default init leaves GroupNorm at (1, 0) and biases small: perturb every tensor so that the
    # comparison exercises each weight, affine norms included
    with torch.no_grad():
        for p in vae.parameters():
            p.add_(0.05 * torch.randn_like(p))
    OUT.mkdir(parents=True, exist_ok=True)
    vae.save_pretrained(OUT, safe_serialization=True)

    g = torch.Generator().manual_seed(1)
    images = torch.rand(2, 3, 16, 16, generator=g) * 2 - 1
    wide = torch.rand(1, 3, 16, 24, generator=g) * 2 - 1
    latents = torch.randn(2, 4, 8, 8, generator=g)
    with torch.no_grad():
        dist = vae.encode(images).latent_dist
        wide_mean = vae.encode(wide).latent_dist.mean
        decoded = vae.decode(latents).sample
    save_file({
        "images": images.contiguous(),
        "enc_mean": dist.mean.contiguous(),
        "enc_logvar": dist.logvar.contiguous(),
        "wide": wide.contiguous(),
        "wide_mean": wide_mean.contiguous(),
        "latents": latents.contiguous(),
        "decoded": decoded.contiguous(),
    }, str(OUT.parent / "tiny-sd-vae.reference.safetensors"))

    with torch.device("meta"):
        full = AutoencoderKL(**SD_VAE_FT_MSE)
    count = sum(p.numel() for p in full.parameters())
    tiny_count = sum(p.numel() for p in vae.parameters())
    (OUT.parent / "tiny-sd-vae.reference.json").write_text(json.dumps({
        "sd_vae_ft_mse_config": SD_VAE_FT_MSE,
        "sd_vae_ft_mse_parameters": count,
        "tiny_parameters": tiny_count,
    }, indent=2) + "\n")
    print(f"wrote {OUT}: tiny {tiny_count} parameters, sd-vae-ft-mse {count}")


if __name__ == "__main__":
    main()
