#!/usr/bin/env python3
"""Writes the tiny DINOv2 fixture that HfDinov2Test compares the Java Dinov2Model against.

Needs torch, safetensors and transformers (Dinov2Model). Run from the repository root:

    python scripts/make_hf_dinov2_fixture.py

Output, under paris-lib/src/test/resources/hf/tiny-dinov2/:
  config.json, model.safetensors   the model, by save_pretrained: the layout and tensor names of
                                   the released facebook/dinov2-* folders
  ../tiny-dinov2.reference.safetensors   fixed inputs (already ImageNet-normalized) and reference outputs (fp32):
      pixels (2,3,56,56)  -> hidden (2,17,32), pooled (2,32)     (the trained 4x4 grid, no interpolation)
      wide   (1,3,42,70)  -> wide_hidden (1,16,32), wide_pooled  (3x5 grid: bicubic position interpolation,
                                                                  down in rows, up in columns)
  ../tiny-dinov2.reference.json   the parameter count of the full-size facebook/dinov2-large configuration,
                   counted by transformers on the meta device (no weights allocated)
"""
import json
import pathlib

import torch
from safetensors.torch import save_file
from transformers import Dinov2Config, Dinov2Model

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "paris-lib/src/test/resources/hf/tiny-dinov2"

# facebook/dinov2-large's config.json (the fields that shape the network)
DINOV2_LARGE = dict(
    hidden_size=1024,
    num_hidden_layers=24,
    num_attention_heads=16,
    mlp_ratio=4,
    hidden_act="gelu",
    image_size=518,
    patch_size=14,
    num_channels=3,
    layer_norm_eps=1e-6,
    layerscale_value=1.0,
    qkv_bias=True,
    use_swiglu_ffn=False,
)

TINY = dict(
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    mlp_ratio=4,
    hidden_act="gelu",
    image_size=56,
    patch_size=14,
    num_channels=3,
    layer_norm_eps=1e-6,
    layerscale_value=0.5,
    qkv_bias=True,
    use_swiglu_ffn=False,
)

def main():
    torch.manual_seed(0)
    config = Dinov2Config(**TINY, architectures=["Dinov2Model"])
    config._attn_implementation = "eager"
    model = Dinov2Model(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    OUT.mkdir(parents=True, exist_ok=True)
    # transformers 5 renames the attention weights in memory (q_proj, o_proj) and save_pretrained writes
    # them back in the released checkpoints' spelling (attention.attention.query, attention.output.dense)
    model.save_pretrained(str(OUT), safe_serialization=True)
    # the folder must load back into transformers with every weight in place
    reloaded, info = Dinov2Model.from_pretrained(str(OUT), output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"], info

    g = torch.Generator().manual_seed(1)
    pixels = torch.randn(2, 3, 56, 56, generator=g)
    wide = torch.randn(1, 3, 42, 70, generator=g)
    with torch.no_grad():
        out = model(pixel_values=pixels)
        out_wide = model(pixel_values=wide)
        again = reloaded.eval()(pixel_values=pixels).last_hidden_state
    assert torch.allclose(again, out.last_hidden_state, atol=1e-5), "the saved folder does not reproduce the model"
    save_file({
        "pixels": pixels.clone().contiguous(),
        "hidden": out.last_hidden_state.clone().contiguous(),
        "pooled": out.pooler_output.clone().contiguous(),
        "wide": wide.clone().contiguous(),
        "wide_hidden": out_wide.last_hidden_state.clone().contiguous(),
        "wide_pooled": out_wide.pooler_output.clone().contiguous(),
    }, str(OUT.parent / "tiny-dinov2.reference.safetensors"))

    with torch.device("meta"):
        full = Dinov2Model(Dinov2Config(**DINOV2_LARGE))
    count = sum(p.numel() for p in full.parameters())
    tiny_count = sum(p.numel() for p in model.parameters())
    (OUT.parent / "tiny-dinov2.reference.json").write_text(json.dumps({
        "dinov2_large_config": DINOV2_LARGE,
        "dinov2_large_parameters": count,
        "tiny_parameters": tiny_count,
    }, indent=2) + "\n")
    print(f"wrote {OUT}: tiny {tiny_count} parameters, dinov2-large {count}")


if __name__ == "__main__":
    main()
