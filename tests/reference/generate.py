#!/usr/bin/python3
"""Independent PyTorch reference for Mlrb.Eval scoring.

Writes tiny random-weight GPT-2 and Llama-family model folders (config.json,
safetensors written here by hand, tokenizer.json) under models/, and golden
JSON files under golden/ with per-request log-likelihoods and greedy flags,
scored the way lm-evaluation-harness scores a causal model with batch_size=1
and dtype=float32.

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


def llama_forward(cfg, w, ids):
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads", nh)
    hd = cfg.get("head_dim", d // nh)
    eps = cfg.get("rms_norm_eps", 1e-6)
    theta = cfg.get("rope_theta", 10000.0)
    scaling = cfg.get("rope_scaling") or {}
    factor = float(scaling.get("factor", 1.0)) if scaling.get("rope_type", scaling.get("type")) == "linear" else 1.0
    t = len(ids)
    inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    pos = torch.arange(t, dtype=torch.float32) / factor
    freqs = torch.outer(pos, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()

    def rope(z):
        z1, z2 = z[..., : hd // 2], z[..., hd // 2:]
        return z * cos + torch.cat((-z2, z1), dim=-1) * sin

    def lin(h, name):
        y = h @ w[name + ".weight"].T
        return y + w[name + ".bias"] if name + ".bias" in w else y

    x = w["model.embed_tokens.weight"][ids]
    mask = torch.full((t, t), float("-inf")).triu(1)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = _rms(x, w[p + "input_layernorm.weight"], eps)
        q = lin(h, p + "self_attn.q_proj").view(t, nh, hd).transpose(0, 1)
        k = lin(h, p + "self_attn.k_proj").view(t, nkv, hd).transpose(0, 1)
        v = lin(h, p + "self_attn.v_proj").view(t, nkv, hd).transpose(0, 1)
        q, k = rope(q), rope(k)
        k = k.repeat_interleave(nh // nkv, dim=0)
        v = v.repeat_interleave(nh // nkv, dim=0)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
        o = (att @ v).transpose(0, 1).reshape(t, nh * hd)
        x = x + lin(o, p + "self_attn.o_proj")
        h = _rms(x, w[p + "post_attention_layernorm.weight"], eps)
        g = lin(h, p + "mlp.gate_proj")
        x = x + lin(torch.nn.functional.silu(g) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = _rms(x, w["model.norm.weight"], eps)
    head = w["lm_head.weight"] if "lm_head.weight" in w else w["model.embed_tokens.weight"]
    return x @ head.T


class Reference:
    def __init__(self, folder):
        self.cfg = json.load(open(os.path.join(folder, "config.json")))
        self.w = read_model_weights(folder)
        self.max_length = next(self.cfg[k] for k in ("n_positions", "max_position_embeddings", "n_ctx") if k in self.cfg)

    def logits(self, ids):
        if self.cfg["model_type"] == "gpt2":
            prefix = "transformer." if "transformer.wte.weight" in self.w else ""
            return gpt2_forward(self.cfg, self.w, ids, prefix)
        return llama_forward(self.cfg, self.w, ids)

    def score(self, ctx, cont):
        """lm_eval HFLM._loglikelihood_tokens for one request (batch_size=1, fp32)."""
        assert len(ctx) > 0 and 0 < len(cont) <= self.max_length
        inp = (ctx + cont)[-(self.max_length + 1):][:-1]
        with torch.no_grad():
            logp = torch.log_softmax(self.logits(torch.tensor(inp)), dim=-1)
        sel = logp[len(inp) - len(cont):]
        target = torch.tensor(cont)
        ll = float(sel.gather(1, target.unsqueeze(1)).sum())
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


def text_requests(ref, tok, prefix_id, add_bos, encodings):
    def tok_encode(s, special):
        ids = tok.encode(s)
        encodings[s] = ids
        return [tok.specials["<s>"]] + ids if (special and add_bos) else ids

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


def write_golden(name, model, payload):
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    payload = {"model": model, "generator": "tests/reference/generate.py", **payload}
    with open(os.path.join(HERE, "golden", name), "w") as f:
        json.dump(payload, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    args = ap.parse_args()

    gpt2_tok = ByteBpe(40, ["<|endoftext|>"])
    llama_tok = ByteBpe(40, ["<s>", "</s>"])
    for name, make in (("tiny-gpt2", lambda f: make_gpt2(f, gpt2_tok)),
                       ("tiny-llama", lambda f: make_llama(f, llama_tok, "llama")),
                       ("tiny-qwen2", lambda f: make_llama(f, llama_tok, "qwen2"))):
        folder = os.path.join(HERE, "models", name)
        make(folder)
        ref = Reference(folder)
        tok, special = (gpt2_tok, gpt2_tok.specials["<|endoftext|>"]) if name == "tiny-gpt2" else (llama_tok, llama_tok.specials["<s>"])
        rng = random.Random(name)
        encodings = {}
        payload = {"max_length": ref.max_length,
                   "token_requests": token_requests(ref, len(tok.vocab), rng, 24, 20, 8, special),
                   "text_requests": text_requests(ref, tok, special, name != "tiny-gpt2", encodings),
                   "bos_token_id": special if name != "tiny-gpt2" else None,
                   "prefix_token_id": special,
                   "encodings": encodings}
        write_golden(name + ".json", "tests/reference/models/" + name, payload)
        print(name, "written:", len(payload["token_requests"]), "token and", len(payload["text_requests"]), "text requests")

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
