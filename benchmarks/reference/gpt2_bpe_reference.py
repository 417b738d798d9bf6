#!/usr/bin/env python3
"""Independent GPT-2 BPE reference (OpenAI's published algorithm, written from its description) for Mlrb.

It needs only Python 3 and the `regex` module (for \\p{L}/\\p{N}); no `tokenizers`/`transformers`.

  python3 benchmarks/reference/gpt2_bpe_reference.py time   [N]     # encode N BLiMP sentences, cold and warm cache
  python3 benchmarks/reference/gpt2_bpe_reference.py golden N OUT   # write ids of every 5th sentence (N in all) for the C# test

The sentences are the harness's BLiMP continuations (" " + sentence_good) from ../shared/data/benchmarks/blimp,
files in name order, rows in file order; the same list benchmarks/Mlrb.Benchmarks reads.
"""
import json
import os
import sys
import time

import regex

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def byte_alphabet():
    """GPT-2's reversible byte -> printable character table."""
    keep = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(0x100 + extra)
            extra += 1
    return table


class Gpt2Bpe:
    def __init__(self, encoder_path, merges_path):
        with open(encoder_path, encoding="utf-8") as f:
            self.encoder = json.load(f)
        with open(merges_path, encoding="utf-8") as f:
            lines = [l for l in f.read().split("\n")[1:] if l]
        self.ranks = {tuple(l.split(" ")): i for i, l in enumerate(lines)}
        self.alphabet = byte_alphabet()
        self.cache = {}

    def word(self, piece):
        if piece in self.cache:
            return self.cache[piece]
        symbols = list(piece)
        while len(symbols) > 1:
            best, best_rank = None, None
            for pair in zip(symbols, symbols[1:]):
                r = self.ranks.get(pair)
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = pair, r
            if best is None:
                break
            merged, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    merged.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            symbols = merged
        ids = [self.encoder[s] for s in symbols]
        self.cache[piece] = ids
        return ids

    def encode(self, text):
        ids = []
        for piece in PATTERN.findall(text):
            mapped = "".join(self.alphabet[b] for b in piece.encode("utf-8"))
            ids.extend(self.word(mapped))
        return ids


def blimp_sentences(count):
    folder = os.path.join(SHARED, "benchmarks", "blimp")
    out = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                if len(out) == count:
                    return out
                if line.strip():
                    out.append(" " + json.loads(line)["sentence_good"])
    return out


def load():
    folder = os.path.join(SHARED, "tokenizers", "gpt2")
    return Gpt2Bpe(os.path.join(folder, "encoder.json"), os.path.join(folder, "vocab.bpe"))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "time"
    if mode == "time":
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
        sentences = blimp_sentences(n)
        t0 = time.perf_counter()
        bpe = load()
        t1 = time.perf_counter()
        cold = sum(len(bpe.encode(s)) for s in sentences)
        t2 = time.perf_counter()
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            warm = sum(len(bpe.encode(s)) for s in sentences)
            runs.append(time.perf_counter() - t)
        print(f"sentences={len(sentences)} tokens={cold} load_ms={(t1 - t0) * 1000:.1f} cold_ms={(t2 - t1) * 1000:.1f} "
              f"warm_ms_median={sorted(runs)[2] * 1000:.1f}")
        assert warm == cold
    elif mode == "golden":
        n, out = int(sys.argv[2]), sys.argv[3]
        sentences = blimp_sentences(n * 5)[::5]
        bpe = load()
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            f.write("# GPT-2 ids of every 5th BLiMP sentence (\" \" + sentence_good; blimp/*.jsonl in name order), "
                    "from benchmarks/reference/gpt2_bpe_reference.py\n")
            for s in sentences:
                f.write(" ".join(map(str, bpe.encode(s))) + "\n")
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
