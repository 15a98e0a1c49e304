"""Makes the tiny two-tower CLIP fixture that the Java CLIP vision tower and CLIP score are compared against.

Usage (any Python with torch, transformers >= 5, safetensors and Pillow; never needed by the tests),
from the repository root, after scripts/make_hf_clip_fixture.py has written the tokenizer:
    python scripts/make_hf_clip_model_fixture.py [OUT_DIR]

OUT_DIR defaults to paris-lib/src/test/resources/hf-clip. What it writes (all small, committed):
  clip-model/     a random-weight CLIPModel in openai/clip-vit-large-patch14's layout: one config.json with
                  text_config and vision_config, one model.safetensors (vision_model.*, text_model.*,
                  visual_projection.weight, text_projection.weight, logit_scale), the tokenizer files beside
                  them and a preprocessor_config.json in the old integer form (size 32, crop_size 32).
                  Vision: 32 px images, patch 8 (16 patches + CLS), hidden 32, 2 layers, 4 heads, quick_gelu.
                  Text: hidden 32, 2 layers, the fixture tokenizer's vocabulary. Projection dim 16.
  clip-separate/  the same weights as separate folders, as pipelines ship them: text_encoder/
                  (CLIPTextModelWithProjection), image_encoder/ (CLIPVisionModelWithProjection), tokenizer/,
                  feature_extractor/preprocessor_config.json in the newer dict form.
  clip-model.reference.safetensors
      pixels (2,3,32,32) normalized input -> vision_last_hidden (2,17,32), vision_pooled (2,32), image_embeds (2,16)
      input_ids (5,77) of fixed captions -> text_embeds (5,16)
      imageN (H,W,3) uint8 raw images of several sizes -> imageN_pixel_values (1,3,32,32), what
          transformers' CLIPImageProcessorPil (PIL bicubic resize of the shortest side, center crop,
          rescale, CLIP mean/std) makes of them, and imageN_embeds (1,16), the end-to-end image embedding
      clip_score (3,) 100 * max(cos(image_embeds(imageN), text_embeds(caption N)), 0), Hessel et al. 2021
          (arXiv 2104.08718), for the first three images against the first three captions
  clip-model.reference.json  the parameter count of openai/clip-vit-large-patch14's vision tower plus its
                  visual projection, counted by transformers on the meta device
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import (CLIPConfig, CLIPModel, CLIPTextConfig, CLIPTextModelWithProjection, CLIPTokenizer,
                          CLIPVisionConfig, CLIPVisionModelWithProjection)
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

SEED = 0
MAX_TOKENS = 77
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
CAPTIONS = ["a photo of a cat", "", "Two dogs playing in the snow, 35mm photo.", "café crème 🙂 東京",
            "a very long caption " + " ".join(["about a painting of a harbour at dusk"] * 12)]
# (height, width): a downscale, an upscale with a crop, the exact size, a tall one
IMAGE_SIZES = [(48, 40), (20, 28), (32, 32), (70, 33)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("paris-lib", "src", "test", "resources", "hf-clip")
    tok = CLIPTokenizer.from_pretrained(os.path.join(out, "tokenizer"))
    text = CLIPTextConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=4, max_position_embeddings=MAX_TOKENS, hidden_act="quick_gelu",
                          layer_norm_eps=1e-5, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                          pad_token_id=tok.pad_token_id, projection_dim=16)
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                              image_size=32, patch_size=8, num_channels=3, hidden_act="quick_gelu",
                              layer_norm_eps=1e-5, projection_dim=16)
    config = CLIPConfig(text_config=text.to_dict(), vision_config=vision.to_dict(), projection_dim=16)
    torch.manual_seed(SEED)
    model = CLIPModel(config).eval()
    with torch.no_grad():  # widen everything away from its init (norms at 1/0, zero biases) so all of it is tested
        for name, p in model.named_parameters():
            if name != "logit_scale":
                p.add_(0.05 * torch.randn_like(p))

    full = os.path.join(out, "clip-model")
    shutil.rmtree(full, ignore_errors=True)
    model.save_pretrained(full)
    tok.save_pretrained(full)
    with open(os.path.join(full, "preprocessor_config.json"), "w") as f:  # openai's original, integer form
        json.dump({"crop_size": 32, "do_center_crop": True, "do_normalize": True, "do_resize": True,
                   "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": CLIP_MEAN, "image_std": CLIP_STD,
                   "resample": 3, "size": 32}, f, indent=2)

    sep = os.path.join(out, "clip-separate")
    shutil.rmtree(sep, ignore_errors=True)
    text_part = CLIPTextModelWithProjection(text).eval()
    info = text_part.load_state_dict({k: v for k, v in model.state_dict().items()
                                      if k.startswith("text_model.") or k == "text_projection.weight"}, strict=False)
    assert not info.missing_keys, info
    text_part.save_pretrained(os.path.join(sep, "text_encoder"))
    vision_part = CLIPVisionModelWithProjection(vision).eval()
    info = vision_part.load_state_dict({k: v for k, v in model.state_dict().items()
                                        if k.startswith("vision_model.") or k == "visual_projection.weight"},
                                       strict=False)
    assert not info.missing_keys, info
    vision_part.save_pretrained(os.path.join(sep, "image_encoder"))
    tok.save_pretrained(os.path.join(sep, "tokenizer"))
    os.makedirs(os.path.join(sep, "feature_extractor"))
    with open(os.path.join(sep, "feature_extractor", "preprocessor_config.json"), "w") as f:
        json.dump({"crop_size": {"height": 32, "width": 32}, "do_center_crop": True, "do_convert_rgb": True,
                   "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": CLIP_MEAN,
                   "image_processor_type": "CLIPImageProcessor", "image_std": CLIP_STD, "resample": 3,
                   "rescale_factor": 1 / 255, "size": {"shortest_edge": 32}}, f, indent=2)

    # each layout loads back into transformers with every weight in place
    for cls, folder in ((CLIPModel, full), (CLIPTextModelWithProjection, os.path.join(sep, "text_encoder")),
                        (CLIPVisionModelWithProjection, os.path.join(sep, "image_encoder"))):
        _, info = cls.from_pretrained(folder, output_loading_info=True)
        assert not any(info.values()), (folder, info)

    g = torch.Generator().manual_seed(1)
    t = {}
    with torch.no_grad():
        pixels = torch.randn(2, 3, 32, 32, generator=g)
        v = model.vision_model(pixel_values=pixels)
        t["pixels"] = pixels
        t["vision_last_hidden"] = v.last_hidden_state
        t["vision_pooled"] = v.pooler_output
        t["image_embeds"] = model.visual_projection(v.pooler_output)
        again = vision_part(pixel_values=pixels).image_embeds
        assert torch.allclose(again, t["image_embeds"], atol=1e-6), "the separate vision folder differs"

        ids = tok(CAPTIONS, padding="max_length", max_length=MAX_TOKENS, truncation=True,
                  return_tensors="pt").input_ids
        t["input_ids"] = ids
        t["text_embeds"] = model.get_text_features(input_ids=ids)
        if not torch.is_tensor(t["text_embeds"]):
            t["text_embeds"] = t["text_embeds"].pooler_output
        assert torch.allclose(text_part(input_ids=ids).text_embeds, t["text_embeds"], atol=1e-6)

        processor = CLIPImageProcessorPil.from_pretrained(full)
        rng = np.random.default_rng(2)
        embeds = []
        for n, (h, w) in enumerate(IMAGE_SIZES):
            # smooth gradients plus noise: a resize that is off by one pixel or one rounding shows
            yy, xx = np.mgrid[0:h, 0:w]
            img = np.stack([255 * yy / max(1, h - 1), 255 * xx / max(1, w - 1), 127 + 60 * np.sin(xx + yy)], -1)
            img = np.clip(img + rng.normal(0, 25, img.shape), 0, 255).astype(np.uint8)
            pv = processor(images=[img], return_tensors="pt").pixel_values
            t[f"image{n}"] = torch.from_numpy(img)
            t[f"image{n}_pixel_values"] = pv
            e = model.visual_projection(model.vision_model(pixel_values=pv).pooler_output)
            t[f"image{n}_embeds"] = e
            embeds.append(e[0])
        img_e = torch.stack(embeds[:3])
        txt_e = t["text_embeds"][:3]
        cos = torch.nn.functional.cosine_similarity(img_e, txt_e, dim=-1)
        t["clip_score"] = 100 * cos.clamp(min=0)
    save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(out, "clip-model.reference.safetensors"),
              metadata={"captions": json.dumps(CAPTIONS)})

    large = CLIPVisionConfig(hidden_size=1024, intermediate_size=4096, num_hidden_layers=24, num_attention_heads=16,
                             image_size=224, patch_size=14, hidden_act="quick_gelu", layer_norm_eps=1e-5,
                             projection_dim=768)
    with torch.device("meta"):
        count = sum(p.numel() for p in CLIPVisionModelWithProjection(large).parameters())
    with open(os.path.join(out, "clip-model.reference.json"), "w") as f:
        json.dump({"name": "openai/clip-vit-large-patch14 vision tower with visual projection", "parameters": count,
                   "clip_score": t["clip_score"].tolist()}, f, indent=2)
    print(f"clip scores {t['clip_score'].tolist()}; ViT-L/14 vision tower: {count:,} parameters")


if __name__ == "__main__":
    main()
