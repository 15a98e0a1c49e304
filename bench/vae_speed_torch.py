"""PyTorch eager twin of bench's VaeSpeedBenchmark, for bench/vae-speed.sh.

diffusers' AutoencoderKL at stabilityai/sd-vae-ft-mse's config, random weights, fp32, no gradient,
the same batch and side: one encode to latent_dist.mean and one decode per repeat, after a warm-up
of each. diffusers is not a dependency of this project: put its public source on PYTHONPATH
(<diffusers checkout>/src). Prints JSON lines like the Java benchmark.
"""
import argparse
import json
import resource
import statistics
import time

import torch
import diffusers
from diffusers import AutoencoderKL

SD_VAE_FT_MSE = dict(in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 4,
                     up_block_types=["UpDecoderBlock2D"] * 4, block_out_channels=[128, 256, 512, 512],
                     layers_per_block=2, act_fn="silu", latent_channels=4, norm_num_groups=32, sample_size=256,
                     scaling_factor=0.18215)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--side", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    vae = AutoencoderKL(**SD_VAE_FT_MSE).eval()
    images = torch.rand(a.batch, 3, a.side, a.side) * 2 - 1
    latents = torch.randn(a.batch, 4, a.side // 8, a.side // 8)
    enc_wall, enc_cpu, dec_wall, dec_cpu = [], [], [], []
    with torch.inference_mode():
        vae.encode(images).latent_dist.mean.numpy()  # warm-up
        vae.decode(latents).sample.numpy()
        for _ in range(a.repeats):
            t0, c0 = time.perf_counter(), cpu_seconds()
            vae.encode(images).latent_dist.mean.numpy()
            enc_wall.append(a.batch / (time.perf_counter() - t0))
            enc_cpu.append(a.batch / (cpu_seconds() - c0))
            t0, c0 = time.perf_counter(), cpu_seconds()
            vae.decode(latents).sample.numpy()
            dec_wall.append(a.batch / (time.perf_counter() - t0))
            dec_cpu.append(a.batch / (cpu_seconds() - c0))
    impl = f"torch-{torch.__version__.split('+')[0]}-diffusers"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    for what, v in (("encode_images_per_s", enc_wall), ("encode_images_per_cpu_s", enc_cpu),
                    ("decode_images_per_s", dec_wall), ("decode_images_per_cpu_s", dec_cpu), ("peak_rss_mib", [peak])):
        print(json.dumps({"impl": impl, "what": what, "value": round(statistics.median(v), 3), "batch": a.batch,
                          "side": a.side, "threads": a.threads, "diffusers": diffusers.__version__,
                          "raw": [round(x, 3) for x in v]}), flush=True)


if __name__ == "__main__":
    main()
