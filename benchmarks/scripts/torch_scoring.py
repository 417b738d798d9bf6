#!/usr/bin/python3
"""PyTorch side of compare-torch.sh: writes random models and requests, and times PyTorch eager scoring of them.

Models (`--make`): `gpt2-small` (12 layers, width 768, vocab 50257, fp32) and `tiny-llama` (the 260K-parameter
llama2.c "stories260K" shape: hidden 64, 5 layers, 8 heads, 4 KV heads, intermediate 172, vocab 512, 512 positions,
tied embeddings, fp32). Other folders (make_random_llama.py's Llama and Phi shapes) are read as they are.
Requests (`--kind`): `blimp` (context [BOS], 8-20 token continuations) or `superglue` (40-250 token contexts,
1-2 token continuations, as SuperGLUE 0-shot prompts are).
Scoring: log-softmax of the continuation tokens as lm-evaluation-harness does, in length-sorted right-padded batches of
each `--batches` size (batch 1 is the harness default and a plain eager loop), in fp32 or bf16 (`--dtype`).
"""
import argparse
import json
import math
import os
import random
import struct
import time

import numpy as np
import torch

# ----------------------------------------------------------------------------------------------- model files


def write_safetensors(folder, tensors, cfg):
    header, offset = {}, 0
    for name, t in tensors.items():
        n = t.numel() * 4
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for t in tensors.values():
            f.write(t.contiguous().numpy().tobytes())
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=1)


def make_gpt2_small(folder):
    cfg = {"model_type": "gpt2", "vocab_size": 50257, "n_embd": 768, "n_head": 12, "n_layer": 12, "n_positions": 1024,
           "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "bos_token_id": 50256, "eos_token_id": 50256}
    torch.manual_seed(0)
    d, v = 768, 50257
    shapes = {"wte.weight": (v, d), "wpe.weight": (1024, d)}
    for l in range(12):
        p = f"h.{l}."
        shapes.update({p + "ln_1.weight": (d,), p + "ln_1.bias": (d,), p + "attn.c_attn.weight": (d, 3 * d),
                       p + "attn.c_attn.bias": (3 * d,), p + "attn.c_proj.weight": (d, d), p + "attn.c_proj.bias": (d,),
                       p + "ln_2.weight": (d,), p + "ln_2.bias": (d,), p + "mlp.c_fc.weight": (d, 4 * d),
                       p + "mlp.c_fc.bias": (4 * d,), p + "mlp.c_proj.weight": (4 * d, d), p + "mlp.c_proj.bias": (d,)})
    shapes.update({"ln_f.weight": (d,), "ln_f.bias": (d,)})
    tensors = {n: torch.ones(s) if n.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")) else torch.randn(s) * 0.02
               for n, s in shapes.items()}
    write_safetensors(folder, tensors, cfg)


def make_tiny_llama(folder):
    d, f, v, layers, nh, nkv = 64, 172, 512, 5, 8, 4
    hd = d // nh
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": v, "hidden_size": d, "intermediate_size": f,
           "num_hidden_layers": layers, "num_attention_heads": nh, "num_key_value_heads": nkv, "max_position_embeddings": 512,
           "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": True,
           "bos_token_id": 1, "eos_token_id": 2}
    torch.manual_seed(0)
    shapes = {"model.embed_tokens.weight": (v, d)}
    for l in range(layers):
        p = f"model.layers.{l}."
        shapes.update({p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,),
                       p + "self_attn.q_proj.weight": (d, d), p + "self_attn.k_proj.weight": (nkv * hd, d),
                       p + "self_attn.v_proj.weight": (nkv * hd, d), p + "self_attn.o_proj.weight": (d, d),
                       p + "mlp.gate_proj.weight": (f, d), p + "mlp.up_proj.weight": (f, d), p + "mlp.down_proj.weight": (d, f)})
    shapes["model.norm.weight"] = (d,)
    tensors = {n: 1 + torch.randn(s) * 0.02 if len(s) == 1 else torch.randn(s) * 0.1 for n, s in shapes.items()}
    write_safetensors(folder, tensors, cfg)


def load_weights(folder, dtype):
    """Memory-maps model.safetensors; returns tensors in `dtype` (bf16 files stay bf16 without a copy when dtype is bf16)."""
    path = os.path.join(folder, "model.safetensors")
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        np_type = {"F32": np.float32, "BF16": np.int16, "F16": np.float16}[info["dtype"]]
        t = torch.from_numpy(np.array(raw[start:end].view(np_type))).reshape(info["shape"])
        if info["dtype"] == "BF16":
            t = t.view(torch.bfloat16)
        out[name] = t.to(dtype)
    return out

