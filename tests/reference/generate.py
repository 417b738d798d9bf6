#!/usr/bin/python3
"""Independent PyTorch reference for Mlrb.Eval scoring.

Writes tiny random-weight model folders of every family the engine runs (config.json,
safetensors written here by hand, tokenizer.json) under models/, LoRA adapters for
some of them under adapters/, and golden JSON files under golden/ with per-request
log-likelihoods and greedy flags, scored the way lm-evaluation-harness scores a
causal model with batch_size=1 and dtype=float32.

Each family's forward pass below is written from the maths of its Hugging Face
modeling file (modeling_gpt2, _llama/_mistral/_qwen2, _phi, _phi3, _gpt_neox, _opt,
_gemma, _gemma2, modeling_rope_utils) in plain PyTorch; transformers itself is not
used. Adapters are merged here as PEFT's LoRA layer defines it (W + scale * B @ A).

Usage:  /usr/bin/python3 tests/reference/generate.py [--shared ../shared/data]
Needs only torch (CPU) and the `regex` module. Deterministic (fixed seeds).
"""
import argparse
import json
import math
import os
import random
import struct

import regex
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)

# --------------------------------------------------------------------------- safetensors


def _tensor_bytes(t, dtype):
    flat = t.detach().to(torch.float32).contiguous().flatten().tolist()
    if dtype == "F32":
        return struct.pack("<%df" % len(flat), *flat)
    if dtype == "F16":
        return struct.pack("<%de" % len(flat), *flat)
    if dtype == "BF16":
        rounded = t.detach().to(torch.bfloat16).to(torch.float32).flatten().tolist()
        raw = struct.pack("<%df" % len(rounded), *rounded)
        return b"".join(raw[i + 2:i + 4] for i in range(0, len(raw), 4))
    raise ValueError(dtype)


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = _tensor_bytes(t, dtype)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            start, end = info["data_offsets"]
            f.seek(base + start)
            raw = f.read(end - start)
            count = math.prod(info["shape"]) if info["shape"] else 1
            if info["dtype"] == "F32":
                vals = struct.unpack("<%df" % count, raw)
            elif info["dtype"] == "F16":
                vals = struct.unpack("<%de" % count, raw)
            elif info["dtype"] == "BF16":
                vals = struct.unpack("<%df" % count, b"".join(b"\0\0" + raw[i:i + 2] for i in range(0, len(raw), 2)))
            else:
                raise ValueError(info["dtype"])
            out[name] = torch.tensor(vals, dtype=torch.float32).reshape(info["shape"])
        return out


def read_model_weights(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        files = sorted(set(json.load(open(index))["weight_map"].values()))
        out = {}
        for f in files:
            out.update(read_safetensors(os.path.join(folder, f)))
        return out
    return read_safetensors(os.path.join(folder, "model.safetensors"))

# --------------------------------------------------------------------------- tiny byte-level BPE


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
CORPUS = ("the cat sat on the mat . the dog ate the bone . she said that the man is here and there "
          "they were not in the house ; he has the book , then the end\n\nthe the the in in on")


class ByteBpe:
    def __init__(self, merges_count, specials):
        self.b2u = bytes_to_unicode()
        self.vocab = {self.b2u[b]: i for i, b in enumerate(sorted(self.b2u, key=lambda b: list(self.b2u).index(b)))}
        words = [[self.b2u[b] for b in w.encode()] for w in regex.findall(GPT2_PATTERN, CORPUS)]
        self.merges = []
        for _ in range(merges_count):
            counts = {}
            for w in words:
                for a, b in zip(w, w[1:]):
                    counts[(a, b)] = counts.get((a, b), 0) + 1
            if not counts:
                break
            best = max(sorted(counts), key=lambda p: counts[p])
            self.merges.append(best)
            self.vocab[best[0] + best[1]] = len(self.vocab)
            words = [self._apply(w, best) for w in words]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.specials = {}
        for s in specials:
            self.specials[s] = len(self.vocab)
            self.vocab[s] = len(self.vocab)

    @staticmethod
    def _apply(w, pair):
        out, i = [], 0
        while i < len(w):
            if i + 1 < len(w) and (w[i], w[i + 1]) == pair:
                out.append(w[i] + w[i + 1])
                i += 2
            else:
                out.append(w[i])
                i += 1
        return out

    def encode(self, text):
        ids = []
        for piece in regex.findall(GPT2_PATTERN, text):
            w = [self.b2u[b] for b in piece.encode()]
            while len(w) > 1:
                pairs = [(self.ranks.get((a, b), 1 << 30), (a, b)) for a, b in zip(w, w[1:])]
                rank, pair = min(pairs)
                if rank == 1 << 30:
                    break
                w = self._apply(w, pair)
            ids.extend(self.vocab[t] for t in w)
        return ids

    def tokenizer_json(self, bos=None):
        added = [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for s, i in self.specials.items()]
        post = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        if bos is not None:
            post = {"type": "TemplateProcessing",
                    "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                    "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                             {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                    "special_tokens": {bos: {"id": bos, "ids": [self.specials[bos]], "tokens": [bos]}}}
        return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
                "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
                "post_processor": post,
                "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
                "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                          "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                          "vocab": self.vocab, "merges": [a + " " + b for a, b in self.merges]}}

# --------------------------------------------------------------------------- reference forwards


def gpt2_forward(cfg, w, ids, prefix):
    d, nh = cfg["n_embd"], cfg["n_head"]
    hd = d // nh
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    t = len(ids)
    x = w[prefix + "wte.weight"][ids] + w[prefix + "wpe.weight"][torch.arange(t)]
    mask = torch.full((t, t), float("-inf")).triu(1)
    for l in range(cfg["n_layer"]):
        p = f"{prefix}h.{l}."
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = qkv.split(d, dim=-1)
        q, k, v = (z.view(t, nh, hd).transpose(0, 1) for z in (q, k, v))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
        o = (att @ v).transpose(0, 1).reshape(t, d)
        x = x + o @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        f = h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"]
        f = 0.5 * f * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (f + 0.044715 * torch.pow(f, 3.0))))
        x = x + f @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = torch.nn.functional.layer_norm(x, (d,), w[prefix + "ln_f.weight"], w[prefix + "ln_f.bias"], eps)
    head = w.get("lm_head.weight", w[prefix + "wte.weight"])
    return x @ head.T


def _rms(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def _gemma_rms(x, weight, eps):
    return (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)) * (1.0 + weight)


def _ln(x, w, b, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, eps)


def _gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


ACT = {"gelu_new": _gelu_tanh, "gelu_pytorch_tanh": _gelu_tanh, "gelu_fast": _gelu_tanh,
       "gelu": torch.nn.functional.gelu, "relu": torch.relu, "silu": torch.nn.functional.silu}


def _lin(w, h, name):
    y = h @ w[name + ".weight"].T
    return y + w[name + ".bias"] if name + ".bias" in w else y


