#!/usr/bin/python3
"""Independent PyTorch reference for Mlrb.Eval text generation.

For every tiny causal model under models/ (and ../shared/data/models/llama2xs-custom512 when present) this writes
golden/generation-<model>.json with greedy continuations computed by running the reference forward pass
(generate.py's Reference) over the whole sequence at every step, with no KV cache: the engine's incremental decoding
must reproduce them token for token. Each case records the smallest top-1/top-2 logit gap along its path, and prompts
are chosen so that gap stays clear of float noise.

For models with a byte-level tokenizer.json it also writes the decoded text of each continuation (special tokens
skipped, invalid UTF-8 replaced as Hugging Face's ByteLevel decoder does) and stop-string cases: a stop string made of
the last characters of one generated token and the first of the next, with the text lm-evaluation-harness keeps
(`text.split(stop)[0]`) and the number of tokens after which the stop string is first complete.

golden/sampling.json holds sampling distributions: Hugging Face's TemperatureLogitsWarper, TopKLogitsWarper and
TopPLogitsWarper re-stated in torch, applied in that order, then softmax. torch.multinomial draws cannot be
reproduced outside torch, so the engine's sampler is tested against these distributions and statistically.

Usage: /usr/bin/python3 tests/reference/generation.py [--shared ../shared/data]
"""
import argparse
import json
import os
import random
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate as g  # noqa: E402  (the reference forward passes and safetensors reader)

MIN_MARGIN = 2e-3
NEW_TOKENS = 16


def byte_decoder(folder):
    path = os.path.join(folder, "tokenizer.json")
    if not os.path.exists(path):
        return None
    tok = json.load(open(path, encoding="utf-8"))
    if (tok.get("decoder") or {}).get("type") != "ByteLevel":
        return None
    u2b = {v: k for k, v in g.bytes_to_unicode().items()}
    vocab = {i: s for s, i in tok["model"]["vocab"].items()}
    special = {a["id"] for a in tok.get("added_tokens", []) if a.get("special")}
    for a in tok.get("added_tokens", []):
        vocab[a["id"]] = a["content"]

    def decode(ids):
        out = bytearray()
        for i in ids:
            if i in special or i not in vocab:  # ids past the tokenizer's vocabulary decode to nothing (Rust tokenizers)
                continue
            out.extend(u2b[c] for c in vocab[i])
        return out.decode("utf-8", errors="replace")
    return decode


def greedy_path(ref, prompt, n):
    """Greedy tokens and the smallest top-1/top-2 gap, recomputing the full forward at every step."""
    ids, margin = list(prompt), float("inf")
    with torch.no_grad():
        for _ in range(n):
            logits = ref.logits(torch.tensor(ids))[-1]
            top = torch.topk(logits, 2)
            margin = min(margin, float(top.values[0] - top.values[1]))
            ids.append(int(logits.argmax()))
    return ids[len(prompt):], margin


def prompt_vocab(folder, vocab):
    """Ids a prompt may use: the tokenizer's ordinary tokens when it has a tokenizer.json, else the model's vocabulary."""
    path = os.path.join(folder, "tokenizer.json")
    if not os.path.exists(path):
        return vocab, set()
    tok = json.load(open(path, encoding="utf-8"))
    return min(vocab, len(tok["model"]["vocab"])), {a["id"] for a in tok.get("added_tokens", [])}


def make_cases(ref, vocab, rng, specials, max_length, count):
    cases = []
    while len(cases) < count:
        length = rng.randint(2, min(20, max_length - NEW_TOKENS - 1))
        prompt = [rng.randrange(vocab) for _ in range(length)]
        if any(t in specials for t in prompt):
            continue
        tokens, margin = greedy_path(ref, prompt, NEW_TOKENS)
        if margin >= MIN_MARGIN:
            cases.append({"prompt": prompt, "tokens": tokens, "min_margin": margin})
    return cases


def context_full_case(ref, vocab, rng, specials, max_length):
    """A prompt 5 tokens short of the context: generation must end after 5 tokens (the context is full)."""
    while True:
        prompt = [rng.randrange(vocab) for _ in range(max_length - 5)]
        if any(t in specials for t in prompt):
            continue
        tokens, margin = greedy_path(ref, prompt, 5)
        if margin >= MIN_MARGIN:
            return {"prompt": prompt, "tokens": tokens, "min_margin": margin}


