"""Makes the Hugging Face CLIP text fixtures that the Java tests (org.parisjava.text) compare against.

Usage (any Python with torch, transformers >= 5 and safetensors; never needed by the tests):
    python scripts/make_hf_clip_fixture.py BPE_MERGES [OUT_DIR]

BPE_MERGES is CLIP's own merge list: openai/clip-vit-large-patch14's merges.txt, or
bpe_simple_vocab_16e6.txt.gz from openai/CLIP or the open_clip_torch wheel (MIT licence).
OUT_DIR defaults to paris-lib/src/test/resources/hf-clip.

What it writes (all small, committed):
  tokenizer/     a CLIP tokenizer folder (vocab.json, merges.txt, tokenizer.json, ...) saved by
                 transformers' CLIPTokenizer. The vocabulary is CLIP's own construction (the 256 byte
                 symbols, the same with the end-of-word mark </w>, the merged symbols, then
                 <|startoftext|> and <|endoftext|>) cut to the first MERGES merges of the real CLIP
                 list: the real algorithm and the real merge order, with a vocabulary small enough to
                 commit (the full one is 49,408 tokens and about 2 MB).
  tokenizer_reference.json
                 a few hundred captions (COCO/LAION-like, unicode, odd whitespace, very long ones) and
                 the ids transformers' CLIPTokenizer gives them, unpadded (padding is <|endoftext|>
                 up to 77; truncation keeps 75 tokens between the start and end tokens).
  text_encoder/  a random-weight CLIPTextModel (2 layers, hidden 32, 4 heads, quick_gelu, legacy
                 eos_token_id 2 so the pooled token is the argmax id) saved with save_pretrained.
  text_encoder_gelu_bf16/
                 a second one (gelu, eos_token_id set, so the pooled token is the first end token),
                 stored in bfloat16, sharded with an index, and with the text_model. prefix that
                 transformers 4.x wrote, to test BF16, the index and the legacy names end to end.
  reference.safetensors
                 for each model, the padded input ids (B, 77) of fixed captions and the reference
                 last_hidden_state (B, 77, D) and pooler_output (B, D) in float32, computed without an
                 attention mask as Stable Diffusion does.
  full_size.json the openai/clip-vit-large-patch14 text configuration and the parameter count
                 transformers gives it (the Java config must count the same).
"""
import gzip
import json
import os
import random
import sys

import torch
from safetensors.torch import load_file, save_file
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

MERGES = 1000
MAX_TOKENS = 77
SEED = 0


