#!/usr/bin/env python3
"""Writes a tiny random-weight folder in the layout of the released Paris model (bageldotcom/paris)
and the outputs of a PyTorch reference implementation for fixed inputs, which ParisModelTest
compares the Java loader and sampler against (within 1e-4).

The reference architecture is written here from the public description of the released weights
(their config files and the tensor names of a public inference port, which loads non-strictly):

  expert (DiT with AdaLN-Single, PixArt-alpha arXiv 2310.00426):
    patch_embed.proj (conv p x p, stride p) + pos_embed (1, T, D) learned
    time_embed.mlp.{0,2}: sinusoid(1000 t, 256; cos half first) -> Linear - SiLU - Linear
    t_block.1: SiLU - Linear(D, 6 D), shared; layers.i.scale_shift_table (6, D) per block
    text_proj: Linear(768 -> D) on the CLIP last hidden state (77 x 768)
    block: x += gate_msa * attn(LN(x) (1 + scale_msa) + shift_msa)   (nn.MultiheadAttention, fused in_proj)
           x += cross_attn(x, text)                                  (ungated, no norm)
           x += gate_mlp * mlp(LN(x) (1 + scale_mlp) + shift_mlp)    (mlp.0 - tanh-GELU - mlp.2)
    final_layer: LN(x) (1 + scale) + shift with (scale_shift_table (2, D) + temb); linear to p p C,
                 unpatchified in DiT's (p, p, C) order
  router (DiT-B with AdaLN-Zero, CLS token, t only):
    patch_embed + pos_embed, [cls_token ; tokens], time_embed, layers.i.{attn, mlp, adaLN_modulation.1}
    logits = head(LN(x[:, 0])), head = Linear - GELU - LayerNorm - GELU - Linear (head.{0,2,4})
  LayerNorms inside the blocks have no affine parameters (eps 1e-6).
  sampling: Euler from t = 1 to 0, guidance per expert against the empty prompt, router once per
  step on x_t, top-2 renormalized.

The text encoder, tokenizer and VAE are the tiny CLIP and SD-VAE fixtures already in the tests
(copied); the CLIP last hidden state comes from transformers. Needs torch, safetensors and
transformers. Run from the repository root with a Python that has them:

    python scripts/make_paris_fixture.py

Output, under paris-lib/src/test/resources/paris-tiny/:
  model_index.json, config.json, expert_{0..3}/{config.json, diffusion_pytorch_model.safetensors}
  (expert_3 stored in F16), router/{config.json, pytorch_model.safetensors}, vae/, text_encoder/,
  tokenizer/
and ../paris-tiny.reference.safetensors with the fixed inputs and the reference outputs (fp32):
  expert_x (2,4,8,8), expert_t (2), expert_text (2,77,32) -> expert_v (2,4,8,8) of expert 0
  router_x (2,4,8,8), router_t (2) -> router_logits (2,4)
  clip_cond (2,77,32), clip_empty (1,77,32): the CLIP last hidden states of PROMPTS and ""
  sample_noise (2,4,8,8) -> sample_top2 (2,4,8,8): 4 Euler steps, top-2, guidance 3.0
  sample_full (2,4,8,8): the same under the full mixture
"""
import json
import math
import pathlib
import shutil

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers import CLIPTextModel, CLIPTokenizer

ROOT = pathlib.Path(__file__).resolve().parent.parent
RES = ROOT / "paris-lib/src/test/resources"
OUT = RES / "paris-tiny"
PROMPTS = ["a red circle", "a small blue square"]
NUM_EXPERTS = 4
F16_EXPERT = 3
LATENT = 8  # latent side: 8 x 8 x 4, T = 16 tokens with patch 2
STEPS = 4
CFG = 3.0

EXPERT = dict(hidden_size=16, num_layers=2, num_heads=2, patch_size=2, in_channels=4, out_channels=4,
              mlp_ratio=4.0, text_embed_dim=32, use_adaln_single=True, cfg_dropout_prob=0.1)
ROUTER = dict(num_clusters=NUM_EXPERTS, hidden_size=16, num_layers=2, num_heads=2, patch_size=2, in_channels=4)


def sinusoid(t, dim=256):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TimeEmbed(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(256, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, t):
        return self.mlp(sinusoid(t))


class PatchEmbed(nn.Module):
    def __init__(self, c, d, p):
        super().__init__()
        self.proj = nn.Conv2d(c, d, p, stride=p)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, T, D)


def mlp(d, ratio):
    return nn.Sequential(nn.Linear(d, int(d * ratio)), nn.GELU(approximate="tanh"), nn.Linear(int(d * ratio), d))


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


