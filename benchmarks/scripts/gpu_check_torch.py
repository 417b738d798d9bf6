"""PyTorch eager side of gpu-check.sh: loads the random checkpoints gpu_check_models.py writes and scores token requests the way
lm-evaluation-harness does (right-padded batches in the harness's order, log_softmax over the whole logits tensor, gather of the
continuation tokens), on any torch device, in fp32 or bf16. Attention is scaled_dot_product_attention with a causal mask
(transformers' default "sdpa" path) where torch has it."""
import json
import math
import os
import struct
import time

import torch

_DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def load(folder, device, dtype):
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    path = os.path.join(folder, "model.safetensors")
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    w = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        t = torch.frombuffer(data, dtype=_DTYPES[meta["dtype"]], count=(b - a) // (4 if meta["dtype"] == "F32" else 2), offset=a)
        w[name] = t.view(meta["shape"]).to(device=device, dtype=dtype)
    del data
    return cfg, w


def _attention(q, k, v):
    if hasattr(torch.nn.functional, "scaled_dot_product_attention"):
        return torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    t = q.shape[-2]
    mask = torch.full((t, t), float("-inf"), device=q.device, dtype=q.dtype).triu(1)
    return torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask, dim=-1) @ v


def _gpt2(cfg, w, ids):
    b, t = ids.shape
    d, nh = cfg["n_embd"], cfg["n_head"]
    x = w["wte.weight"][ids] + w["wpe.weight"][torch.arange(t, device=ids.device)]
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        q, k, v = torch.addmm(w[p + "attn.c_attn.bias"], h.view(-1, d), w[p + "attn.c_attn.weight"]).view(b, t, 3 * d).split(d, dim=-1)
        q, k, v = (z.reshape(b, t, nh, d // nh).transpose(1, 2) for z in (q, k, v))
        o = _attention(q, k, v).transpose(1, 2).reshape(b * t, d)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], o, w[p + "attn.c_proj.weight"]).view(b, t, d)
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        f = torch.nn.functional.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], h.view(-1, d), w[p + "mlp.c_fc.weight"]), approximate="tanh")
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], f, w[p + "mlp.c_proj.weight"]).view(b, t, d)
    x = torch.nn.functional.layer_norm(x, (d,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
    return torch.nn.functional.linear(x, w["wte.weight"])


def _rms(x, g, eps):
    xf = x.float()
    return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype) * g


def _llama(cfg, w, ids):
    b, t = ids.shape
    d, nh, nkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = d // nh
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, hd, 2, device=ids.device).float() / hd))
    ang = torch.outer(torch.arange(t, device=ids.device).float(), inv)
    cos, sin = torch.cat([ang.cos()] * 2, -1).to(w["model.norm.weight"].dtype), torch.cat([ang.sin()] * 2, -1).to(w["model.norm.weight"].dtype)

    def rope(z):
        h1, h2 = z[..., : hd // 2], z[..., hd // 2:]
        return z * cos + torch.cat([-h2, h1], -1) * sin

    x = w["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = _rms(x, w[p + "input_layernorm.weight"], cfg["rms_norm_eps"])
        q = torch.nn.functional.linear(h, w[p + "self_attn.q_proj.weight"]).view(b, t, nh, hd).transpose(1, 2)
        k = torch.nn.functional.linear(h, w[p + "self_attn.k_proj.weight"]).view(b, t, nkv, hd).transpose(1, 2)
        v = torch.nn.functional.linear(h, w[p + "self_attn.v_proj.weight"]).view(b, t, nkv, hd).transpose(1, 2)
        q, k = rope(q), rope(k)
        k, v = k.repeat_interleave(nh // nkv, dim=1), v.repeat_interleave(nh // nkv, dim=1)
        o = _attention(q, k, v).transpose(1, 2).reshape(b, t, d)
        x = x + torch.nn.functional.linear(o, w[p + "self_attn.o_proj.weight"])
        h = _rms(x, w[p + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
        x = x + torch.nn.functional.linear(torch.nn.functional.silu(torch.nn.functional.linear(h, w[p + "mlp.gate_proj.weight"]))
                                           * torch.nn.functional.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
    x = _rms(x, w["model.norm.weight"], cfg["rms_norm_eps"])
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return torch.nn.functional.linear(x, head)


def _score_batch(cfg, w, batch, device):
    inps = [(ctx + cont)[:-1] for ctx, cont in batch]
    width = max(len(i) for i in inps)
    ids = torch.tensor([i + [0] * (width - len(i)) for i in inps], device=device)
    logits = (_gpt2 if cfg["model_type"] == "gpt2" else _llama)(cfg, w, ids)
    logp = torch.log_softmax(logits, dim=-1)
    out = []
    for row, (inp, (ctx, cont)) in enumerate(zip(inps, batch)):
        sel = logp[row, len(inp) - len(cont):len(inp)]
        out.append(sel.gather(1, torch.tensor(cont, device=device).unsqueeze(1)).sum())
    return [float(v) for v in torch.stack(out).float().cpu()]


def _sync(device):
    if str(device).startswith("cuda"):
        torch.cuda.synchronize()


def time_scoring(folder, requests, device, dtype_name, batch_sizes, sort_by_length=True):
    """Tokens/s of eager scoring at each batch size (same token count definition as mlrb: context + continuation − 1).
    Like the harness, requests are ordered longest first when batched (batch size 1 keeps the file order)."""
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[dtype_name]
    cfg, w = load(folder, device, dtype)
    tokens = sum(len(c) + len(x) - 1 for c, x in requests)
    figures = {}
    with torch.inference_mode():
        _score_batch(cfg, w, requests[:2], device)
        _sync(device)
        for size in batch_sizes:
            order = sorted(requests, key=lambda r: -(len(r[0]) + len(r[1]))) if size > 1 and sort_by_length else requests
            if str(device).startswith("cuda"):
                torch.cuda.reset_peak_memory_stats()
            start = time.perf_counter()
            try:
                for i in range(0, len(order), size):
                    _score_batch(cfg, w, order[i:i + size], device)
                _sync(device)
            except RuntimeError as ex:  # out of memory at a large batch: record it, keep the other sizes
                figures[str(size)] = {"error": str(ex).splitlines()[0]}
                continue
            sec = time.perf_counter() - start
            entry = {"seconds": round(sec, 3), "tokens_per_second": round(tokens / sec, 1)}
            if str(device).startswith("cuda"):
                entry["peak_device_memory_bytes"] = torch.cuda.max_memory_allocated()
            figures[str(size)] = entry
    del w
    if str(device).startswith("cuda"):
        torch.cuda.empty_cache()
    return {"requests": len(requests), "tokens": tokens, "batch_sizes": figures}