def stop_case(case, decode):
    """A stop string spanning the boundary between two generated tokens, in printable ASCII."""
    tokens = case["tokens"]
    for k in range(2, len(tokens) - 1):
        left, right = decode(tokens[:k]), decode(tokens[:k + 1])
        if not right.startswith(left) or len(left) < 2 or len(right) <= len(left):
            continue
        stop = left[-2:] + right[len(left)]
        if not all(32 < ord(c) < 127 for c in stop) or len(stop) != 3:
            continue
        text = decode(tokens)
        first = next(n for n in range(1, len(tokens) + 1) if stop in decode(tokens[:n]))
        if first != k + 1:
            continue  # the string occurs earlier; keep the case about a boundary
        return {"stop": stop, "text": text.split(stop)[0], "tokens_until_stop": first}
    return None


def sampling_cases():
    torch.manual_seed(7)
    cases = []
    settings = [(1.0, 0, 1.0), (0.7, 0, 1.0), (1.3, 5, 1.0), (1.0, 0, 0.9), (0.8, 10, 0.8), (2.0, 3, 0.5), (0.5, 0, 0.95)]
    for t, k, p in settings:
        logits = torch.randn(32) * 2.0
        logits[3] = logits[4]  # a tie at the top-k boundary is possible; ties are kept by HF's top-k
        scores = logits / t  # TemperatureLogitsWarper
        if k > 0:  # TopKLogitsWarper
            kth = torch.topk(scores, min(k, scores.numel()))[0][..., -1, None]
            scores = scores.masked_fill(scores < kth, -float("inf"))
        if p < 1.0:  # TopPLogitsWarper (min_tokens_to_keep=1)
            sorted_logits, sorted_indices = torch.sort(scores, descending=False)
            cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
            remove = cumulative <= (1 - p)
            remove[..., -1:] = 0
            scores = scores.masked_fill(remove.scatter(0, sorted_indices, remove), -float("inf"))
        probs = torch.softmax(scores, dim=-1)
        cases.append({"logits": logits.tolist(), "temperature": t, "top_k": k, "top_p": p, "probabilities": probs.tolist()})
    return cases


def write(name, payload):
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    with open(os.path.join(HERE, "golden", name), "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/reference/generation.py", **payload}, f, indent=1, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    args = ap.parse_args()

    folders = [(n, os.path.join(HERE, "models", n), "tests/reference/models/" + n) for n in sorted(os.listdir(os.path.join(HERE, "models")))]
    real = os.path.join(args.shared, "models", "llama2xs-custom512")
    if os.path.isdir(real):
        folders.append(("llama2xs-custom512", real, "../shared/data/models/llama2xs-custom512"))
    for name, folder, rel in folders:
        cfg = json.load(open(os.path.join(folder, "config.json")))
        if cfg.get("is_encoder_decoder"):
            continue
        try:
            ref = g.Reference(folder)
        except Exception as e:  # an architecture this reference cannot run
            print("skipping", name, ":", e)
            continue
        vocab, specials = prompt_vocab(folder, cfg["vocab_size"])
        rng = random.Random("generation-" + name)
        cases = make_cases(ref, vocab, rng, specials, ref.max_length, 6)
        payload = {"model": rel, "max_length": ref.max_length, "new_tokens": NEW_TOKENS, "greedy": cases,
                   "context_full": context_full_case(ref, vocab, rng, specials, ref.max_length)}
        decode = byte_decoder(folder)
        if decode is not None:
            for c in cases:
                c["text"] = decode(c["tokens"])
            stops = []
            for c in cases:
                s = stop_case(c, decode)
                if s is not None:
                    stops.append({"prompt": c["prompt"], **s})
            payload["stop_cases"] = stops
        write("generation-" + name + ".json", payload)
        print(name, "written:", len(cases), "greedy cases,", len(payload.get("stop_cases", [])), "stop cases")
    write("sampling.json", {"cases": sampling_cases()})
    print("sampling.json written")


if __name__ == "__main__":
    main()
