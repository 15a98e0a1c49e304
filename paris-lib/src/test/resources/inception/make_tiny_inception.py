"""Writes the tiny stand-in for pytorch-fid's Inception that InceptionFidTest loads through DJL.

Run from this folder with Debian's torch (1.13):  /usr/bin/python3 make_tiny_inception.py
Outputs (committed):
  tiny_inception.pt        TorchScript: images (B, 3, 299, 299) in [-1, 1] -> pool features (B, 8, 1, 1),
                           the same interface as a traced pytorch-fid InceptionV3 block-3 output (B, 2048, 1, 1)
  tiny_inception_ref.json  the input formula and the outputs computed here, which the Java test must reproduce
The weights are random (seeded): this tests the loading path, not quality.
"""
import json

import torch
import torch.nn as nn

torch.manual_seed(0)


class TinyInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, kernel_size=5, stride=4)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))

    def forward(self, x):
        return self.pool(torch.relu(self.conv(x)))


model = TinyInception().eval()
B, C, S = 2, 3, 299
n = B * C * S * S
# A deterministic input both sides can build: value i = ((i * 7919) % 2001) / 1000 - 1, in [-1, 1].
idx = torch.arange(n, dtype=torch.int64)
x = (((idx * 7919) % 2001).to(torch.float32) / 1000.0 - 1.0).reshape(B, C, S, S)
with torch.no_grad():
    y = model(x)
traced = torch.jit.trace(model, x)
traced.save("tiny_inception.pt")
with open("tiny_inception_ref.json", "w") as f:
    json.dump({"batch": B, "size": S, "input": "((i * 7919) % 2001) / 1000 - 1",
               "output_shape": list(y.shape), "output": [float(v) for v in y.flatten()]}, f)
print("wrote tiny_inception.pt", list(y.shape))