def bytes_to_unicode():
    """CLIP's (and GPT-2's) reversible map from the 256 byte values to printable characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for c in cs]


def read_merges(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines = [l for l in lines if l and not l.startswith("#version") and not l.startswith('"bpe_simple')]
    return [tuple(l.split()) for l in lines[:MERGES]]


def write_tokenizer(merges_path, out):
    merges = read_merges(merges_path)
    symbols = bytes_to_unicode()
    vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    folder = os.path.join(out, "tokenizer")
    os.makedirs(folder, exist_ok=True)
    raw = os.path.join(out, "raw")
    os.makedirs(raw, exist_ok=True)
    with open(os.path.join(raw, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({t: i for i, t in enumerate(vocab)}, f, ensure_ascii=False)
    with open(os.path.join(raw, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n")
    tok = CLIPTokenizer(vocab=os.path.join(raw, "vocab.json"), merges=os.path.join(raw, "merges.txt"),
                        model_max_length=MAX_TOKENS)
    tok.save_pretrained(folder)
    for name in ("vocab.json", "merges.txt"):  # save_pretrained may write only tokenizer.json
        if not os.path.exists(os.path.join(folder, name)):
            os.replace(os.path.join(raw, name), os.path.join(folder, name))
    for name in os.listdir(raw):
        os.remove(os.path.join(raw, name))
    os.rmdir(raw)
    return CLIPTokenizer.from_pretrained(folder), len(vocab)


HAND_WRITTEN = [
    "",
    "a photo of a cat",
    "A Photo Of A CAT",
    "  leading and trailing spaces   ",
    "tabs\tand\nnewlines\r\nand  double  spaces",
    "it's a dog's life, isn't it? they're here; we've gone; I'm fine; you'll see; he'd go",
    "IT'S LOUD. DON'T SHOUT!!!",
    "1920x1080 wallpaper, 4k, 8K UHD, f/2.8, 50mm, ISO 100",
    "price: $19.99 (was $25) - 20% off!!",
    "email me at someone@example.com or visit https://example.org/path?q=1&x=2",
    "#sunset #beach #nofilter @photographer",
    "café au lait, crème brûlée and a piñata in São Paulo",
    "cafe\u0301 with a decomposed accent (NFD)",
    "Ærøskøbing harbour, Ålesund, Straße, Œuvre",
    "ΟΔΟΣ ΣΤΗΝ ΑΘΗΝΑ at night (greek capitals)",
    "İstanbul and ıstanbul",
    "москва зимой, красная площадь",
    "東京の夜景 Tokyo night view",
    "北京烤鸭 peking duck on a white plate",
    "서울 타워 seoul tower",
    "مدينة في الليل a city at night",
    "שלום עולם hello world",
    "हिन्दी में कैप्शन caption in hindi",
    "emoji party 🎉🎂🥳 with friends 👨‍👩‍👧‍👦",
    "flags 🇫🇷🇯🇵 and a thumbs up 👍🏽",
    "math: x² + y² = z², ½ cup, ∑ and ∞",
    "quotes “curly” and ‘single’ and «guillemets» — an em dash – an en dash…",
    "non\u00a0breaking\u2009thin\u3000ideographic spaces",
    "zero\u200bwidth\u200djoiners and a soft\u00adhyphen",
    "full-width ＡＢＣ１２３ letters",
    "html entities &amp; &lt;tag&gt; &quot;quoted&quot;",
    "<|endoftext|> inside a caption",
    "control\u0007chars\u0000here",
    "a" * 300,
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "12345678901234567890 digits one by one",
    "a very long caption " + " ".join(["with many words about a scene"] * 30),
    "Portrait of a woman, oil on canvas, by an unknown artist, 18th century, Rijksmuseum, highly detailed, "
    "trending on artstation, octane render, unreal engine 5, volumetric lighting, golden hour, bokeh, "
    "depth of field, cinematic composition, ultra realistic, 35mm film grain, kodak portra 400, masterpiece",
    "....,,,;;;:::!!!???",
    "don't stop believin'",
    "rock'n'roll and o'clock",
    "l'été à paris",
]

SUBJECTS = ["a dog", "two cats", "a red car", "an old man", "a young woman", "a group of people", "a bowl of fruit",
            "a wooden table", "the eiffel tower", "a mountain lake", "a city street", "a plate of pasta",
            "a small boat", "a vintage camera", "a bicycle", "a herd of sheep", "a snowy forest", "a pizza",
            "a child", "an astronaut", "a vase of flowers", "a laptop", "a steam locomotive", "a giraffe"]
ACTIONS = ["sitting on", "standing next to", "running across", "lying under", "parked in front of", "floating above",
           "walking along", "looking at", "painted on", "reflected in"]
PLACES = ["a sandy beach", "the kitchen counter", "a busy market", "a green field", "an empty road", "a rainy window",
          "the old bridge", "a museum wall", "the night sky", "a wooden fence", "a crowded subway", "the harbour"]
STYLES = ["", ", photo", ", 35mm photograph", ", watercolor", ", digital art", ", black and white",
          ", HDR, 4K", ", in the style of Monet", ", stock photo", ", Getty Images", ", product shot on white"]
EXTRAS = ["", " at sunset", " in winter", " during the 1960s", " with a blue sky", " (close-up)", " – cropped",
          " !!", " #travel", " 🙂", " près de la mer", " im Regen", " 夏天", " 2019-07-14"]


def captions():
    rng = random.Random(SEED)
    out = list(HAND_WRITTEN)
    while len(out) < 320:
        c = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}{rng.choice(EXTRAS)}{rng.choice(STYLES)}"
        r = rng.random()
        if r < 0.15:
            c = c.upper()
        elif r < 0.35:
            c = c.capitalize() + "."
        elif r < 0.45:
            c = c + ". " + f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}" * rng.randint(2, 6)
        out.append(c)
    return out


def text_model(config, seed):
    torch.manual_seed(seed)
    model = CLIPTextModel(config).eval()
    with torch.no_grad():  # random init, then widen the layer norms away from 1/0 so they are tested
        for name, p in model.named_parameters():
            if "layer_norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    return model


def add_legacy_prefix(folder):
    """transformers 4.x (which wrote the released Stable Diffusion and Paris folders) saved CLIPTextModel
    weights as text_model.embeddings..., transformers 5 saves embeddings...; this folder gets the old names."""
    index_path = os.path.join(folder, "model.safetensors.index.json")
    with open(index_path) as f:
        index = json.load(f)
    for shard in sorted(set(index["weight_map"].values())):
        path = os.path.join(folder, shard)
        tensors = load_file(path)
        save_file({"text_model." + k: v for k, v in tensors.items()}, path, metadata={"format": "pt"})
    index["weight_map"] = {"text_model." + k: v for k, v in index["weight_map"].items()}
    with open(index_path, "w") as f:
        json.dump(index, f, indent=2)


def reference(model, tok, caps):
    ids = tok(caps, padding="max_length", max_length=MAX_TOKENS, truncation=True, return_tensors="pt").input_ids
    with torch.no_grad():
        out = model(input_ids=ids)
    return ids, out.last_hidden_state.float().contiguous(), out.pooler_output.float().contiguous()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join("paris-lib", "src", "test", "resources", "hf-clip")
    os.makedirs(out, exist_ok=True)
    tok, vocab_size = write_tokenizer(sys.argv[1], out)

    caps = captions()
    ids = tok(caps, truncation=True, max_length=MAX_TOKENS).input_ids
    with open(os.path.join(out, "tokenizer_reference.json"), "w", encoding="utf-8") as f:
        json.dump({"max_tokens": MAX_TOKENS, "pad_id": tok.pad_token_id, "captions": caps, "ids": ids}, f,
                  ensure_ascii=False, separators=(",", ":"))

    fixed = ["", "a photo of a cat", "Two dogs playing in the snow, 35mm photo.", "café crème 🙂 東京",
             "a very long caption " + " ".join(["about a painting of a harbour at dusk"] * 12)]
    tensors = {}
    config = CLIPTextConfig(vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                            num_attention_heads=4, max_position_embeddings=MAX_TOKENS, hidden_act="quick_gelu",
                            layer_norm_eps=1e-5, bos_token_id=0, eos_token_id=2, pad_token_id=1,
                            projection_dim=32)
    model = text_model(config, SEED)
    model.save_pretrained(os.path.join(out, "text_encoder"))
    i, h, p = reference(model, tok, fixed)
    tensors.update({"quick_gelu.input_ids": i, "quick_gelu.last_hidden_state": h, "quick_gelu.pooler_output": p})

    config2 = CLIPTextConfig(vocab_size=vocab_size, hidden_size=24, intermediate_size=40, num_hidden_layers=2,
                             num_attention_heads=3, max_position_embeddings=MAX_TOKENS, hidden_act="gelu",
                             layer_norm_eps=1e-6, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                             pad_token_id=tok.pad_token_id, projection_dim=24)
    model2 = text_model(config2, SEED + 1).to(torch.bfloat16)
    folder2 = os.path.join(out, "text_encoder_gelu_bf16")
    model2.save_pretrained(folder2, max_shard_size="40KB")
    add_legacy_prefix(folder2)
    model2, info = CLIPTextModel.from_pretrained(folder2, dtype=torch.float32, output_loading_info=True)
    assert not any(info.values()), info  # every weight found under its legacy name
    model2.eval()  # bf16 weights, fp32 compute
    # a caption with an end token written inside it: the pooled state is at the first end token
    fixed2 = fixed + ["<|endoftext|> first"]
    i, h, p = reference(model2, tok, fixed2)
    tensors.update({"gelu_bf16.input_ids": i, "gelu_bf16.last_hidden_state": h, "gelu_bf16.pooler_output": p})
    save_file(tensors, os.path.join(out, "reference.safetensors"), metadata={"captions": json.dumps(fixed2)})

    full = CLIPTextConfig(vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                          num_attention_heads=12, max_position_embeddings=77, hidden_act="quick_gelu",
                          layer_norm_eps=1e-5, projection_dim=768)
    with torch.device("meta"):
        count = sum(p.numel() for p in CLIPTextModel(full).parameters())
    with open(os.path.join(out, "full_size.json"), "w") as f:
        json.dump({"name": "openai/clip-vit-large-patch14 text model", "parameters": count,
                   "config": {k: full.to_dict()[k] for k in ("vocab_size", "hidden_size", "intermediate_size",
                                                              "num_hidden_layers", "num_attention_heads",
                                                              "max_position_embeddings", "hidden_act",
                                                              "layer_norm_eps")}}, f, indent=2)
    print(f"tokenizer: {vocab_size} tokens, {len(caps)} captions; full-size text model: {count:,} parameters")


if __name__ == "__main__":
    main()
