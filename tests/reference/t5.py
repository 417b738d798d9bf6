#!/usr/bin/env python3
"""Independent PyTorch reference for T5 (v1.0: ReLU FFN, tied head with the d_model^-0.5 rescale) and T5 v1.1 / FLAN-T5
(gated-GELU FFN, untied head), written from the maths of transformers' modeling_t5.py without transformers.

Writes tiny random-weight T5 folders under models/ (config.json, model.safetensors, a SentencePiece Unigram spiece.model
trained here, tokenizer_config.json) and golden/<name>.json with log-likelihoods scored by lm-evaluation-harness's
seq2seq rule (HFLM, AUTO_MODEL_CLASS = AutoModelForSeq2SeqLM, v0.4.x HEAD):
  - context non-empty: trailing whitespace moves to the continuation; context ids = tokenizer default (T5 appends </s>),
    continuation ids = no special tokens;
  - context empty: context ids = [prefix_token_id] (BOS, else EOS = </s>), continuation ids = no special tokens;
  - encoder input = context_ids[-max_length:], labels = continuation_ids[-max_length:];
  - decoder input = [decoder_start_token_id] + labels[:-1]; log-softmax over the vocabulary; sum over labels; greedy check.
Run with /usr/bin/python3 (torch, sentencepiece). generation.py imports the forward pass from here (torch only).
"""
import io
import json
import math
import os
import random
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate import write_safetensors, read_safetensors  # noqa: E402

CORPUS = """the cat sat on the mat . a dog ran in the park . the quick brown fox jumps over the lazy dog .
she sells sea shells by the sea shore . how much wood would a woodchuck chuck if a woodchuck could chuck wood ?
it was the best of times , it was the worst of times . to be or not to be , that is the question .
all that glitters is not gold . a stitch in time saves nine . the early bird catches the worm .
translate english to german : the house is wonderful . summarize : studies have shown that owning a dog is good for you .
question : what is the capital of france ? answer : paris . premise : the man ate . hypothesis : he was hungry . true false
"""


def train_tokenizer(folder):
    import sentencepiece as spm  # only to write the folders; generation.py imports this file without it

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS.strip().split("\n") * 4), model_writer=model, vocab_size=120, model_type="unigram",
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0, num_threads=1, seed_sentencepiece_size=1000,
        shuffle_input_sentence=False)
    with open(os.path.join(folder, "spiece.model"), "wb") as f:
        f.write(model.getvalue())
    return spm.SentencePieceProcessor(model_proto=model.getvalue())


class T5Tok:
    """T5Tokenizer on a SentencePiece model: pieces, then </s> appended when special tokens are added."""

    def __init__(self, sp, extra_ids):
        self.sp, self.eos, self.size = sp, 1, sp.get_piece_size() + extra_ids

    def encode(self, text, add_special_tokens=True):
        ids = self.sp.encode(text)
        return ids + [self.eos] if add_special_tokens else ids


# --------------------------------------------------------------------------- the model


def rms_norm(x, w, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(var + eps))


def bucket(rel, bidirectional, num_buckets, max_distance):
    ret = torch.zeros_like(rel)
    n = num_buckets
    if bidirectional:
        n //= 2
        ret += (rel > 0).long() * n
        rel = rel.abs()
    else:
        rel = -torch.min(rel, torch.zeros_like(rel))
    max_exact = n // 2
    small = rel < max_exact
    large = max_exact + (torch.log(rel.float() / max_exact) / math.log(max_distance / max_exact) * (n - max_exact)).long()
    large = torch.min(large, torch.full_like(large, n - 1))
    return ret + torch.where(small, rel, large)


def position_bias(table, q_len, k_len, bidirectional, cfg):
    ctx = torch.arange(q_len)[:, None]
    mem = torch.arange(k_len)[None, :]
    b = bucket(mem - ctx, bidirectional, cfg["relative_attention_num_buckets"], cfg["relative_attention_max_distance"])
    return table[b].permute(2, 0, 1)  # [heads, q, k]


