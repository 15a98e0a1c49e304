#!/usr/bin/env python3
"""Reads a safetensors file with the standard library only (json + struct), to check that what
paris-lib writes is the format Python's safetensors reads. Prints each tensor's name, dtype,
shape and a few values, and fails loudly on any inconsistency.

    /usr/bin/python3 scripts/read_safetensors.py runs/NAME/experts/cluster-00/checkpoints/step-00000060/ema.safetensors
"""
import json
import struct
import sys

SIZES = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "U8": 1}


def decode(dtype, raw, count):
    if dtype == "F32":
        return struct.unpack("<%df" % count, raw[: 4 * count])
    if dtype == "F16":
        return struct.unpack("<%de" % count, raw[: 2 * count])
    if dtype == "BF16":  # upper half of an fp32
        return tuple(struct.unpack("<f", b"\0\0" + raw[2 * i: 2 * i + 2])[0] for i in range(count))
    return ()


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8: 8 + n].decode("utf-8"))
    body = data[8 + n:]
    meta = header.pop("__metadata__", {})
    print("metadata:", meta)
    end_max = 0
    for name, e in header.items():
        begin, end = e["data_offsets"]
        numel = 1
        for d in e["shape"]:
            numel *= d
        assert end - begin == numel * SIZES[e["dtype"]], name
        end_max = max(end_max, end)
        print("%-40s %-5s %-16s %s" % (name, e["dtype"], e["shape"], decode(e["dtype"], body[begin:end], min(3, numel))))
    assert end_max == len(body), "data section size %d != %d" % (len(body), end_max)
    print("ok: %d tensors, %d data bytes" % (len(header), len(body)))


if __name__ == "__main__":
    main(sys.argv[1])
