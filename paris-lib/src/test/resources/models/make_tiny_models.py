"""Makes the tiny feature models the DjlModelFeatures tests load, and their reference outputs.

Run from this folder with a Python that has PyTorch (Debian's python3-torch 1.13 works):
    /usr/bin/python3 make_tiny_models.py
Writes tiny_convnet.pt (TorchScript), tiny_convnet.onnx (when the ONNX exporter works offline),
tiny_vit_like.pt (returns (B, T, D) tokens, to test the CLS path), and reference.json: a fixed
input batch and the outputs Python computes for it.
"""
import json

import torch
import torch.nn as nn


class TinyConvNet(nn.Module):
    """(B, 3, 8, 8) -> (B, 6): conv, ReLU, global average pool, linear."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, kernel_size=3, padding=1)
        self.fc = nn.Linear(4, 6)

    def forward(self, x):  # (B, 3, H, W)
        h = torch.relu(self.conv(x))  # (B, 4, H, W)
        h = h.mean(dim=(2, 3))  # (B, 4)
        return self.fc(h)  # (B, 6)


class TinyTokens(nn.Module):
    """(B, 3, 8, 8) -> (B, 1 + 4, 5): a CLS token followed by 4 patch tokens (2x2 patches of 4x4)."""

    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, 5, kernel_size=4, stride=4)
        self.cls = nn.Parameter(torch.randn(1, 1, 5))

    def forward(self, x):  # (B, 3, H, W)
        p = self.patch(x).flatten(2).transpose(1, 2)  # (B, 4, 5)
        cls = self.cls.expand(x.shape[0], -1, -1) + p.mean(dim=1, keepdim=True)  # (B, 1, 5)
        return torch.cat([cls, p], dim=1)  # (B, 5, 5)


def main():
    torch.manual_seed(1234)
    conv = TinyConvNet().eval()
    tokens = TinyTokens().eval()
    # A fixed batch of 2 images in [-1, 1], as DjlModelFeatures feeds them with normalization off.
    g = torch.Generator().manual_seed(7)
    x = torch.randint(0, 256, (2, 3, 8, 8), generator=g).to(torch.uint8)
    xf = x.float() / 127.5 - 1.0
    with torch.no_grad():
        traced = torch.jit.trace(conv, xf)
        traced.save("tiny_convnet.pt")
        torch.jit.trace(tokens, xf).save("tiny_vit_like.pt")
        out_conv = conv(xf)
        out_tokens = tokens(xf)[:, 0, :]
    onnx_ok = True
    try:
        torch.onnx.export(conv, xf, "tiny_convnet.onnx", input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "B"}, "y": {0: "B"}}, opset_version=13)
    except Exception as e:  # the exporter may need packages that are not installed
        onnx_ok = False
        print("ONNX export failed:", e)
    ref = {
        "input_u8_chw": x.flatten().tolist(),
        "batch": 2, "channels": 3, "height": 8, "width": 8,
        "tiny_convnet": out_conv.flatten().tolist(),
        "tiny_vit_like_cls": out_tokens.flatten().tolist(),
        "onnx": onnx_ok,
    }
    with open("reference.json", "w") as f:
        json.dump(ref, f, indent=1)


if __name__ == "__main__":
    main()
