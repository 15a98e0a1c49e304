"""PyTorch eager twin of bench's ClipSpeedBenchmark, for bench/clip-speed.sh.

transformers' CLIPTextModel at openai/clip-vit-large-patch14's text size, random weights, fp32,
no gradient, the same batch and the same kind of ids (start, 5 to 40 random tokens, end, padding).
--attn eager writes attention out (two matmuls around a softmax, like the Java model); the default
sdpa uses torch's fused scaled_dot_product_attention. Prints JSON lines like the Java benchmark.
"""
import argparse
import json
import random
import resource
import statistics
import time

import torch
import transformers
from transformers import CLIPTextConfig, CLIPTextModel


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iters", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--attn", default="sdpa", choices=["sdpa", "eager"])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    config = CLIPTextConfig(vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                            num_attention_heads=12, max_position_embeddings=77, hidden_act="quick_gelu",
                            layer_norm_eps=1e-5)
    model = CLIPTextModel._from_config(config, attn_implementation=a.attn).eval()
    rng = random.Random(0)
    rows = []
    for _ in range(a.batch):
        n = 5 + rng.randrange(36)
        rows.append([49406] + [rng.randrange(49406) if j <= n else 49407 for j in range(1, 77)])
    ids = torch.tensor(rows, dtype=torch.long)
    wall, cpu = [], []
    with torch.inference_mode():
        model(input_ids=ids)  # warm-up
        for _ in range(a.repeats):
            t0, c0 = time.perf_counter(), cpu_seconds()
            for _ in range(a.iters):
                model(input_ids=ids).last_hidden_state.numpy()
            wall.append(a.batch * a.iters / (time.perf_counter() - t0))
            cpu.append(a.batch * a.iters / (cpu_seconds() - c0))
    impl = f"torch-{torch.__version__.split('+')[0]}-{a.attn}"
    for what, v in (("texts_per_s", wall), ("texts_per_cpu_s", cpu)):
        print(json.dumps({"impl": impl, "what": what, "value": round(statistics.median(v), 3), "batch": a.batch,
                          "threads": a.threads, "transformers": transformers.__version__,
                          "raw": [round(x, 3) for x in v]}), flush=True)


if __name__ == "__main__":
    main()