def attention(cfg, w, p, x, kv, bias, causal):
    h, dk = cfg["num_heads"], cfg["d_kv"]
    q = (x @ w[p + "q.weight"].T).view(-1, h, dk).transpose(0, 1)
    k = (kv @ w[p + "k.weight"].T).view(-1, h, dk).transpose(0, 1)
    v = (kv @ w[p + "v.weight"].T).view(-1, h, dk).transpose(0, 1)
    scores = q @ k.transpose(1, 2)  # T5: no 1/sqrt(d) scaling
    if bias is not None:
        scores = scores + bias
    if causal:
        n = scores.shape[-1]
        scores = scores.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
    out = torch.softmax(scores, dim=-1) @ v
    return out.transpose(0, 1).reshape(x.shape[0], h * dk) @ w[p + "o.weight"].T


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def feed_forward(cfg, w, p, x):
    if cfg["feed_forward_proj"] == "gated-gelu":
        return (gelu_new(x @ w[p + "wi_0.weight"].T) * (x @ w[p + "wi_1.weight"].T)) @ w[p + "wo.weight"].T
    return torch.relu(x @ w[p + "wi.weight"].T) @ w[p + "wo.weight"].T


def forward(cfg, w, enc_ids, dec_ids):
    eps = cfg["layer_norm_epsilon"]
    emb = w["shared.weight"]
    x = emb[torch.tensor(enc_ids)]
    bias = position_bias(w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], len(enc_ids), len(enc_ids), True, cfg)
    for i in range(cfg["num_layers"]):
        p = f"encoder.block.{i}.layer."
        x = x + attention(cfg, w, p + "0.SelfAttention.", rms_norm(x, w[p + "0.layer_norm.weight"], eps), rms_norm(x, w[p + "0.layer_norm.weight"], eps), bias, False)
        x = x + feed_forward(cfg, w, p + "1.DenseReluDense.", rms_norm(x, w[p + "1.layer_norm.weight"], eps))
    enc = rms_norm(x, w["encoder.final_layer_norm.weight"], eps)

    y = emb[torch.tensor(dec_ids)]
    bias = position_bias(w["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], len(dec_ids), len(dec_ids), False, cfg)
    for i in range(cfg["num_decoder_layers"]):
        p = f"decoder.block.{i}.layer."
        n = rms_norm(y, w[p + "0.layer_norm.weight"], eps)
        y = y + attention(cfg, w, p + "0.SelfAttention.", n, n, bias, True)
        y = y + attention(cfg, w, p + "1.EncDecAttention.", rms_norm(y, w[p + "1.layer_norm.weight"], eps), enc, None, False)
        y = y + feed_forward(cfg, w, p + "2.DenseReluDense.", rms_norm(y, w[p + "2.layer_norm.weight"], eps))
    y = rms_norm(y, w["decoder.final_layer_norm.weight"], eps)
    if cfg.get("tie_word_embeddings", True):
        return (y * cfg["d_model"] ** -0.5) @ emb.T
    return y @ w["lm_head.weight"].T


def score(cfg, w, max_length, ctx, cont):
    enc = ctx[-max_length:]
    labels = cont[-max_length:]
    dec = [cfg["decoder_start_token_id"]] + labels[:-1]
    with torch.no_grad():
        logp = torch.log_softmax(forward(cfg, w, enc, dec), dim=-1)
    target = torch.tensor(labels)
    ll = float(logp.gather(1, target.unsqueeze(1)).double().sum())
    return ll, bool((logp.argmax(-1) == target).all())


def encode_request(tok, context, continuation):
    if context == "":
        return [tok.eos], tok.encode(continuation, add_special_tokens=False)  # prefix: no BOS, so EOS
    n = len(context) - len(context.rstrip())
    if n > 0:
        continuation, context = context[-n:] + continuation, context[:-n]
    return tok.encode(context), tok.encode(continuation, add_special_tokens=False)


def make(name, gated, tied, seed):
    torch.manual_seed(seed)
    folder = os.path.join(HERE, "models", name)
    os.makedirs(folder, exist_ok=True)
    sp = train_tokenizer(folder)
    extra = 4
    tok = T5Tok(sp, extra)
    d, dkv, heads, dff, layers = 16, 6, 3, 24, 2
    vocab = tok.size + 4  # padded past the tokenizer, as the Hub's 32128
    cfg = {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "vocab_size": vocab, "d_model": d, "d_kv": dkv,
           "d_ff": dff, "num_layers": layers, "num_decoder_layers": layers + (1 if gated else 0), "num_heads": heads,
           "relative_attention_num_buckets": 8, "relative_attention_max_distance": 20, "dropout_rate": 0.1,
           "layer_norm_epsilon": 1e-6, "initializer_factor": 1.0, "feed_forward_proj": "gated-gelu" if gated else "relu",
           "is_encoder_decoder": True, "tie_word_embeddings": tied, "pad_token_id": 0, "eos_token_id": 1,
           "decoder_start_token_id": 0, "n_positions": 24}
    w = {"shared.weight": torch.randn(vocab, d) * (1.0 if tied else 0.6)}
    inner = heads * dkv
    for stack, n_layers in (("encoder", layers), ("decoder", cfg["num_decoder_layers"])):
        for i in range(n_layers):
            p = f"{stack}.block.{i}.layer."
            attn = ["0.SelfAttention."] + (["1.EncDecAttention."] if stack == "decoder" else [])
            for a in attn:
                w.update({p + a + "q.weight": torch.randn(inner, d) * 0.3, p + a + "k.weight": torch.randn(inner, d) * 0.3,
                          p + a + "v.weight": torch.randn(inner, d) * 0.4, p + a + "o.weight": torch.randn(d, inner) * 0.3})
            norms = ["0.", "1."] + (["2."] if stack == "decoder" else [])
            for nm in norms:
                w[p + nm + "layer_norm.weight"] = 1 + torch.randn(d) * 0.1
            ff = p + ("2." if stack == "decoder" else "1.") + "DenseReluDense."
            if gated:
                w.update({ff + "wi_0.weight": torch.randn(dff, d) * 0.4, ff + "wi_1.weight": torch.randn(dff, d) * 0.4})
            else:
                w[ff + "wi.weight"] = torch.randn(dff, d) * 0.4
            w[ff + "wo.weight"] = torch.randn(d, dff) * 0.3
        w[f"{stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight"] = torch.randn(cfg["relative_attention_num_buckets"], heads) * 1.5
        w[f"{stack}.final_layer_norm.weight"] = 1 + torch.randn(d) * 0.1
    if not tied:
        w["lm_head.weight"] = torch.randn(vocab, d) * 0.8
    stored = dict(w)
    if tied:
        stored["encoder.embed_tokens.weight"] = w["shared.weight"]  # save_pretrained writes the tied copies too
        stored["decoder.embed_tokens.weight"] = w["shared.weight"]
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=2)
    json.dump({"model_max_length": 512, "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "extra_ids": extra,
               "tokenizer_class": "T5Tokenizer"}, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), stored, "F32")
    w = read_safetensors(os.path.join(folder, "model.safetensors"))

    rng = random.Random(name)
    max_length = cfg["n_positions"]
    token_requests = []
    body = list(range(3, tok.size))
    for i in range(16):
        ctx = [rng.choice(body) for _ in range(rng.choice([1, 3, 7, 12, 30]))] + [1]
        cont = [rng.choice(body) for _ in range(rng.choice([1, 2, 5, 9, 28]))]
        if i % 4 == 3:  # a greedy continuation
            cont = greedy(cfg, w, ctx[-max_length:], rng.choice([1, 3, 6]))
        ll, g = score(cfg, w, max_length, ctx, cont)
        token_requests.append({"context": ctx, "continuation": cont, "loglikelihood": ll, "is_greedy": g})
    texts = [("the cat sat", " on the mat"), ("question : what is the capital of france ? answer :", " paris"),
             ("a dog ran in the ", "park ."), ("", " the early bird catches the worm ."), ("premise : the man ate . hypothesis :\n", "he was hungry"),
             ("translate english to german : the house is wonderful . " * 4, " true"), ("to be or not", " to be , that is the question . " * 5)]
    text_requests = []
    for c, x in texts:
        ci, xi = encode_request(tok, c, x)
        ll, g = score(cfg, w, max_length, ci, xi)
        text_requests.append({"context": c, "continuation": x, "context_tokens": ci, "continuation_tokens": xi, "loglikelihood": ll, "is_greedy": g})
    golden = {"model": "tests/reference/models/" + name, "generator": "tests/reference/t5.py", "max_length": max_length,
              "token_requests": token_requests, "text_requests": text_requests, "bos_token_id": None, "prefix_token_id": 1,
              "encodings": {}}
    with open(os.path.join(HERE, "golden", name + ".json"), "w") as f:
        json.dump(golden, f, indent=1)
    print(name, "written:", len(token_requests), "token and", len(text_requests), "text requests;",
          sum(r["is_greedy"] for r in token_requests), "greedy")


def greedy(cfg, w, enc, n):
    out = []
    for _ in range(n):
        with torch.no_grad():
            logits = forward(cfg, w, enc, [cfg["decoder_start_token_id"]] + out)
        out.append(int(logits[-1].argmax()))
    return out


if __name__ == "__main__":
    make("tiny-t5", gated=False, tied=True, seed=31)
    make("tiny-flan-t5", gated=True, tied=False, seed=32)
