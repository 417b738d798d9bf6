#!/usr/bin/python3
"""PyTorch side of compare-torch.sh.

Writes a GPT-2-small-shaped random fp32 model (12 layers, width 768, vocab 50257) and BLiMP-like token requests
(empty context -> [EOS], 8-20 token continuations), then times PyTorch eager scoring of the same requests:
one request per forward pass (the harness default, batch_size=1) and right-padded batches of 8.
"""
import argparse
import json
import math
import os
import random
import struct
import time

import torch


def write_model(folder, seed=0):
    cfg = {"model_type": "gpt2", "vocab_size": 50257, "n_embd": 768, "n_head": 12, "n_layer": 12, "n_positions": 1024,
           "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "bos_token_id": 50256, "eos_token_id": 50256}
    torch.manual_seed(seed)
    d, v = 768, 50257
    shapes = {"wte.weight": (v, d), "wpe.weight": (1024, d)}
    for l in range(12):
        p = f"h.{l}."
        shapes.update({p + "ln_1.weight": (d,), p + "ln_1.bias": (d,), p + "attn.c_attn.weight": (d, 3 * d),
                       p + "attn.c_attn.bias": (3 * d,), p + "attn.c_proj.weight": (d, d), p + "attn.c_proj.bias": (d,),
                       p + "ln_2.weight": (d,), p + "ln_2.bias": (d,), p + "mlp.c_fc.weight": (d, 4 * d),
                       p + "mlp.c_fc.bias": (4 * d,), p + "mlp.c_proj.weight": (4 * d, d), p + "mlp.c_proj.bias": (d,)})
    shapes.update({"ln_f.weight": (d,), "ln_f.bias": (d,)})
    header, offset, tensors = {}, 0, {}
    for name, shape in shapes.items():
        t = torch.ones(shape) if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight" else torch.randn(shape) * 0.02
        tensors[name] = t
        n = t.numel() * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for t in tensors.values():
            f.write(t.numpy().tobytes())
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"))
    return cfg, tensors


def forward(cfg, w, ids):
    """GPT-2 eager forward on [B, T] ids (no attention mask, as the harness runs causal models)."""
    b, t = ids.shape
    d, nh = cfg["n_embd"], cfg["n_head"]
    hd = d // nh
    x = w["wte.weight"][ids] + w["wpe.weight"][torch.arange(t)]
    mask = torch.full((t, t), float("-inf")).triu(1)
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        q, k, v = torch.addmm(w[p + "attn.c_attn.bias"], h.view(-1, d), w[p + "attn.c_attn.weight"]).view(b, t, 3 * d).split(d, dim=-1)
        q, k, v = (z.view(b, t, nh, hd).transpose(1, 2) for z in (q, k, v))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
        o = (att @ v).transpose(1, 2).reshape(b * t, d)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], o, w[p + "attn.c_proj.weight"]).view(b, t, d)
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        f = torch.addmm(w[p + "mlp.c_fc.bias"], h.view(-1, d), w[p + "mlp.c_fc.weight"])
        f = 0.5 * f * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (f + 0.044715 * torch.pow(f, 3.0))))
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], f, w[p + "mlp.c_proj.weight"]).view(b, t, d)
    x = torch.nn.functional.layer_norm(x, (d,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
    # As transformers' GPT2LMHeadModel does it: nn.Linear over the tied embedding (no transposed copy of the matrix).
    return torch.nn.functional.linear(x, w["wte.weight"])


def score_batch(cfg, w, batch):
    inps = [(ctx + cont)[:-1] for ctx, cont in batch]
    width = max(len(i) for i in inps)
    ids = torch.tensor([i + [0] * (width - len(i)) for i in inps])
    logp = torch.log_softmax(forward(cfg, w, ids), dim=-1)
    out = []
    for row, (inp, (ctx, cont)) in enumerate(zip(inps, batch)):
        sel = logp[row, len(inp) - len(cont):len(inp)]
        out.append(float(sel.gather(1, torch.tensor(cont).unsqueeze(1)).sum()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--write-only", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg, w = write_model(args.folder)
    rng = random.Random(7)
    reqs = [([50256], [rng.randrange(50257) for _ in range(rng.randint(8, 20))]) for _ in range(args.requests)]
    json.dump(reqs, open(os.path.join(args.folder, "requests.json"), "w"))
    if args.write_only:
        return
    tokens = sum(len(c) + len(x) - 1 for c, x in reqs)
    with torch.inference_mode():
        score_batch(cfg, w, reqs[:4])
        for size in (1, 8):
            start, cpu = time.perf_counter(), time.process_time()
            first = []
            for i in range(0, len(reqs), size):
                first.extend(score_batch(cfg, w, reqs[i:i + size]))
            sec, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"torch batch={size}: {len(reqs)} requests, {tokens} tokens in {sec:.2f} s = {tokens / sec:.0f} tokens/s wall, "
                  f"{tokens / cpu:.0f} tokens per CPU-second (threads={args.threads}); first results: {', '.join(f'{v:.4f}' for v in first[:3])}")


if __name__ == "__main__":
    main()