# ----------------------------------------------------------------------------------------------- forward passes on [B, T]


def _rope(z, cos, sin, rot):
    zr, zp = z[..., :rot], z[..., rot:]
    z1, z2 = zr[..., : rot // 2], zr[..., rot // 2:]
    return torch.cat((zr * cos + torch.cat((-z2, z1), dim=-1) * sin, zp), dim=-1)


def _cos_sin(cfg, rot, t, dtype):
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, rot, 2, dtype=torch.int64).float() / rot))
    freqs = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def _attend(q, k, v, mask):
    s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask
    return torch.softmax(s, dim=-1) @ v


def _gelu_tanh(f):
    return 0.5 * f * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (f + 0.044715 * torch.pow(f, 3.0))))


def gpt2_forward(cfg, w, ids):
    b, t = ids.shape
    d, nh = cfg["n_embd"], cfg["n_head"]
    hd = d // nh
    x = w["wte.weight"][ids] + w["wpe.weight"][torch.arange(t)]
    mask = torch.full((t, t), float("-inf")).triu(1).to(x.dtype)
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        q, k, v = torch.addmm(w[p + "attn.c_attn.bias"], h.view(-1, d), w[p + "attn.c_attn.weight"]).view(b, t, 3 * d).split(d, dim=-1)
        q, k, v = (z.view(b, t, nh, hd).transpose(1, 2) for z in (q, k, v))
        o = _attend(q, k, v, mask).transpose(1, 2).reshape(b * t, d)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], o, w[p + "attn.c_proj.weight"]).view(b, t, d)
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        f = _gelu_tanh(torch.addmm(w[p + "mlp.c_fc.bias"], h.view(-1, d), w[p + "mlp.c_fc.weight"]))
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], f, w[p + "mlp.c_proj.weight"]).view(b, t, d)
    x = torch.nn.functional.layer_norm(x, (d,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
    # As transformers' GPT2LMHeadModel does it: nn.Linear over the tied embedding (no transposed copy of the matrix).
    return torch.nn.functional.linear(x, w["wte.weight"])


def _lin(w, h, name):
    return torch.nn.functional.linear(h, w[name + ".weight"], w.get(name + ".bias"))


def _rms(x, weight, eps):
    xf = x.float()
    return weight * (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype)


def llama_forward(cfg, w, ids):
    b, t = ids.shape
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = d // nh
    eps = cfg.get("rms_norm_eps", 1e-6)
    x = w["model.embed_tokens.weight"][ids]
    cos, sin = _cos_sin(cfg, hd, t, x.dtype)
    mask = torch.full((t, t), float("-inf")).triu(1).to(x.dtype)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = _rms(x, w[p + "input_layernorm.weight"], eps)
        q = _rope(_lin(w, h, p + "self_attn.q_proj").view(b, t, nh, hd).transpose(1, 2), cos, sin, hd)
        k = _rope(_lin(w, h, p + "self_attn.k_proj").view(b, t, nkv, hd).transpose(1, 2), cos, sin, hd)
        v = _lin(w, h, p + "self_attn.v_proj").view(b, t, nkv, hd).transpose(1, 2)
        a = _attend(q, k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1), mask)
        x = x + _lin(w, a.transpose(1, 2).reshape(b, t, d), p + "self_attn.o_proj")
        h = _rms(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + _lin(w, torch.nn.functional.silu(_lin(w, h, p + "mlp.gate_proj")) * _lin(w, h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = _rms(x, w["model.norm.weight"], eps)
    return torch.nn.functional.linear(x, w.get("lm_head.weight", w["model.embed_tokens.weight"]))


def phi_forward(cfg, w, ids):
    b, t = ids.shape
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    hd = d // nh
    rot = int(cfg.get("partial_rotary_factor", 0.5) * hd)
    eps = cfg.get("layer_norm_eps", 1e-5)
    x = w["model.embed_tokens.weight"][ids]
    cos, sin = _cos_sin(cfg, rot, t, x.dtype)
    mask = torch.full((t, t), float("-inf")).triu(1).to(x.dtype)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], eps)
        q = _rope(_lin(w, h, p + "self_attn.q_proj").view(b, t, nh, hd).transpose(1, 2), cos, sin, rot)
        k = _rope(_lin(w, h, p + "self_attn.k_proj").view(b, t, nh, hd).transpose(1, 2), cos, sin, rot)
        v = _lin(w, h, p + "self_attn.v_proj").view(b, t, nh, hd).transpose(1, 2)
        attn = _lin(w, _attend(q, k, v, mask).transpose(1, 2).reshape(b, t, d), p + "self_attn.dense")
        x = x + attn + _lin(w, _gelu_tanh(_lin(w, h, p + "mlp.fc1")), p + "mlp.fc2")
    x = torch.nn.functional.layer_norm(x, (d,), w["model.final_layernorm.weight"], w["model.final_layernorm.bias"], eps)
    return _lin(w, x, "lm_head")


FORWARD = {"gpt2": gpt2_forward, "llama": llama_forward, "phi": phi_forward}

# ----------------------------------------------------------------------------------------------- requests and scoring


def make_requests(cfg, kind, count, seed=7):
    rng = random.Random(seed)
    vocab = cfg["vocab_size"]
    bos = cfg.get("bos_token_id", 0)
    if kind == "blimp":
        return [([bos], [rng.randrange(vocab) for _ in range(rng.randint(8, 20))]) for _ in range(count)]
    return [([bos] + [rng.randrange(vocab) for _ in range(rng.randint(40, 250))], [rng.randrange(vocab) for _ in range(rng.randint(1, 2))])
            for _ in range(count)]


def score_batch(cfg, w, batch):
    inps = [(ctx + cont)[:-1] for ctx, cont in batch]
    width = max(len(i) for i in inps)
    ids = torch.tensor([i + [0] * (width - len(i)) for i in inps])
    logp = torch.log_softmax(FORWARD[cfg["model_type"]](cfg, w, ids).float(), dim=-1)
    out = []
    for row, (inp, (ctx, cont)) in enumerate(zip(inps, batch)):
        sel = logp[row, len(inp) - len(cont):len(inp)]
        out.append(float(sel.gather(1, torch.tensor(cont).unsqueeze(1)).sum()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--make", choices=["gpt2-small", "tiny-llama"])
    ap.add_argument("--kind", choices=["blimp", "superglue"], default="blimp")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", default="1,8,32,64")
    ap.add_argument("--dtype", choices=["fp32", "bf16"], default="fp32")
    ap.add_argument("--max-seconds", type=float, default=0, help="stop a batch size after this long and report what was done")
    ap.add_argument("--write-only", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.make == "gpt2-small":
        make_gpt2_small(args.folder)
    elif args.make == "tiny-llama":
        make_tiny_llama(args.folder)
    cfg = json.load(open(os.path.join(args.folder, "config.json")))
    reqs = make_requests(cfg, args.kind, args.requests)
    json.dump(reqs, open(os.path.join(args.folder, "requests.json"), "w"))
    if args.write_only:
        return
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    w = load_weights(args.folder, dtype)
    # The harness's order: longest first, so a batch holds requests of similar length.
    order = sorted(range(len(reqs)), key=lambda i: -(len(reqs[i][0]) + len(reqs[i][1])))
    with torch.inference_mode():
        score_batch(cfg, w, reqs[:2])
        for size in (int(s) for s in args.batches.split(",")):
            start, cpu = time.perf_counter(), time.process_time()
            results, tokens, done = {}, 0, 0
            for i in range(0, len(order), size):
                chunk = order[i:i + size]
                for j, v in zip(chunk, score_batch(cfg, w, [reqs[j] for j in chunk])):
                    results[j] = v
                tokens += sum(len(reqs[j][0]) + len(reqs[j][1]) - 1 for j in chunk)
                done += len(chunk)
                if args.max_seconds and time.perf_counter() - start > args.max_seconds:
                    break
            sec, cpu = time.perf_counter() - start, time.process_time() - cpu
            first = [f"{results[j]:.4f}" for j in range(3) if j in results]
            print(f"torch {args.dtype} batch={size}: {done} requests, {tokens} tokens in {sec:.2f} s = {tokens / sec:.1f} tokens/s wall, "
                  f"{tokens / cpu:.1f} tokens per CPU-second (threads={args.threads}); first results: {', '.join(first)}", flush=True)


if __name__ == "__main__":
    main()