class ExpertLayer(nn.Module):
    def __init__(self, d, heads, ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.mlp = mlp(d, ratio)
        self.scale_shift_table = nn.Parameter(torch.randn(6, d) / d ** 0.5)

    def forward(self, x, y, t0):
        sh_msa, sc_msa, g_msa, sh_mlp, sc_mlp, g_mlp = (self.scale_shift_table[None] + t0).chunk(6, dim=1)
        h = modulate(self.norm1(x), sh_msa, sc_msa)
        x = x + g_msa * self.attn(h, h, h, need_weights=False)[0]
        x = x + self.cross_attn(x, y, y, need_weights=False)[0]
        h = modulate(self.norm2(x), sh_mlp, sc_mlp)
        return x + g_mlp * self.mlp(h)


class FinalLayer(nn.Module):
    def __init__(self, d, p, c):
        super().__init__()
        self.norm = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.linear = nn.Linear(d, p * p * c)
        self.scale_shift_table = nn.Parameter(torch.randn(2, d) / d ** 0.5)

    def forward(self, x, temb):
        shift, scale = (self.scale_shift_table[None] + temb[:, None]).chunk(2, dim=1)
        return self.linear(modulate(self.norm(x), shift, scale))


class Expert(nn.Module):
    def __init__(self, cfg, side):
        super().__init__()
        d, p, c = cfg["hidden_size"], cfg["patch_size"], cfg["in_channels"]
        self.p, self.c = p, c
        self.patch_embed = PatchEmbed(c, d, p)
        self.pos_embed = nn.Parameter(torch.randn(1, (side // p) ** 2, d) * 0.02)
        self.time_embed = TimeEmbed(d)
        self.text_proj = nn.Linear(cfg["text_embed_dim"], d)
        self.t_block = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))
        self.layers = nn.ModuleList(ExpertLayer(d, cfg["num_heads"], cfg["mlp_ratio"])
                                    for _ in range(cfg["num_layers"]))
        self.final_layer = FinalLayer(d, p, cfg["out_channels"])

    def forward(self, x, t, text):
        """x (B, C, H, W), t (B) on 0..1000 (1000 = noise), text (B, L, Dt) -> v (B, C, H, W)."""
        b, _, hgt, _ = x.shape
        h = self.patch_embed(x) + self.pos_embed
        temb = self.time_embed(t)
        t0 = self.t_block(temb).reshape(b, 6, -1)
        y = self.text_proj(text)
        for layer in self.layers:
            h = layer(h, y, t0)
        out = self.final_layer(h, temb)  # (B, T, p p C)
        g = hgt // self.p
        out = out.reshape(b, g, g, self.p, self.p, self.c)
        return torch.einsum("nhwpqc->nchpwq", out).reshape(b, self.c, hgt, hgt)


class RouterLayer(nn.Module):
    def __init__(self, d, heads, ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.mlp = mlp(d, ratio)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))

    def forward(self, x, c):
        sh_msa, sc_msa, g_msa, sh_mlp, sc_mlp, g_mlp = self.adaLN_modulation(c)[:, None].chunk(6, dim=2)
        h = modulate(self.norm1(x), sh_msa, sc_msa)
        x = x + g_msa * self.attn(h, h, h, need_weights=False)[0]
        return x + g_mlp * self.mlp(modulate(self.norm2(x), sh_mlp, sc_mlp))


class Router(nn.Module):
    def __init__(self, cfg, side):
        super().__init__()
        d, p = cfg["hidden_size"], cfg["patch_size"]
        self.patch_embed = PatchEmbed(cfg["in_channels"], d, p)
        self.pos_embed = nn.Parameter(torch.randn(1, (side // p) ** 2, d) * 0.02)
        self.cls_token = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.time_embed = TimeEmbed(d)
        self.layers = nn.ModuleList(RouterLayer(d, cfg["num_heads"], 4.0) for _ in range(cfg["num_layers"]))
        self.norm = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.head = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.LayerNorm(d), nn.GELU(),
                                  nn.Linear(d, cfg["num_clusters"]))

    def forward(self, x, t):
        """x (B, C, H, W), t (B) on 0..1000 -> logits (B, K)."""
        h = self.patch_embed(x) + self.pos_embed
        h = torch.cat([self.cls_token.expand(h.shape[0], -1, -1), h], dim=1)
        c = self.time_embed(t)
        for layer in self.layers:
            h = layer(h, c)
        return self.head(self.norm(h[:, 0]))


def randomize(module, gen):
    """Every parameter random (zero-init gates and outputs would hide mapping errors), scaled so that
    activations stay of order 1: weights N(0, 1 / fan_in), tables and tokens N(0, 0.25), biases N(0, 0.01)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() >= 2 and not name.endswith(("table", "pos_embed", "cls_token")):
                std = p[0].numel() ** -0.5
            elif name.endswith("bias"):
                std = 0.1
            else:
                std = 0.5
            p.copy_(torch.randn(p.shape, generator=gen) * std)


def sample(experts, router, noise, cond, empty, steps, cfg, k):
    x = noise.clone()
    b = x.shape[0]
    for i in range(steps):
        t, t_next = 1 - i / steps, 1 - (i + 1) / steps
        tt = torch.full((b,), t * 1000.0)
        w = torch.softmax(router(x, tt), dim=-1)
        if k < len(experts):
            top = torch.topk(w, k, dim=-1)
            w = torch.zeros_like(w).scatter(1, top.indices, top.values)
            w = w / w.sum(dim=-1, keepdim=True)
        v = torch.zeros_like(x)
        for j, e in enumerate(experts):
            vc = e(x, tt, cond)
            vu = e(x, tt, empty.expand(b, -1, -1))
            v = v + w[:, j, None, None, None] * (vu + cfg * (vc - vu))
        x = x + (t_next - t) * v
    return x


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(2510)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    shutil.copytree(RES / "hf-clip/text_encoder", OUT / "text_encoder")
    shutil.copytree(RES / "hf-clip/tokenizer", OUT / "tokenizer")
    shutil.copytree(RES / "hf/tiny-sd-vae", OUT / "vae")
    (OUT / "model_index.json").write_text(json.dumps(
        {"_class_name": "DDMPipeline", "num_experts": NUM_EXPERTS}, indent=2) + "\n")
    (OUT / "config.json").write_text(json.dumps(
        {"image_size": LATENT, "num_channels": 4, "use_latents": True, "vae_name": "stabilityai/sd-vae-ft-mse",
         "text_encoder_name": "openai/clip-vit-large-patch14", "num_experts": NUM_EXPERTS}, indent=2) + "\n")

    experts = []
    for i in range(NUM_EXPERTS):
        e = Expert(EXPERT, LATENT).eval()
        randomize(e, gen)
        d = OUT / f"expert_{i}"
        d.mkdir()
        (d / "config.json").write_text(json.dumps(EXPERT, indent=2) + "\n")
        state = {k: v.contiguous() for k, v in e.state_dict().items()}
        if i == F16_EXPERT:
            state = {k: v.half() for k, v in state.items()}
            e.load_state_dict({k: v.float() for k, v in state.items()})  # the reference uses the rounded weights
        save_file(state, str(d / "diffusion_pytorch_model.safetensors"))
        experts.append(e)
    router = Router(ROUTER, LATENT).eval()
    randomize(router, gen)
    (OUT / "router").mkdir()
    (OUT / "router/config.json").write_text(json.dumps(ROUTER, indent=2) + "\n")
    save_file({k: v.contiguous() for k, v in router.state_dict().items()}, str(OUT / "router/pytorch_model.safetensors"))

    tok = CLIPTokenizer.from_pretrained(str(OUT / "tokenizer"))
    clip = CLIPTextModel.from_pretrained(str(OUT / "text_encoder")).eval()

    def encode(texts):
        ids = tok(texts, padding="max_length", max_length=77, truncation=True, return_tensors="pt").input_ids
        return clip(input_ids=ids).last_hidden_state

    ref = {}
    with torch.no_grad():
        ref["clip_cond"] = encode(PROMPTS)
        ref["clip_empty"] = encode([""])
        ref["expert_x"] = torch.randn(2, 4, LATENT, LATENT, generator=gen)
        ref["expert_t"] = torch.tensor([0.25, 0.9])
        ref["expert_text"] = torch.randn(2, 77, EXPERT["text_embed_dim"], generator=gen)
        ref["expert_v"] = experts[0](ref["expert_x"], ref["expert_t"] * 1000, ref["expert_text"])
        ref["expert3_v"] = experts[3](ref["expert_x"], ref["expert_t"] * 1000, ref["expert_text"])
        ref["router_x"] = torch.randn(2, 4, LATENT, LATENT, generator=gen)
        ref["router_t"] = torch.tensor([0.1, 0.7])
        ref["router_logits"] = router(ref["router_x"], ref["router_t"] * 1000)
        ref["sample_noise"] = torch.randn(2, 4, LATENT, LATENT, generator=gen)
        ref["sample_top2"] = sample(experts, router, ref["sample_noise"], ref["clip_cond"], ref["clip_empty"],
                                    STEPS, CFG, 2)
        ref["sample_full"] = sample(experts, router, ref["sample_noise"], ref["clip_cond"], ref["clip_empty"],
                                    STEPS, CFG, NUM_EXPERTS)
    save_file({k: v.float().contiguous() for k, v in ref.items()}, str(RES / "paris-tiny.reference.safetensors"),
              metadata={"prompts": json.dumps(PROMPTS), "steps": str(STEPS), "cfg": str(CFG)})
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
