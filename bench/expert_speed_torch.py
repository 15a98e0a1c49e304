"""PyTorch eager twin of org.parisjava.model.DiT, for bench/expert-speed.sh.

The same architecture, layer for layer (PixArt-style AdaLN-Single DiT: linear patchify + fixed
sin-cos positions, shared t projection to 6D plus per-block tables, fused-qkv self-attention,
cross-attention with a key mask, GELU MLP (exact, or tanh with --gelu tanh), T2I final layer), the same flow-matching loss
and AdamW step, the same batch. Prints JSON lines like the Java benchmark.

Works on torch 1.13 (Debian) and 2.x; attention is written out (two matmuls around a softmax)
unless --sdpa is given and torch has F.scaled_dot_product_attention.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {  # name: (image, channels, patch, hidden, depth, heads, mlp_ratio, text_dim, text_tokens)
    "smoke": (16, 3, 2, 32, 2, 2, 4, 32, 8),
    "demo": (16, 3, 2, 128, 4, 4, 4, 64, 16),
}
USE_SDPA = False


def attention(q, k, v, bias):
    """q (B, H, T, dh), k and v (B, H, S, dh), bias broadcastable to (B, H, T, S)."""
    if USE_SDPA:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
    q = q * (q.shape[-1] ** -0.5)
    scores = q @ k.transpose(-2, -1)
    if bias is not None:
        scores = scores + bias
    return scores.softmax(-1) @ v


class SelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.qkv, self.proj = h, nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4).unbind(0)
        return self.proj(attention(q, k, v, None).transpose(1, 2).reshape(b, t, d))


class CrossAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.q, self.kv, self.proj = h, nn.Linear(d, d), nn.Linear(d, 2 * d), nn.Linear(d, d)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, x, y, bias):
        b, t, d = x.shape
        s = y.shape[1]
        q = self.q(x).reshape(b, t, self.h, d // self.h).transpose(1, 2)
        k, v = self.kv(y).reshape(b, s, 2, self.h, d // self.h).permute(2, 0, 3, 1, 4).unbind(0)
        return self.proj(attention(q, k, v, bias).transpose(1, 2).reshape(b, t, d))


GELU = "none"  # as DiTConfig's smoke and demo presets (exactGelu); --gelu tanh for the DiT reference's


class Mlp(nn.Module):
    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d_in, d_hidden), nn.Linear(d_hidden, d_out)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate=GELU))


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


class Block(nn.Module):
    def __init__(self, d, h, r):
        super().__init__()
        self.attn, self.cross_attn, self.mlp = SelfAttention(d, h), CrossAttention(d, h), Mlp(d, r * d, d)
        self.scale_shift_table = nn.Parameter(torch.randn(6, d) / d ** 0.5)
        self.d = d

    def forward(self, x, y, t0, bias):
        sh1, sc1, g1, sh2, sc2, g2 = (self.scale_shift_table[None] + t0).chunk(6, dim=1)
        x = x + g1 * self.attn(modulate(F.layer_norm(x, (self.d,), eps=1e-6), sh1, sc1))
        x = x + self.cross_attn(x, y, bias)
        return x + g2 * self.mlp(modulate(F.layer_norm(x, (self.d,), eps=1e-6), sh2, sc2))


def sincos_positions(d, g):
    q = d // 4
    w = 10000.0 ** (-torch.arange(q, dtype=torch.float64) / q)
    r, c = torch.meshgrid(torch.arange(g, dtype=torch.float64), torch.arange(g, dtype=torch.float64), indexing="ij")
    r, c = r.reshape(-1, 1) * w, c.reshape(-1, 1) * w
    return torch.cat([r.sin(), r.cos(), c.sin(), c.cos()], 1).float()


class DiT(nn.Module):
    def __init__(self, image, channels, patch, d, depth, heads, r, text_dim, text_tokens):
        super().__init__()
        self.p, self.c, self.d = patch, channels, d
        self.x_embedder = nn.Linear(channels * patch * patch, d)
        self.register_buffer("pos", sincos_positions(d, image // patch)[None])
        self.t_embedder = nn.Sequential(nn.Linear(256, d), nn.SiLU(), nn.Linear(d, d))
        self.t_block = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))
        self.y_embedder = Mlp(text_dim, d, d)
        self.blocks = nn.ModuleList(Block(d, heads, r) for _ in range(depth))
        self.final_table = nn.Parameter(torch.randn(2, d) / d ** 0.5)
        self.final_linear = nn.Linear(d, patch * patch * channels)
        nn.init.zeros_(self.final_linear.weight)
        nn.init.zeros_(self.final_linear.bias)

    def forward(self, x, t, text, mask):
        b, c, hh, ww = x.shape
        p, g = self.p, hh // self.p
        x = x.reshape(b, c, g, p, g, p).permute(0, 2, 4, 1, 3, 5).reshape(b, g * g, c * p * p)
        x = self.x_embedder(x) + self.pos
        half = 128
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        args = (1000 * t)[:, None] * freqs[None]
        temb = self.t_embedder(torch.cat([args.cos(), args.sin()], 1))
        t0 = self.t_block(temb).reshape(b, 6, self.d)
        y = self.y_embedder(text)
        bias = ((mask - 1) * 1e4)[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, y, t0, bias)
        shift, scale = (temb[:, None] + self.final_table[None]).chunk(2, dim=1)
        x = self.final_linear(modulate(F.layer_norm(x, (self.d,), eps=1e-6), shift, scale))
        x = x.reshape(b, g, g, c, p, p).permute(0, 3, 1, 4, 2, 5).reshape(b, c, hh, ww)
        return x


def matmul_peak(repeats, n=1024, iters=10):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iters):
            a @ b
        out.append(2.0 * n ** 3 * iters / (time.perf_counter() - start) / 1e9)
    return out


def main():
    global USE_SDPA, GELU
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="demo")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sdpa", action="store_true")
    ap.add_argument("--gelu", default="none", choices=["none", "tanh"],
                    help="GELU of the MLPs: none (exact, the smoke and demo presets') or tanh (DiT reference)")
    ap.add_argument("--only", default="all", choices=["all", "matmul", "model"])
    ap.add_argument("--warmup", type=int, default=40,
                    help="untimed training steps, then as many sampling steps, before the timed ones (as the Java side)")
    a = ap.parse_args()
    GELU = a.gelu
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    USE_SDPA = a.sdpa and hasattr(F, "scaled_dot_product_attention")
    impl = "torch-" + torch.__version__.split("+")[0] + ("-sdpa" if USE_SDPA else "")

    def report(what, values, unit):
        print(json.dumps({"impl": impl, "what": what, "value": round(statistics.median(values), 2), "unit": unit,
                          "preset": a.preset, "batch": a.batch, "threads": a.threads,
                          "raw": [round(v, 2) for v in values]}), flush=True)

    if a.only != "model":
        report("matmul", matmul_peak(a.repeats), "GFLOP/s")
    if a.only == "matmul":
        return
    image, channels, patch, d, depth, heads, r, text_dim, text_tokens = PRESETS[a.preset]
    model = DiT(*PRESETS[a.preset])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    b = a.batch
    images = torch.rand(b, channels, image, image) * 2 - 1
    text = torch.randn(b, text_tokens, text_dim)
    mask = torch.zeros(b, text_tokens)
    mask[:, :8] = 1

    def train(steps):
        start = time.perf_counter()
        for _ in range(steps):
            eps = torch.randn_like(images)
            t = torch.rand(b)
            xt = images + (eps - images) * t[:, None, None, None]
            loss = (model(xt, t, text, mask) - (eps - images)).square().mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        return time.perf_counter() - start

    def sample(steps):
        start = time.perf_counter()
        with torch.no_grad():
            for _ in range(steps):
                model(torch.randn_like(images), torch.full((b,), 0.5), text, mask).numpy()
        return time.perf_counter() - start

    w0 = time.process_time()
    train(a.warmup)
    sample(a.warmup)
    report("warmup_cpu_s", [time.process_time() - w0], "cpu-s")
    tr, sa, trc, sac = [], [], [], []
    for _ in range(a.repeats):
        c0 = time.process_time()
        tr.append(b * a.steps / train(a.steps))
        c1 = time.process_time()
        sa.append(b * a.steps / sample(a.steps))
        c2 = time.process_time()
        trc.append(b * a.steps / (c1 - c0))
        sac.append(b * a.steps / (c2 - c1))
    report("train", tr, "images/s")
    report("sample", sa, "images/s")
    # throughput per CPU-second (all threads): robust to other processes sharing the cores
    report("train_per_cpu_s", trc, "images/cpu-s")
    report("sample_per_cpu_s", sac, "images/cpu-s")


if __name__ == "__main__":
    main()
