"""Writes the tiny test models that ClipTextEncoderTest and VaeCodecTest load through DJL.

Run from this folder with Debian's torch (1.13):  /usr/bin/python3 make_tiny_models.py
Outputs (a few KB each, committed):
  tiny_clip_text.pt      TorchScript text model: int64 ids (B, L) -> hidden states (B, L, 16)
  tiny_tokenizer.json    hand-written Hugging Face WordLevel tokenizer (lower-case, whitespace, <bos> .. <eos>)
  tiny_vae_encoder.pt    TorchScript encoder: images (B, 3, H, W) -> latent mean (B, 4, H/2, W/2)
  tiny_vae_decoder.pt    TorchScript decoder: latents (B, 4, h, w) -> images (B, 3, 2h, 2w)
  tiny_reference.json    token ids and outputs computed here, which the Java tests must reproduce
The weights are random (seeded): these files test plumbing, not quality.
"""
import json

import torch
import torch.nn as nn

torch.manual_seed(0)
MAX_TOKENS = 8
WIDTH = 16
SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]
WORDS = ["a", "red", "green", "blue", "circle", "square", "triangle", "small", "large", "on", "white", "black"]
VOCAB = {w: i for i, w in enumerate(SPECIALS + WORDS)}


def special(tok):
    return {"id": VOCAB[tok], "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


tokenizer = {
    "version": "1.0",
    "truncation": None,
    "padding": {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": None,
                "pad_id": 0, "pad_type_id": 0, "pad_token": "<pad>"},
    "added_tokens": [special(t) for t in SPECIALS],
    "normalizer": {"type": "Lowercase"},
    "pre_tokenizer": {"type": "Whitespace"},
    "post_processor": {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                   {"SpecialToken": {"id": "<eos>", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": "<eos>", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                 {"SpecialToken": {"id": "<eos>", "type_id": 1}}],
        "special_tokens": {t: {"id": t, "ids": [VOCAB[t]], "tokens": [t]} for t in ["<bos>", "<eos>"]},
    },
    "decoder": None,
    "model": {"type": "WordLevel", "vocab": VOCAB, "unk_token": "<unk>"},
}


def tokenize(caption):
    """What the tokenizer above does, for captions of plain words: ids padded to MAX_TOKENS."""
    ids = [VOCAB.get(w, VOCAB["<unk>"]) for w in caption.lower().split()][: MAX_TOKENS - 2]
    ids = [VOCAB["<bos>"]] + ids + [VOCAB["<eos>"]]
    return ids + [VOCAB["<pad>"]] * (MAX_TOKENS - len(ids))


class TinyTextModel(nn.Module):
    """A one-layer transformer over token + position embeddings, shaped like CLIP's text tower."""

    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(len(VOCAB), WIDTH)
        self.pos = nn.Parameter(torch.randn(MAX_TOKENS, WIDTH) * 0.1)
        self.layer = nn.TransformerEncoderLayer(WIDTH, 2, 32, dropout=0.0, batch_first=True)
        self.norm = nn.LayerNorm(WIDTH)

    def forward(self, ids):
        return self.norm(self.layer(self.tok(ids) + self.pos[: ids.shape[1]]))


class TinyEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 2, stride=2)

    def forward(self, x):
        return self.conv(x)


class TinyDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(4, 3, 2, stride=2)

    def forward(self, z):
        return torch.tanh(self.deconv(z))


def main():
    with open("tiny_tokenizer.json", "w") as f:
        json.dump(tokenizer, f, indent=1)
    captions = ["a red circle", "Large BLUE square on white", "", "a purple circle"]
    ids = torch.tensor([tokenize(c) for c in captions], dtype=torch.long)
    text = TinyTextModel().eval()
    enc, dec = TinyEncoder().eval(), TinyDecoder().eval()
    images = torch.linspace(-1, 1, 2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    with torch.no_grad():
        torch.jit.trace(text, ids).save("tiny_clip_text.pt")
        torch.jit.trace(enc, images).save("tiny_vae_encoder.pt")
        latents = enc(images)
        torch.jit.trace(dec, latents).save("tiny_vae_decoder.pt")
        hidden = text(ids)
        decoded = dec(latents)
    reference = {
        "max_tokens": MAX_TOKENS, "width": WIDTH, "captions": captions, "ids": ids.tolist(),
        "hidden": [round(v, 6) for v in hidden.flatten().tolist()],
        "images": [round(v, 6) for v in images.flatten().tolist()],
        "latents_unscaled": [round(v, 6) for v in latents.flatten().tolist()],
        "decoded": [round(v, 6) for v in decoded.flatten().tolist()],
    }
    with open("tiny_reference.json", "w") as f:
        json.dump(reference, f)


if __name__ == "__main__":
    main()
