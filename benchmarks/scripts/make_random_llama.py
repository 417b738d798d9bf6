#!/usr/bin/env python3
"""Writes a random-weight Llama-shaped bf16 checkpoint (config.json + model.safetensors) for memory benchmarks.

The weights are slices of one random bf16 pool taken at random offsets (generating 7 billion fresh random numbers would take
longer than the measurement); the engine's cost does not depend on the values. Only the standard library, numpy and torch.
Usage: make_random_llama.py FOLDER [--layers 32] [--hidden 4096] [--intermediate 11008] [--heads 32] [--vocab 32000]
"""
import argparse
import json
import os
import struct

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("folder")
ap.add_argument("--layers", type=int, default=32)
ap.add_argument("--hidden", type=int, default=4096)
ap.add_argument("--intermediate", type=int, default=11008)
ap.add_argument("--heads", type=int, default=32)
ap.add_argument("--vocab", type=int, default=32000)
a = ap.parse_args()
d, f, v = a.hidden, a.intermediate, a.vocab
shapes = {"model.embed_tokens.weight": (v, d)}
for l in range(a.layers):
    p = f"model.layers.{l}."
    shapes.update({p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,)})
    for m in ("q_proj", "k_proj", "v_proj", "o_proj"):
        shapes[p + f"self_attn.{m}.weight"] = (d, d)
    shapes.update({p + "mlp.gate_proj.weight": (f, d), p + "mlp.up_proj.weight": (f, d), p + "mlp.down_proj.weight": (d, f)})
shapes.update({"model.norm.weight": (d,), "lm_head.weight": (v, d)})

header, offset = {"__metadata__": {"format": "pt"}}, 0
for name, shape in shapes.items():
    n = int(np.prod(shape)) * 2
    header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + n]}
    offset += n
blob = json.dumps(header, separators=(",", ":")).encode()
blob += b" " * ((8 - len(blob) % 8) % 8)

torch.manual_seed(0)
pool_size = 1 << 26
pool = (torch.randn(pool_size) * 0.02).to(torch.bfloat16).view(torch.int16).numpy()
ones = (torch.ones(d) + torch.randn(d) * 0.02).to(torch.bfloat16).view(torch.int16).numpy()
rng = np.random.default_rng(0)
os.makedirs(a.folder, exist_ok=True)
with open(os.path.join(a.folder, "model.safetensors"), "wb") as out:
    out.write(struct.pack("<Q", len(blob)))
    out.write(blob)
    for name, shape in shapes.items():
        count = int(np.prod(shape))
        if len(shape) == 1:
            out.write(ones.tobytes())
            continue
        while count > 0:
            take = min(count, pool_size // 2)
            start = int(rng.integers(0, pool_size - take + 1))
            out.write(pool[start:start + take].tobytes())
            count -= take
config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": v, "hidden_size": d, "intermediate_size": f,
          "num_hidden_layers": a.layers, "num_attention_heads": a.heads, "num_key_value_heads": a.heads, "max_position_embeddings": 4096,
          "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": False, "torch_dtype": "bfloat16",
          "bos_token_id": 1, "eos_token_id": 2}
json.dump(config, open(os.path.join(a.folder, "config.json"), "w"), indent=2)
print(f"wrote {a.folder}: {a.layers} layers, {offset / 2:.3e} parameters, {offset / 2**30:.2f} GiB of bf16 weights")