def rope_inv_freq(cfg, dim, seq_len):
    """modeling_rope_utils: (inv_freq, attention_factor) for a sequence of seq_len tokens."""
    base = cfg.get("rope_theta", cfg.get("rotary_emb_base", 10000.0))
    s = cfg.get("rope_scaling") or {}
    kind = s.get("rope_type", s.get("type", "default"))
    maxpos = cfg["max_position_embeddings"]
    exps = torch.arange(0, dim, 2, dtype=torch.int64).float() / dim
    inv = 1.0 / (base ** exps)
    if kind in ("default", "dynamic"):
        assert seq_len <= maxpos  # dynamic NTK changes nothing up to max_position_embeddings
        return inv, 1.0
    if kind == "linear":
        return inv / s["factor"], 1.0
    if kind == "llama3":
        factor, low, high, old = s["factor"], s["low_freq_factor"], s["high_freq_factor"], s["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        out = torch.where(wavelen > old / low, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * out / factor + smooth * out
        medium = ~(wavelen < old / high) * ~(wavelen > old / low)
        return torch.where(medium, smoothed, out), 1.0
    if kind == "yarn":
        original = s.get("original_max_position_embeddings") or maxpos
        factor = s.get("factor") or maxpos / original
        mscale = lambda sc, m=1.0: 1.0 if sc <= 1 else 0.1 * m * math.log(sc) + 1.0
        attn = s.get("attention_factor")
        if attn is None:
            attn = mscale(factor, s["mscale"]) / mscale(factor, s["mscale_all_dim"]) if s.get("mscale") and s.get("mscale_all_dim") else mscale(factor)
        corr = lambda rot: (dim * math.log(original / (rot * 2 * math.pi))) / (2 * math.log(base))
        lo, hi = corr(s.get("beta_fast") or 32), corr(s.get("beta_slow") or 1)
        if s.get("truncate", True):
            lo, hi = math.floor(lo), math.ceil(hi)
        lo, hi = max(lo, 0), min(hi, dim - 1)
        if lo == hi:
            hi += 0.001
        ramp = torch.clamp((torch.arange(dim // 2, dtype=torch.float32) - lo) / (hi - lo), 0, 1)
        pos_freqs = base ** exps
        extra = 1 - ramp
        return (1.0 / (factor * pos_freqs)) * (1 - extra) + (1.0 / pos_freqs) * extra, attn
    if kind in ("longrope", "su"):
        original = s.get("original_max_position_embeddings") or cfg.get("original_max_position_embeddings") or maxpos
        factor = s.get("factor") or maxpos / original
        attn = s.get("attention_factor")
        if attn is None:
            attn = 1.0 if factor <= 1 else math.sqrt(1 + math.log(factor) / math.log(original))
        ext = torch.tensor(s["long_factor"] if seq_len > original else s["short_factor"], dtype=torch.float32)
        return 1.0 / (ext * base ** exps), attn
    raise ValueError(kind)


def rope_cos_sin(cfg, dim, t):
    inv, attn = rope_inv_freq(cfg, dim, t)
    freqs = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos() * attn, emb.sin() * attn


def apply_rope(z, cos, sin, rot):
    """Rotate-half on the first `rot` elements of each head; z is [heads, t, head_dim]."""
    zr, zp = z[..., :rot], z[..., rot:]
    z1, z2 = zr[..., : rot // 2], zr[..., rot // 2:]
    return torch.cat((zr * cos + torch.cat((-z2, z1), dim=-1) * sin, zp), dim=-1)


def attend(q, k, v, scale, softcap=None, window=None):
    """Causal attention, q/k/v [heads, t, hd] (k/v already repeated for GQA); masked where j > i or i - j >= window."""
    t = q.shape[1]
    s = (q @ k.transpose(-1, -2)) * scale
    if softcap is not None:
        s = torch.tanh(s / softcap) * softcap
    i, j = torch.arange(t)[:, None], torch.arange(t)[None, :]
    masked = j > i
    if window is not None:
        masked = masked | (i - j >= window)
    return torch.softmax(s.masked_fill(masked, float("-inf")), dim=-1) @ v


def _heads(z, t, n, hd):
    return z.view(t, n, hd).transpose(0, 1)


def _merge(a, t):
    return a.transpose(0, 1).reshape(t, -1)


def llama_forward(cfg, w, ids):
    """Llama, Mistral (sliding window on every layer), Qwen2 (window from max_window_layers when use_sliding_window)."""
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = cfg.get("head_dim") or d // nh
    eps = cfg.get("rms_norm_eps", 1e-6)
    act = ACT[cfg.get("hidden_act", "silu")]
    t = len(ids)
    cos, sin = rope_cos_sin(cfg, hd, t)
    window = None
    if cfg["model_type"] == "mistral":
        window = cfg.get("sliding_window")
    x = w["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        win = window
        if cfg["model_type"] == "qwen2" and cfg.get("use_sliding_window") and l >= cfg.get("max_window_layers", 28):
            win = cfg.get("sliding_window")
        h = _rms(x, w[p + "input_layernorm.weight"], eps)
        q = apply_rope(_heads(_lin(w, h, p + "self_attn.q_proj"), t, nh, hd), cos, sin, hd)
        k = apply_rope(_heads(_lin(w, h, p + "self_attn.k_proj"), t, nkv, hd), cos, sin, hd)
        v = _heads(_lin(w, h, p + "self_attn.v_proj"), t, nkv, hd)
        a = attend(q, k.repeat_interleave(nh // nkv, 0), v.repeat_interleave(nh // nkv, 0), 1 / math.sqrt(hd), window=win)
        x = x + _lin(w, _merge(a, t), p + "self_attn.o_proj")
        h = _rms(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + _lin(w, act(_lin(w, h, p + "mlp.gate_proj")) * _lin(w, h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = _rms(x, w["model.norm.weight"], eps)
    head = w["lm_head.weight"] if "lm_head.weight" in w else w["model.embed_tokens.weight"]
    return x @ head.T


def phi_forward(cfg, w, ids):
    """PhiForCausalLM: x + attn(ln(x)) + mlp(ln(x)), partial rotary, gelu_new, biased head."""
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = d // nh
    rot = int(cfg.get("partial_rotary_factor", 0.5) * hd)
    eps = cfg.get("layer_norm_eps", 1e-5)
    act = ACT[cfg.get("hidden_act", "gelu_new")]
    t = len(ids)
    cos, sin = rope_cos_sin(cfg, rot, t)
    x = w["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = _ln(x, w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], eps)
        q = apply_rope(_heads(_lin(w, h, p + "self_attn.q_proj"), t, nh, hd), cos, sin, rot)
        k = apply_rope(_heads(_lin(w, h, p + "self_attn.k_proj"), t, nkv, hd), cos, sin, rot)
        v = _heads(_lin(w, h, p + "self_attn.v_proj"), t, nkv, hd)
        a = attend(q, k.repeat_interleave(nh // nkv, 0), v.repeat_interleave(nh // nkv, 0), 1 / math.sqrt(hd))
        attn_out = _lin(w, _merge(a, t), p + "self_attn.dense")
        ff = _lin(w, act(_lin(w, h, p + "mlp.fc1")), p + "mlp.fc2")
        x = attn_out + ff + x
    x = _ln(x, w["model.final_layernorm.weight"], w["model.final_layernorm.bias"], eps)
    return _lin(w, x, "lm_head")


def phi_msft_to_hf(cfg, w):
    """The Dec 2023 Hub format (model_type phi-msft) in today's names (convert_phi_weights_to_hf's mapping; Wqkv = [q; k; v])."""
    d = cfg["n_embd"]
    hf = {"model_type": "phi", "hidden_size": d, "num_attention_heads": cfg["n_head"], "num_hidden_layers": cfg["n_layer"],
          "intermediate_size": cfg.get("n_inner") or 4 * d, "max_position_embeddings": cfg["n_positions"],
          "layer_norm_eps": cfg.get("layer_norm_epsilon", 1e-5), "hidden_act": cfg.get("activation_function", "gelu_new"),
          "partial_rotary_factor": cfg["rotary_dim"] / (d // cfg["n_head"]), "vocab_size": cfg["vocab_size"]}
    out = {"model.embed_tokens.weight": w["transformer.embd.wte.weight"],
           "model.final_layernorm.weight": w["lm_head.ln.weight"], "model.final_layernorm.bias": w["lm_head.ln.bias"],
           "lm_head.weight": w["lm_head.linear.weight"], "lm_head.bias": w["lm_head.linear.bias"]}
    for l in range(cfg["n_layer"]):
        a, b = f"transformer.h.{l}.", f"model.layers.{l}."
        out[b + "input_layernorm.weight"], out[b + "input_layernorm.bias"] = w[a + "ln.weight"], w[a + "ln.bias"]
        for name, part in zip(("q_proj", "k_proj", "v_proj"), w[a + "mixer.Wqkv.weight"].chunk(3, 0)):
            out[b + "self_attn." + name + ".weight"] = part
        for name, part in zip(("q_proj", "k_proj", "v_proj"), w[a + "mixer.Wqkv.bias"].chunk(3, 0)):
            out[b + "self_attn." + name + ".bias"] = part
        for src, dst in (("mixer.out_proj", "self_attn.dense"), ("mlp.fc1", "mlp.fc1"), ("mlp.fc2", "mlp.fc2")):
            out[b + dst + ".weight"], out[b + dst + ".bias"] = w[a + src + ".weight"], w[a + src + ".bias"]
    return hf, out


def phi3_forward(cfg, w, ids):
    """Phi3ForCausalLM: fused qkv_proj and gate_up_proj, RMSNorm, longrope/su, sliding window."""
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = d // nh
    rot = int(hd * cfg.get("partial_rotary_factor", 1.0))
    eps = cfg.get("rms_norm_eps", 1e-5)
    t = len(ids)
    cos, sin = rope_cos_sin(cfg, rot, t)
    x = w["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = _rms(x, w[p + "input_layernorm.weight"], eps)
        qkv = h @ w[p + "self_attn.qkv_proj.weight"].T
        q, k, v = qkv[:, : nh * hd], qkv[:, nh * hd: (nh + nkv) * hd], qkv[:, (nh + nkv) * hd:]
        q = apply_rope(_heads(q, t, nh, hd), cos, sin, rot)
        k = apply_rope(_heads(k, t, nkv, hd), cos, sin, rot)
        v = _heads(v, t, nkv, hd)
        a = attend(q, k.repeat_interleave(nh // nkv, 0), v.repeat_interleave(nh // nkv, 0), 1 / math.sqrt(hd), window=cfg.get("sliding_window"))
        x = x + _merge(a, t) @ w[p + "self_attn.o_proj.weight"].T
        h = _rms(x, w[p + "post_attention_layernorm.weight"], eps)
        gate, up = (h @ w[p + "mlp.gate_up_proj.weight"].T).chunk(2, dim=-1)
        x = x + (up * torch.nn.functional.silu(gate)) @ w[p + "mlp.down_proj.weight"].T
    x = _rms(x, w["model.norm.weight"], eps)
    return x @ w["lm_head.weight"].T


def neox_forward(cfg, w, ids):
    """GPTNeoXForCausalLM: per-head interleaved query_key_value, rotary_pct, parallel or sequential residual, exact gelu."""
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    hd = d // nh
    rot = int(hd * cfg.get("rotary_pct", 0.25))
    eps = cfg.get("layer_norm_eps", 1e-5)
    act = ACT[cfg.get("hidden_act", "gelu")]
    t = len(ids)
    cos, sin = rope_cos_sin(cfg, rot, t)
    x = w["gpt_neox.embed_in.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"gpt_neox.layers.{l}."
        h = _ln(x, w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], eps)
        qkv = _lin(w, h, p + "attention.query_key_value").view(t, nh, 3 * hd)
        q, k, v = (z.transpose(0, 1) for z in qkv.chunk(3, dim=-1))
        q, k = apply_rope(q, cos, sin, rot), apply_rope(k, cos, sin, rot)
        a = _lin(w, _merge(attend(q, k, v, 1 / math.sqrt(hd)), t), p + "attention.dense")

        def mlp(z):
            return _lin(w, act(_lin(w, z, p + "mlp.dense_h_to_4h")), p + "mlp.dense_4h_to_h")

        if cfg.get("use_parallel_residual", True):
            m = mlp(_ln(x, w[p + "post_attention_layernorm.weight"], w[p + "post_attention_layernorm.bias"], eps))
            x = m + a + x
        else:
            a = a + x
            x = mlp(_ln(a, w[p + "post_attention_layernorm.weight"], w[p + "post_attention_layernorm.bias"], eps)) + a
    x = _ln(x, w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], eps)
    return x @ w["embed_out.weight"].T


def opt_forward(cfg, w, ids):
    """OPTForCausalLM: positions + 2, LayerNorm before or after each block, ReLU, project_in/out, tied head."""
    p = "model.decoder." if "model.decoder.embed_tokens.weight" in w else "decoder."
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    hd = d // nh
    before = cfg.get("do_layer_norm_before", True)
    act = ACT[cfg.get("activation_function", "relu")]
    t = len(ids)
    ln = lambda z, name: _ln(z, w.get(name + ".weight"), w.get(name + ".bias"), 1e-5)
    x = w[p + "embed_tokens.weight"][ids]
    if p + "project_in.weight" in w:
        x = x @ w[p + "project_in.weight"].T
    x = x + w[p + "embed_positions.weight"][torch.arange(t) + 2]
    mask = torch.full((t, t), float("-inf")).triu(1)
    for l in range(cfg["num_hidden_layers"]):
        q_ = f"{p}layers.{l}."
        r = x
        if before:
            x = ln(x, q_ + "self_attn_layer_norm")
        q = _heads(_lin(w, x, q_ + "self_attn.q_proj") * hd ** -0.5, t, nh, hd)
        k = _heads(_lin(w, x, q_ + "self_attn.k_proj"), t, nh, hd)
        v = _heads(_lin(w, x, q_ + "self_attn.v_proj"), t, nh, hd)
        a = torch.softmax(q @ k.transpose(-1, -2) + mask, dim=-1) @ v
        x = r + _lin(w, _merge(a, t), q_ + "self_attn.out_proj")
        if not before:
            x = ln(x, q_ + "self_attn_layer_norm")
        r = x
        if before:
            x = ln(x, q_ + "final_layer_norm")
        x = r + _lin(w, act(_lin(w, x, q_ + "fc1")), q_ + "fc2")
        if not before:
            x = ln(x, q_ + "final_layer_norm")
    if before and not cfg.get("_remove_final_layer_norm", False):
        x = ln(x, p + "final_layer_norm")
    if p + "project_out.weight" in w:
        x = x @ w[p + "project_out.weight"].T
    return x @ w.get("lm_head.weight", w[p + "embed_tokens.weight"]).T


def gemma_forward(cfg, w, ids):
    """GemmaForCausalLM / Gemma2ForCausalLM."""
    gemma2 = cfg["model_type"] == "gemma2"
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = cfg.get("head_dim", 256)
    eps = cfg.get("rms_norm_eps", 1e-6)
    act = ACT[cfg.get("hidden_activation") or "gelu_pytorch_tanh"]
    t = len(ids)
    cos, sin = rope_cos_sin(cfg, hd, t)
    scale = cfg.get("query_pre_attn_scalar", 224) ** -0.5 if gemma2 else hd ** -0.5
    softcap = cfg.get("attn_logit_softcapping", 50.0) if gemma2 else None
    x = w["model.embed_tokens.weight"][ids] * torch.tensor(d ** 0.5, dtype=torch.float32)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        window = cfg.get("sliding_window", 4096) if gemma2 and l % 2 == 0 else None
        if gemma2 and "layer_types" in cfg:
            window = cfg.get("sliding_window", 4096) if cfg["layer_types"][l] == "sliding_attention" else None
        h = _gemma_rms(x, w[p + "input_layernorm.weight"], eps)
        q = apply_rope(_heads(_lin(w, h, p + "self_attn.q_proj"), t, nh, hd), cos, sin, hd)
        k = apply_rope(_heads(_lin(w, h, p + "self_attn.k_proj"), t, nkv, hd), cos, sin, hd)
        v = _heads(_lin(w, h, p + "self_attn.v_proj"), t, nkv, hd)
        a = attend(q, k.repeat_interleave(nh // nkv, 0), v.repeat_interleave(nh // nkv, 0), scale, softcap, window)
        a = _lin(w, _merge(a, t), p + "self_attn.o_proj")
        if gemma2:
            x = x + _gemma_rms(a, w[p + "post_attention_layernorm.weight"], eps)
            h = _gemma_rms(x, w[p + "pre_feedforward_layernorm.weight"], eps)
        else:
            x = x + a
            h = _gemma_rms(x, w[p + "post_attention_layernorm.weight"], eps)
        f = _lin(w, act(_lin(w, h, p + "mlp.gate_proj")) * _lin(w, h, p + "mlp.up_proj"), p + "mlp.down_proj")
        x = x + (_gemma_rms(f, w[p + "post_feedforward_layernorm.weight"], eps) if gemma2 else f)
    x = _gemma_rms(x, w["model.norm.weight"], eps)
    logits = x @ w["model.embed_tokens.weight"].T
    cap = cfg.get("final_logit_softcapping", 30.0) if gemma2 else None
    return torch.tanh(logits / cap) * cap if cap is not None else logits


FORWARDS = {"llama": llama_forward, "mistral": llama_forward, "qwen2": llama_forward, "phi": phi_forward,
            "phi3": phi3_forward, "gpt_neox": neox_forward, "opt": opt_forward, "gemma": gemma_forward,
            "gemma2": gemma_forward}


class Reference:
    def __init__(self, folder, weights=None):
        self.cfg = json.load(open(os.path.join(folder, "config.json")))
        self.w = weights if weights is not None else read_model_weights(folder)
        self.max_length = next(self.cfg[k] for k in ("n_positions", "max_position_embeddings", "n_ctx") if k in self.cfg)
        if self.cfg["model_type"] == "phi-msft":
            self.cfg, self.w = phi_msft_to_hf(self.cfg, self.w)

    def logits(self, ids):
        if self.cfg["model_type"] == "gpt2":
            prefix = "transformer." if "transformer.wte.weight" in self.w else ""
            return gpt2_forward(self.cfg, self.w, ids, prefix)
        return FORWARDS[self.cfg["model_type"]](self.cfg, self.w, ids)

    def score(self, ctx, cont):
        """lm_eval HFLM._loglikelihood_tokens for one request (batch_size=1, fp32)."""
        assert len(ctx) > 0 and 0 < len(cont) <= self.max_length
        inp = (ctx + cont)[-(self.max_length + 1):][:-1]
        with torch.no_grad():
            logp = torch.log_softmax(self.logits(torch.tensor(inp)), dim=-1)
        sel = logp[len(inp) - len(cont):]
        target = torch.tensor(cont)
        # The harness sums in fp32; the sum here is in float64 so the golden is the exact sum of the fp32 log-probabilities
        # (an fp32 sum of 40 terms near -14 already differs from it by ~1e-4, the tolerance of the C# tests).
        ll = float(sel.gather(1, target.unsqueeze(1)).double().sum())
        greedy = bool((sel.argmax(dim=-1) == target).all())
        return ll, greedy

    def greedy_tokens(self, ctx, n):
        ids = list(ctx)
        with torch.no_grad():
            for _ in range(n):
                ids.append(int(self.logits(torch.tensor(ids[-self.max_length:]))[-1].argmax()))
        return ids[len(ctx):]


def encode_pair(tok_encode, prefix_id, context, continuation):
    """lm_eval TemplateLM.loglikelihood / _encode_pair (current harness)."""
    if context == "":
        cont = tok_encode(continuation, False)
        return ([prefix_id], cont) if cont[0] != prefix_id else (cont[:1], cont[1:])
    n = len(context) - len(context.rstrip())
    if n > 0:
        continuation = context[-n:] + continuation
        context = context[:-n]
    whole = tok_encode(context + continuation, True)
    ctx = tok_encode(context, True)
    return ctx, whole[len(ctx):]

# --------------------------------------------------------------------------- request sets


def token_requests(ref, vocab, rng, count, max_ctx, max_cont, special):
    reqs = []
    for i in range(count):
        ctx = [rng.randrange(vocab) for _ in range(rng.randint(1, max_ctx))]
        cont = [rng.randrange(vocab) for _ in range(rng.randint(1, max_cont))]
        reqs.append((ctx, cont))
        if i % 4 == 0:  # a multiple-choice sibling: same context, continuation differing in its final token
            reqs.append((ctx, cont[:-1] + [(cont[-1] + 1) % vocab]))
        if i % 5 == 0:  # a sibling with another continuation of a different length (KV-prefix reuse)
            reqs.append((ctx, [rng.randrange(vocab) for _ in range(rng.randint(1, max_cont))]))
    for n in (1, 3):  # greedy continuations: is_greedy must be true
        ctx = [rng.randrange(vocab) for _ in range(rng.randint(2, max_ctx))]
        reqs.append((ctx, ref.greedy_tokens(ctx, n)))
    reqs.append(([special], [rng.randrange(vocab) for _ in range(5)]))  # empty-context form: BOS/EOS as context
    long_ctx = [rng.randrange(vocab) for _ in range(ref.max_length + 7)]
    reqs.append((long_ctx, [rng.randrange(vocab) for _ in range(4)]))  # left truncation
    reqs.append(([rng.randrange(vocab)], [rng.randrange(vocab) for _ in range(ref.max_length)]))  # cont == max_length
    out = []
    for ctx, cont in reqs:
        ll, greedy = ref.score(ctx, cont)
        out.append({"context": ctx, "continuation": cont, "loglikelihood": ll, "is_greedy": greedy})
    return out


TEXTS = [
    ("", " the cat sat on the mat."),
    ("", "the dog"),
    ("The cat", " sat on the mat"),
    ("the dog ate the", " bone"),
    ("the dog ate the", " book"),
    ("she said that ", "the man is here"),
    ("they were not in the house.\n", "  - then the end"),
    ("Question: where is the man?\nAnswer:", " here"),
    ("Question: where is the man?\nAnswer:", " there"),
    ("he has the book , then", "  the end\n\nthe"),
    ("x", " 12345 67"),
]


def text_requests(ref, tok, prefix_id, bos_id, encodings):
    def tok_encode(s, special):
        ids = tok.encode(s)
        encodings[s] = ids
        return [bos_id] + ids if (special and bos_id is not None) else ids

    out = []
    for context, continuation in TEXTS:
        ctx, cont = encode_pair(tok_encode, prefix_id, context, continuation)
        ll, greedy = ref.score(ctx, cont)
        out.append({"context": context, "continuation": continuation, "context_tokens": ctx,
                    "continuation_tokens": cont, "loglikelihood": ll, "is_greedy": greedy})
    return out

# --------------------------------------------------------------------------- tiny models


def make_gpt2(folder, tok):
    torch.manual_seed(1)
    cfg = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 304, "n_embd": 32,
           "n_head": 4, "n_layer": 2, "n_positions": 48, "n_ctx": 48, "layer_norm_epsilon": 1e-5,
           "activation_function": "gelu_new", "bos_token_id": tok.specials["<|endoftext|>"],
           "eos_token_id": tok.specials["<|endoftext|>"]}
    d, v = cfg["n_embd"], cfg["vocab_size"]
    r = lambda *s, std=0.4: torch.randn(*s) * std
    w = {"transformer.wte.weight": r(v, d, std=0.8), "transformer.wpe.weight": r(cfg["n_positions"], d, std=0.3)}
    for l in range(cfg["n_layer"]):
        p = f"transformer.h.{l}."
        w.update({p + "ln_1.weight": 1 + r(d, std=0.1), p + "ln_1.bias": r(d, std=0.1),
                  p + "attn.c_attn.weight": r(d, 3 * d), p + "attn.c_attn.bias": r(3 * d, std=0.1),
                  p + "attn.c_proj.weight": r(d, d), p + "attn.c_proj.bias": r(d, std=0.1),
                  p + "ln_2.weight": 1 + r(d, std=0.1), p + "ln_2.bias": r(d, std=0.1),
                  p + "mlp.c_fc.weight": r(d, 4 * d), p + "mlp.c_fc.bias": r(4 * d, std=0.1),
                  p + "mlp.c_proj.weight": r(4 * d, d), p + "mlp.c_proj.bias": r(d, std=0.1)})
    w.update({"transformer.ln_f.weight": 1 + r(d, std=0.1), "transformer.ln_f.bias": r(d, std=0.1)})
    os.makedirs(folder, exist_ok=True)
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), w, "F32")
    json.dump(tok.tokenizer_json(), open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    json.dump({"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "add_bos_token": False,
               "model_max_length": 48}, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)


def make_llama(folder, tok, variant):
    torch.manual_seed(2 if variant == "llama" else 3)
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 304, "hidden_size": 32,
           "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
           "max_position_embeddings": 40, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
           "rope_scaling": {"type": "linear", "factor": 2.0}, "hidden_act": "silu", "tie_word_embeddings": True,
           "attention_bias": False, "bos_token_id": tok.specials["<s>"], "eos_token_id": tok.specials["</s>"]}
    if variant == "qwen2":
        cfg.update({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "rope_theta": 1000000.0,
                    "tie_word_embeddings": False, "num_key_value_heads": 1, "rope_scaling": None})
        del cfg["attention_bias"]
    d, v, i = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = d // nh
    r = lambda *s, std=0.4: torch.randn(*s) * std
    w = {"model.embed_tokens.weight": r(v, d, std=0.8)}
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        w.update({p + "input_layernorm.weight": 1 + r(d, std=0.1), p + "post_attention_layernorm.weight": 1 + r(d, std=0.1),
                  p + "self_attn.q_proj.weight": r(nh * hd, d), p + "self_attn.k_proj.weight": r(nkv * hd, d),
                  p + "self_attn.v_proj.weight": r(nkv * hd, d), p + "self_attn.o_proj.weight": r(d, nh * hd),
                  p + "mlp.gate_proj.weight": r(i, d), p + "mlp.up_proj.weight": r(i, d), p + "mlp.down_proj.weight": r(d, i)})
        if variant == "qwen2":
            w.update({p + "self_attn.q_proj.bias": r(nh * hd, std=0.2), p + "self_attn.k_proj.bias": r(nkv * hd, std=0.2),
                      p + "self_attn.v_proj.bias": r(nkv * hd, std=0.2)})
    w["model.norm.weight"] = 1 + r(d, std=0.1)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = r(v, d, std=0.8)
    os.makedirs(folder, exist_ok=True)
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=2)
    if variant == "llama":
        write_safetensors(os.path.join(folder, "model.safetensors"), w, "BF16")
    else:  # F16, split over two shards with an index
        names = list(w)
        shards = {"model-00001-of-00002.safetensors": names[: len(names) // 2],
                  "model-00002-of-00002.safetensors": names[len(names) // 2:]}
        weight_map = {}
        for file, part in shards.items():
            write_safetensors(os.path.join(folder, file), {n: w[n] for n in part}, "F16")
            weight_map.update({n: file for n in part})
        json.dump({"metadata": {}, "weight_map": weight_map},
                  open(os.path.join(folder, "model.safetensors.index.json"), "w"), indent=2)
    json.dump(tok.tokenizer_json(bos="<s>"), open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    json.dump({"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": True, "add_eos_token": False},
              open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)


def save_model(folder, cfg, w, dtype, tok, bos=None):
    """config.json, model.safetensors in `dtype`, and the tiny byte-level tokenizer (with a BOS template when `bos` is set)."""
    os.makedirs(folder, exist_ok=True)
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), w, dtype)
    json.dump(tok.tokenizer_json(bos=bos), open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    specials = list(tok.specials)
    tcfg = {"bos_token": bos or specials[0], "eos_token": specials[-1], "add_bos_token": bos is not None}
    json.dump(tcfg, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)


def _r(*shape, std=0.4):
    return torch.randn(*shape) * std


def make_phi(folder, tok, msft=False):
    """phi (today's names) or phi-msft (the Dec 2023 Hub format: Wqkv, mixer, lm_head.ln/linear) with the same maths."""
    torch.manual_seed(4 if not msft else 5)
    eot = tok.specials["<|endoftext|>"]
    d, v, inner, layers, nh = 32, 304, 64, 2, 4
    w = {"model.embed_tokens.weight": _r(v, d, std=0.8)}
    for l in range(layers):
        p = f"model.layers.{l}."
        w.update({p + "input_layernorm.weight": 1 + _r(d, std=0.1), p + "input_layernorm.bias": _r(d, std=0.1)})
        for n in ("q_proj", "k_proj", "v_proj", "dense"):
            w[p + "self_attn." + n + ".weight"], w[p + "self_attn." + n + ".bias"] = _r(d, d), _r(d, std=0.2)
        w.update({p + "mlp.fc1.weight": _r(inner, d), p + "mlp.fc1.bias": _r(inner, std=0.1),
                  p + "mlp.fc2.weight": _r(d, inner), p + "mlp.fc2.bias": _r(d, std=0.1)})
    w.update({"model.final_layernorm.weight": 1 + _r(d, std=0.1), "model.final_layernorm.bias": _r(d, std=0.1),
              "lm_head.weight": _r(v, d, std=0.8), "lm_head.bias": _r(v, std=0.3)})
    if not msft:
        cfg = {"architectures": ["PhiForCausalLM"], "model_type": "phi", "vocab_size": v, "hidden_size": d,
               "intermediate_size": inner, "num_hidden_layers": layers, "num_attention_heads": nh, "num_key_value_heads": nh,
               "max_position_embeddings": 40, "layer_norm_eps": 1e-5, "hidden_act": "gelu_new", "partial_rotary_factor": 0.5,
               "rope_theta": 10000.0, "qk_layernorm": False, "tie_word_embeddings": False, "bos_token_id": eot, "eos_token_id": eot}
        save_model(folder, cfg, w, "F16", tok)
        return
    cfg = {"architectures": ["PhiForCausalLM"], "model_type": "phi-msft", "vocab_size": v, "n_embd": d, "n_inner": inner,
           "n_layer": layers, "n_head": nh, "n_head_kv": None, "n_positions": 40, "rotary_dim": 4, "layer_norm_epsilon": 1e-5,
           "activation_function": "gelu_new", "tie_word_embeddings": False, "bos_token_id": eot, "eos_token_id": eot}
    m = {"transformer.embd.wte.weight": w["model.embed_tokens.weight"], "lm_head.ln.weight": w["model.final_layernorm.weight"],
         "lm_head.ln.bias": w["model.final_layernorm.bias"], "lm_head.linear.weight": w["lm_head.weight"],
         "lm_head.linear.bias": w["lm_head.bias"]}
    for l in range(layers):
        a, b = f"transformer.h.{l}.", f"model.layers.{l}."
        m[a + "ln.weight"], m[a + "ln.bias"] = w[b + "input_layernorm.weight"], w[b + "input_layernorm.bias"]
        m[a + "mixer.Wqkv.weight"] = torch.cat([w[b + f"self_attn.{n}.weight"] for n in ("q_proj", "k_proj", "v_proj")])
        m[a + "mixer.Wqkv.bias"] = torch.cat([w[b + f"self_attn.{n}.bias"] for n in ("q_proj", "k_proj", "v_proj")])
        for src, dst in (("self_attn.dense", "mixer.out_proj"), ("mlp.fc1", "mlp.fc1"), ("mlp.fc2", "mlp.fc2")):
            m[a + dst + ".weight"], m[a + dst + ".bias"] = w[b + src + ".weight"], w[b + src + ".bias"]
    save_model(folder, cfg, m, "F32", tok)


def make_phi3(folder, tok):
    """Phi-3 with longrope (original context 16, so longer requests use the long factors) and a 24-token sliding window."""
    torch.manual_seed(6)
    d, v, inter, layers, nh, nkv = 32, 304, 48, 2, 4, 2
    hd = d // nh
    rng = random.Random(6)
    cfg = {"architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "vocab_size": v, "hidden_size": d,
           "intermediate_size": inter, "num_hidden_layers": layers, "num_attention_heads": nh, "num_key_value_heads": nkv,
           "max_position_embeddings": 40, "original_max_position_embeddings": 16, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
           "rope_scaling": {"type": "longrope", "short_factor": [round(1 + rng.random() * 0.5, 3) for _ in range(hd // 2)],
                            "long_factor": [round(1 + rng.random() * 6, 3) for _ in range(hd // 2)]},
           "sliding_window": 24, "hidden_act": "silu", "tie_word_embeddings": False,
           "bos_token_id": tok.specials["<s>"], "eos_token_id": tok.specials["</s>"]}
    w = {"model.embed_tokens.weight": _r(v, d, std=0.8)}
    for l in range(layers):
        p = f"model.layers.{l}."
        w.update({p + "input_layernorm.weight": 1 + _r(d, std=0.1), p + "post_attention_layernorm.weight": 1 + _r(d, std=0.1),
                  p + "self_attn.qkv_proj.weight": _r((nh + 2 * nkv) * hd, d), p + "self_attn.o_proj.weight": _r(d, nh * hd),
                  p + "mlp.gate_up_proj.weight": _r(2 * inter, d), p + "mlp.down_proj.weight": _r(d, inter)})
    w.update({"model.norm.weight": 1 + _r(d, std=0.1), "lm_head.weight": _r(v, d, std=0.8)})
    save_model(folder, cfg, w, "F32", tok, bos="<s>")


def make_neox(folder, tok, parallel):
    """Pythia-shaped GPT-NeoX: interleaved query_key_value, partial rotary, parallel or sequential residual."""
    torch.manual_seed(7 if parallel else 8)
    eot = tok.specials["<|endoftext|>"]
    d, v, inner, layers, nh = 32, 304, 64, 2, 4
    cfg = {"architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "vocab_size": v, "hidden_size": d,
           "intermediate_size": inner, "num_hidden_layers": layers, "num_attention_heads": nh, "max_position_embeddings": 40,
           "rotary_pct": 0.25 if parallel else 0.5, "rotary_emb_base": 10000, "use_parallel_residual": parallel,
           "hidden_act": "gelu", "layer_norm_eps": 1e-5, "tie_word_embeddings": False, "bos_token_id": eot, "eos_token_id": eot}
    w = {"gpt_neox.embed_in.weight": _r(v, d, std=0.8)}
    for l in range(layers):
        p = f"gpt_neox.layers.{l}."
        w.update({p + "input_layernorm.weight": 1 + _r(d, std=0.1), p + "input_layernorm.bias": _r(d, std=0.1),
                  p + "post_attention_layernorm.weight": 1 + _r(d, std=0.1), p + "post_attention_layernorm.bias": _r(d, std=0.1),
                  p + "attention.query_key_value.weight": _r(3 * d, d), p + "attention.query_key_value.bias": _r(3 * d, std=0.2),
                  p + "attention.dense.weight": _r(d, d), p + "attention.dense.bias": _r(d, std=0.1),
                  p + "mlp.dense_h_to_4h.weight": _r(inner, d), p + "mlp.dense_h_to_4h.bias": _r(inner, std=0.1),
                  p + "mlp.dense_4h_to_h.weight": _r(d, inner), p + "mlp.dense_4h_to_h.bias": _r(d, std=0.1)})
    w.update({"gpt_neox.final_layer_norm.weight": 1 + _r(d, std=0.1), "gpt_neox.final_layer_norm.bias": _r(d, std=0.1),
              "embed_out.weight": _r(v, d, std=0.8)})
    save_model(folder, cfg, w, "F16" if parallel else "F32", tok)


def make_opt(folder, tok, before):
    """OPT-125m-like (LayerNorm before, model.decoder. names) or opt-350m-like (after, word_embed_proj_dim, old decoder. names)."""
    torch.manual_seed(9 if before else 10)
    d, v, ffn, layers, nh = 32, 304, 64, 2, 4
    proj = d if before else 16
    cfg = {"architectures": ["OPTForCausalLM"], "model_type": "opt", "vocab_size": v, "hidden_size": d, "ffn_dim": ffn,
           "num_hidden_layers": layers, "num_attention_heads": nh, "max_position_embeddings": 40,
           "do_layer_norm_before": before, "word_embed_proj_dim": proj, "activation_function": "relu",
           "enable_bias": True, "layer_norm_elementwise_affine": True, "_remove_final_layer_norm": False,
           "tie_word_embeddings": True, "bos_token_id": tok.specials["</s>"], "eos_token_id": tok.specials["</s>"],
           "pad_token_id": tok.specials["<s>"]}
    p = "model.decoder." if before else "decoder."
    w = {p + "embed_tokens.weight": _r(v, proj, std=0.8), p + "embed_positions.weight": _r(40 + 2, d, std=0.3)}
    if proj != d:
        w.update({p + "project_in.weight": _r(d, proj), p + "project_out.weight": _r(proj, d)})
    for l in range(layers):
        q = f"{p}layers.{l}."
        for n in ("q_proj", "k_proj", "v_proj", "out_proj"):
            w[q + "self_attn." + n + ".weight"], w[q + "self_attn." + n + ".bias"] = _r(d, d), _r(d, std=0.2)
        w.update({q + "self_attn_layer_norm.weight": 1 + _r(d, std=0.1), q + "self_attn_layer_norm.bias": _r(d, std=0.1),
                  q + "fc1.weight": _r(ffn, d), q + "fc1.bias": _r(ffn, std=0.1), q + "fc2.weight": _r(d, ffn),
                  q + "fc2.bias": _r(d, std=0.1), q + "final_layer_norm.weight": 1 + _r(d, std=0.1),
                  q + "final_layer_norm.bias": _r(d, std=0.1)})
    if before:
        w.update({p + "final_layer_norm.weight": 1 + _r(d, std=0.1), p + "final_layer_norm.bias": _r(d, std=0.1)})
    save_model(folder, cfg, w, "F32", tok, bos="</s>")


def make_gemma(folder, tok, gemma2):
    """Gemma (bf16) and Gemma-2 (fp32: soft-caps, 8-token window on even layers, output norms, head_dim 16 != 32/4)."""
    torch.manual_seed(11 if not gemma2 else 12)
    d, v, inter, layers, nh, nkv, hd = 32, 304, 48, 3 if gemma2 else 2, 4, 2, 16 if gemma2 else 8
    cfg = {"architectures": ["Gemma2ForCausalLM" if gemma2 else "GemmaForCausalLM"], "model_type": "gemma2" if gemma2 else "gemma",
           "vocab_size": v, "hidden_size": d, "intermediate_size": inter, "num_hidden_layers": layers,
           "num_attention_heads": nh, "num_key_value_heads": nkv, "head_dim": hd, "max_position_embeddings": 40,
           "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "hidden_act": "gelu", "hidden_activation": "gelu_pytorch_tanh",
           "tie_word_embeddings": True, "attention_bias": False,
           "bos_token_id": tok.specials["<s>"], "eos_token_id": tok.specials["</s>"]}
    if gemma2:
        cfg.update({"query_pre_attn_scalar": 12, "attn_logit_softcapping": 3.0, "final_logit_softcapping": 4.0,
                    "sliding_window": 8})
    w = {"model.embed_tokens.weight": _r(v, d, std=0.2)}
    for l in range(layers):
        p = f"model.layers.{l}."
        w.update({p + "input_layernorm.weight": _r(d, std=0.1), p + "post_attention_layernorm.weight": _r(d, std=0.1),
                  p + "self_attn.q_proj.weight": _r(nh * hd, d), p + "self_attn.k_proj.weight": _r(nkv * hd, d),
                  p + "self_attn.v_proj.weight": _r(nkv * hd, d), p + "self_attn.o_proj.weight": _r(d, nh * hd, std=0.2),
                  p + "mlp.gate_proj.weight": _r(inter, d), p + "mlp.up_proj.weight": _r(inter, d),
                  p + "mlp.down_proj.weight": _r(d, inter, std=0.2)})
        if gemma2:
            w.update({p + "pre_feedforward_layernorm.weight": _r(d, std=0.1), p + "post_feedforward_layernorm.weight": _r(d, std=0.1)})
    w["model.norm.weight"] = _r(d, std=0.1)
    save_model(folder, cfg, w, "F32" if gemma2 else "BF16", tok, bos="<s>")


def make_llama_variant(folder, tok, variant):
    """Llama-family configs that change the maths: Mistral's sliding window, Qwen2's windowed upper layers, RoPE scalings."""
    torch.manual_seed({"mistral": 13, "qwen2-window": 14, "llama-yarn": 15, "llama-llama3": 16}[variant])
    d, v, inter, layers, nh, nkv = 32, 304, 48, 2, 4, 2
    hd = d // nh
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": v, "hidden_size": d,
           "intermediate_size": inter, "num_hidden_layers": layers, "num_attention_heads": nh, "num_key_value_heads": nkv,
           "max_position_embeddings": 40, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu",
           "tie_word_embeddings": False, "bos_token_id": tok.specials["<s>"], "eos_token_id": tok.specials["</s>"]}
    if variant == "mistral":
        cfg.update({"architectures": ["MistralForCausalLM"], "model_type": "mistral", "sliding_window": 10})
    elif variant == "qwen2-window":
        cfg.update({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "use_sliding_window": True,
                    "sliding_window": 9, "max_window_layers": 1})
    elif variant == "llama-yarn":
        cfg["rope_scaling"] = {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 10}
    else:
        cfg["rope_scaling"] = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                               "original_max_position_embeddings": 16}
    w = {"model.embed_tokens.weight": _r(v, d, std=0.8)}
    for l in range(layers):
        p = f"model.layers.{l}."
        w.update({p + "input_layernorm.weight": 1 + _r(d, std=0.1), p + "post_attention_layernorm.weight": 1 + _r(d, std=0.1),
                  p + "self_attn.q_proj.weight": _r(nh * hd, d), p + "self_attn.k_proj.weight": _r(nkv * hd, d),
                  p + "self_attn.v_proj.weight": _r(nkv * hd, d), p + "self_attn.o_proj.weight": _r(d, nh * hd),
                  p + "mlp.gate_proj.weight": _r(inter, d), p + "mlp.up_proj.weight": _r(inter, d), p + "mlp.down_proj.weight": _r(d, inter)})
    # Yarn's attention factor sharpens the logits; a smaller head keeps them at a realistic scale (a few nats per token).
    w.update({"model.norm.weight": 1 + _r(d, std=0.1), "lm_head.weight": _r(v, d, std=0.4 if variant == "llama-yarn" else 0.8)})
    save_model(folder, cfg, w, "F32", tok, bos="<s>")


# --------------------------------------------------------------------------- LoRA adapters (PEFT format)


def lora_scale(acfg, r):
    return acfg["lora_alpha"] / (math.sqrt(r) if acfg.get("use_rslora") else r)


def merge_lora(weights, acfg, adapter):
    """peft LoraLayer.get_delta_weight: W + transpose(B @ A, fan_in_fan_out) * scale; modules_to_save replace the module."""
    out = dict(weights)
    for key, a in adapter.items():
        if key.endswith(".lora_A.weight"):
            module = key[len("base_model.model."): -len(".lora_A.weight")]
            b = adapter[key.replace("lora_A", "lora_B")]
            delta = (b @ a) * lora_scale(acfg, a.shape[0])
            if acfg.get("fan_in_fan_out"):
                delta = delta.T
            out[module + ".weight"] = weights[module + ".weight"] + delta
        elif ".lora_" not in key:
            out[key[len("base_model.model."):]] = a
    return out


def make_adapter(folder, base_folder, acfg, targets, seed):
    """A PEFT adapter folder: adapter_config.json and adapter_model.safetensors with PEFT's (adapter-name-free) keys."""
    torch.manual_seed(seed)
    base = read_model_weights(base_folder)
    r = acfg["r"]
    tensors = {}
    for module in targets:
        w = base[module + ".weight"]
        out_f, in_f = (w.shape[1], w.shape[0]) if acfg.get("fan_in_fan_out") else (w.shape[0], w.shape[1])
        tensors[f"base_model.model.{module}.lora_A.weight"] = _r(r, in_f, std=0.3)
        tensors[f"base_model.model.{module}.lora_B.weight"] = _r(out_f, r, std=0.3)
    for module in acfg.get("modules_to_save") or []:
        for name, t in base.items():
            if name.startswith(module + ".") or name.endswith("." + module + ".weight") or name.endswith("." + module + ".bias"):
                tensors["base_model.model." + name] = t + _r(*t.shape, std=0.2)
    os.makedirs(folder, exist_ok=True)
    json.dump(acfg, open(os.path.join(folder, "adapter_config.json"), "w"), indent=2)
    write_safetensors(os.path.join(folder, "adapter_model.safetensors"), tensors, "F32")
    return merge_lora(base, acfg, read_safetensors(os.path.join(folder, "adapter_model.safetensors")))


def write_golden(name, model, payload):
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    payload = {"model": model, "generator": "tests/reference/generate.py", **payload}
    with open(os.path.join(HERE, "golden", name), "w") as f:
        json.dump(payload, f, indent=1)


def write_scoring_golden(name, ref, tok, special, bos, model_path):
    rng = random.Random(name)
    encodings = {}
    payload = {"max_length": ref.max_length,
               "token_requests": token_requests(ref, len(tok.vocab), rng, 24, 20, 8, special),
               "text_requests": text_requests(ref, tok, special, None if bos is None else tok.specials[bos], encodings),
               "bos_token_id": None if bos is None else tok.specials[bos],
               "prefix_token_id": special,
               "encodings": encodings}
    write_golden(name + ".json", model_path, payload)
    print(name, "written:", len(payload["token_requests"]), "token and", len(payload["text_requests"]), "text requests")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    args = ap.parse_args()

    gpt2_tok = ByteBpe(40, ["<|endoftext|>"])
    llama_tok = ByteBpe(40, ["<s>", "</s>"])
    gpt2_special = gpt2_tok.specials["<|endoftext|>"]
    # name: (maker, tokenizer, empty-context id, whether the tokenizer adds BOS)
    models = {
        "tiny-gpt2": (lambda f: make_gpt2(f, gpt2_tok), gpt2_tok, gpt2_special, None),
        "tiny-llama": (lambda f: make_llama(f, llama_tok, "llama"), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-qwen2": (lambda f: make_llama(f, llama_tok, "qwen2"), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-phi": (lambda f: make_phi(f, gpt2_tok), gpt2_tok, gpt2_special, None),
        "tiny-phi-msft": (lambda f: make_phi(f, gpt2_tok, msft=True), gpt2_tok, gpt2_special, None),
        "tiny-phi3-longrope": (lambda f: make_phi3(f, llama_tok), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-neox-parallel": (lambda f: make_neox(f, gpt2_tok, True), gpt2_tok, gpt2_special, None),
        "tiny-neox-sequential": (lambda f: make_neox(f, gpt2_tok, False), gpt2_tok, gpt2_special, None),
        "tiny-opt": (lambda f: make_opt(f, llama_tok, True), llama_tok, llama_tok.specials["</s>"], "</s>"),
        "tiny-opt-350m": (lambda f: make_opt(f, llama_tok, False), llama_tok, llama_tok.specials["</s>"], "</s>"),
        "tiny-gemma": (lambda f: make_gemma(f, llama_tok, False), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-gemma2": (lambda f: make_gemma(f, llama_tok, True), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-mistral-window": (lambda f: make_llama_variant(f, llama_tok, "mistral"), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-qwen2-window": (lambda f: make_llama_variant(f, llama_tok, "qwen2-window"), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-llama-yarn": (lambda f: make_llama_variant(f, llama_tok, "llama-yarn"), llama_tok, llama_tok.specials["<s>"], "<s>"),
        "tiny-llama-llama3rope": (lambda f: make_llama_variant(f, llama_tok, "llama-llama3"), llama_tok, llama_tok.specials["<s>"], "<s>"),
    }
    for name, (make, tok, special, bos) in models.items():
        folder = os.path.join(HERE, "models", name)
        make(folder)
        write_scoring_golden(name, Reference(folder), tok, special, bos, "tests/reference/models/" + name)

    # LoRA adapters merged into their base in PyTorch.
    adapters = {
        "tiny-llama-lora": ("tiny-llama", llama_tok, llama_tok.specials["<s>"], "<s>", 21,
                            {"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "tiny-llama", "r": 4,
                             "lora_alpha": 8, "lora_dropout": 0.05, "target_modules": ["q_proj", "v_proj", "down_proj"],
                             "fan_in_fan_out": False, "use_rslora": False, "use_dora": False, "bias": "none",
                             "modules_to_save": None, "inference_mode": True},
                            [f"model.layers.{l}.{m}" for l in range(2) for m in ("self_attn.q_proj", "self_attn.v_proj", "mlp.down_proj")]),
        "tiny-gpt2-lora": ("tiny-gpt2", gpt2_tok, gpt2_special, None, 22,
                           {"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "tiny-gpt2", "r": 2,
                            "lora_alpha": 3, "target_modules": ["c_attn", "mlp.c_proj"], "fan_in_fan_out": True,
                            "use_rslora": True, "use_dora": False, "bias": "none", "modules_to_save": ["ln_f"]},
                           [f"transformer.h.{l}.{m}" for l in range(2) for m in ("attn.c_attn", "mlp.c_proj")]),
    }
    for name, (base, tok, special, bos, seed, acfg, targets) in adapters.items():
        base_folder = os.path.join(HERE, "models", base)
        merged = make_adapter(os.path.join(HERE, "adapters", name), base_folder, acfg, targets, seed)
        write_scoring_golden(name, Reference(base_folder, merged), tok, special, bos, "tests/reference/adapters/" + name)

    real = os.path.join(args.shared, "models", "llama2xs-custom512")
    if os.path.isdir(real):
        ref = Reference(real)
        rng = random.Random("llama2xs-custom512")
        payload = {"max_length": ref.max_length, "token_requests": token_requests(ref, 512, rng, 12, 60, 10, 1)}
        write_golden("llama2xs-custom512.json", "../shared/data/models/llama2xs-custom512", payload)
        print("llama2xs-custom512 written:", len(payload["token_requests"]), "token requests")
    else:
        print("skipping llama2xs-custom512:", real, "not found")


if __name__ == "__main__":
    main()
