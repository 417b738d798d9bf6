#!/usr/bin/env python3
"""Writes a random-weight Llama-shaped (or, with --arch phi, phi-2-shaped) bf16 checkpoint (config.json + model.safetensors) for
memory and throughput benchmarks.

The weights are slices of one random bf16 pool taken at random offsets (generating 7 billion fresh random numbers would take
longer than the measurement); the engine's cost does not depend on the values. Only the standard library, numpy and torch.
Usage: make_random_llama.py FOLDER [--arch llama|phi] [--layers 32] [--hidden 4096] [--intermediate 11008] [--heads 32]
       [--kv-heads HEADS] [--vocab 32000]
phi-2 itself: --arch phi --layers 32 --hidden 2560 --intermediate 10240 --heads 32 --vocab 51200 (partial rotary 0.4, LayerNorm,
gelu_new, biases everywhere, untied head with bias).
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
ap.add_argument("--kv-heads", type=int, default=None)
ap.add_argument("--vocab", type=int, default=32000)
ap.add_argument("--arch", choices=["llama", "phi"], default="llama")
a = ap.parse_args()
d, f, v = a.hidden, a.intermediate, a.vocab
kv = a.kv_heads or a.heads
kvd = d // a.heads * kv
shapes = {"model.embed_tokens.weight": (v, d)}
for l in range(a.layers):
    p = f"model.layers.{l}."
    if a.arch == "phi":
        shapes.update({p + "input_layernorm.weight": (d,), p + "input_layernorm.bias": (d,)})
        for m in ("q_proj", "k_proj", "v_proj", "dense"):
            shapes.update({p + f"self_attn.{m}.weight": (d, d), p + f"self_attn.{m}.bias": (d,)})
        shapes.update({p + "mlp.fc1.weight": (f, d), p + "mlp.fc1.bias": (f,), p + "mlp.fc2.weight": (d, f), p + "mlp.fc2.bias": (d,)})
        continue
    shapes.update({p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,)})
    shapes.update({p + "self_attn.q_proj.weight": (d, d), p + "self_attn.k_proj.weight": (kvd, d), p + "self_attn.v_proj.weight": (kvd, d),
                   p + "self_attn.o_proj.weight": (d, d)})
    shapes.update({p + "mlp.gate_proj.weight": (f, d), p + "mlp.up_proj.weight": (f, d), p + "mlp.down_proj.weight": (d, f)})
if a.arch == "phi":
    shapes.update({"model.final_layernorm.weight": (d,), "model.final_layernorm.bias": (d,), "lm_head.weight": (v, d), "lm_head.bias": (v,)})
else:
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
small = (torch.randn(max(d, f, v)) * 0.02).to(torch.bfloat16).view(torch.int16).numpy()
rng = np.random.default_rng(0)
os.makedirs(a.folder, exist_ok=True)
with open(os.path.join(a.folder, "model.safetensors"), "wb") as out:
    out.write(struct.pack("<Q", len(blob)))
    out.write(blob)
    for name, shape in shapes.items():
        count = int(np.prod(shape))
        if len(shape) == 1:
            # Norm weights near 1, biases near 0.
            out.write((small[:count] if name.endswith(".bias") else ones[:count]).tobytes())
            continue
        while count > 0:
            take = min(count, pool_size // 2)
            start = int(rng.integers(0, pool_size - take + 1))
            out.write(pool[start:start + take].tobytes())
            count -= take
if a.arch == "phi":
    config = {"architectures": ["PhiForCausalLM"], "model_type": "phi", "vocab_size": v, "hidden_size": d, "intermediate_size": f,
              "num_hidden_layers": a.layers, "num_attention_heads": a.heads, "num_key_value_heads": kv, "max_position_embeddings": 2048,
              "partial_rotary_factor": 0.4, "layer_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "gelu_new",
              "tie_word_embeddings": False, "torch_dtype": "bfloat16", "qk_layernorm": False, "bos_token_id": min(50256, v - 1), "eos_token_id": min(50256, v - 1)}
else:
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": v, "hidden_size": d, "intermediate_size": f,
              "num_hidden_layers": a.layers, "num_attention_heads": a.heads, "num_key_value_heads": kv, "max_position_embeddings": 4096,
              "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": False, "torch_dtype": "bfloat16",
              "bos_token_id": 1, "eos_token_id": 2}
json.dump(config, open(os.path.join(a.folder, "config.json"), "w"), indent=2)
print(f"wrote {a.folder}: {a.layers} layers, {offset / 2:.3e} parameters, {offset / 2**30:.2f} GiB of bf16 weights")
