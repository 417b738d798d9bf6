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

For encoder-decoder (T5) folders the prompt is the encoder's input and the continuation is what the decoder produces
after decoder_start_token_id, computed with t5.py's forward pass (encoder and decoder recomputed at every step, no
cache); the text is the SentencePiece pieces of the continuation decoded as transformers' T5 tokenizer does with
skip_special_tokens (special ids dropped, '▁' read as a space, the first piece's leading space dropped). The
context-full case names its own max_length: the decoder holds decoder_start plus max_length - 1 generated tokens.

golden/sampling.json holds sampling distributions: Hugging Face's TemperatureLogitsWarper, TopKLogitsWarper and
TopPLogitsWarper re-stated in torch, applied in that order, then softmax. torch.multinomial draws cannot be
reproduced outside torch, so the engine's sampler is tested against these distributions and statistically.

Usage: /usr/bin/python3 tests/reference/generation.py [--shared ../shared/data] [--only tiny-t5 tiny-flan-t5 ...]
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
import t5 as t5ref  # noqa: E402  (the T5 forward pass)

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


# --------------------------------------------------------------------------- encoder-decoder (T5)


def spiece_pieces(path):
    """(piece, type) of every entry of a SentencePiece ModelProto, read without the sentencepiece module."""
    data = open(path, "rb").read()

    def varint(buf, i):
        shift = value = 0
        while True:
            b = buf[i]
            i += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value, i

    def fields(buf):
        i = 0
        while i < len(buf):
            key, i = varint(buf, i)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, i = varint(buf, i)
            elif wire == 1:
                value, i = buf[i:i + 8], i + 8
            elif wire == 2:
                n, i = varint(buf, i)
                value, i = buf[i:i + n], i + n
            elif wire == 5:
                value, i = buf[i:i + 4], i + 4
            else:
                raise ValueError("wire type %d" % wire)
            yield number, value

    pieces = []
    for number, value in fields(data):
        if number == 1:
            entry = dict(fields(value))
            pieces.append((entry[1].decode("utf-8"), entry.get(3, 1)))
    return pieces


def t5_decoder(folder):
    """transformers' T5 decode(skip_special_tokens=True) over the ordinary pieces; None for an id it cannot decode here."""
    pieces = spiece_pieces(os.path.join(folder, "spiece.model"))
    special = {i for i, (_, kind) in enumerate(pieces) if kind != 1}  # control (<pad>, </s>) and unknown (<unk>)

    def decode(ids):
        kept = [pieces[i][0] for i in ids if i not in special]
        text = "".join(kept).replace("\u2581", " ")
        return text[1:] if text.startswith(" ") else text
    return decode, len(pieces), special


def t5_greedy_path(cfg, w, prompt, n):
    out, margin = [], float("inf")
    with torch.no_grad():
        for _ in range(n):
            logits = t5ref.forward(cfg, w, prompt, [cfg["decoder_start_token_id"]] + out)[-1]
            top = torch.topk(logits, 2)
            margin = min(margin, float(top.values[0] - top.values[1]))
            out.append(int(logits.argmax()))
    return out, margin


def t5_payload(name, folder, rel, cfg):
    w = g.read_safetensors(os.path.join(folder, "model.safetensors"))
    decode, pieces, special = t5_decoder(folder)
    eos = cfg["eos_token_id"]
    ordinary = [i for i in range(pieces) if i not in special]
    max_length = cfg["n_positions"]  # the engine's MaxLength for T5 (the harness's rule), for the encoder and the decoder
    rng = random.Random("generation-" + name)

    def case(length, n, fresh_fourth=False):
        while True:
            prompt = [rng.choice(ordinary) for _ in range(length - 1)] + [eos]  # T5's tokenizer appends </s>
            tokens, margin = t5_greedy_path(cfg, w, prompt, n)
            # outputs decodable here: ordinary pieces and </s> (not <pad>, <unk>, sentinels or the padded vocabulary)
            if fresh_fourth and tokens[3] in tokens[:3]:
                continue  # the first case's 4th token serves as an end-of-sequence id in the engine's tests
            if margin >= MIN_MARGIN and all(t in ordinary or t == eos for t in tokens):
                return {"prompt": prompt, "tokens": tokens, "min_margin": margin}

    cases = [case(rng.randint(2, 20), NEW_TOKENS, fresh_fourth=i == 0) for i in range(6)]
    for c in cases:
        c["text"] = decode(c["tokens"])
    full_limit = 8
    context_full = {**case(full_limit, full_limit - 1), "max_length": full_limit}
    stops = []
    for c in cases:
        s = stop_case(c, decode)
        if s is not None:
            stops.append({"prompt": c["prompt"], **s})
    return {"model": rel, "encoder_decoder": True, "max_length": max_length, "new_tokens": NEW_TOKENS, "greedy": cases,
            "context_full": context_full, "stop_cases": stops}


def write(name, payload):
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    with open(os.path.join(HERE, "golden", name), "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/reference/generation.py", **payload}, f, indent=1, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--only", nargs="+", metavar="MODEL", help="write only these models' goldens (and not sampling.json)")
    args = ap.parse_args()

    folders = [(n, os.path.join(HERE, "models", n), "tests/reference/models/" + n) for n in sorted(os.listdir(os.path.join(HERE, "models")))]
    real = os.path.join(args.shared, "models", "llama2xs-custom512")
    if os.path.isdir(real):
        folders.append(("llama2xs-custom512", real, "../shared/data/models/llama2xs-custom512"))
    if args.only:
        folders = [f for f in folders if f[0] in args.only]
    for name, folder, rel in folders:
        cfg = json.load(open(os.path.join(folder, "config.json")))
        if cfg.get("is_encoder_decoder"):
            payload = t5_payload(name, folder, rel, cfg)
            write("generation-" + name + ".json", payload)
            print(name, "written:", len(payload["greedy"]), "greedy cases,", len(payload["stop_cases"]), "stop cases")
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
    if not args.only:
        write("sampling.json", {"cases": sampling_cases()})
        print("sampling.json written")


if __name__ == "__main__":
    main()
