#!/usr/bin/python3
"""PyTorch side of compare-prefix.sh: MMLU-5-shot-like requests on a GPT-2-small-shaped random fp32 model.

Writes the model (torch_scoring.write_model) and requests: per subject a 5-shot block (a header and five solved examples, about
600 tokens), then questions of 60-110 tokens ending in " Answer:", each with the four one-token choices " A", " B", " C", " D"
(GPT-2 ids). PyTorch eager computes every request in full: one request per pass (batch 1), length-sorted right-padded batches, and
one pass per question (the harness's cache for one-token continuations of one context). Tokens are counted as the model inputs of
every request, (ctx + cont)[:-1], for every configuration, so tokens/s figures compare the same work.
"""
import argparse
import json
import os
import random
import time

import torch

from torch_scoring import forward, write_model

LETTERS = [317, 347, 327, 360]  # " A", " B", " C", " D" in GPT-2's vocabulary
ANSWER = [23998, 25]  # " Answer", ":"


def make_requests(subjects, questions, seed=5):
    rng = random.Random(seed)
    words = lambda n: [rng.randrange(256, 50000) for _ in range(n)]
    reqs = []
    for _ in range(subjects):
        block = words(12)  # "The following are multiple choice questions (with answers) about ..."
        for _ in range(5):
            block += words(rng.randint(95, 115)) + ANSWER + [rng.choice(LETTERS), 198, 198]
        for _ in range(questions):
            ctx = block + words(rng.randint(60, 110)) + ANSWER
            reqs.extend((ctx, [letter]) for letter in LETTERS)
    return reqs


def score(cfg, w, batch):
    inps = [(ctx + cont)[:-1] for ctx, cont in batch]
    width = max(len(i) for i in inps)
    ids = torch.tensor([i + [0] * (width - len(i)) for i in inps])
    logp = torch.log_softmax(forward(cfg, w, ids), dim=-1)
    return [float(logp[r, len(i) - len(c):len(i)].gather(1, torch.tensor(c).unsqueeze(1)).sum()) for r, (i, (_, c)) in enumerate(zip(inps, batch))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--subjects", type=int, default=2)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", default="1,8", help="PyTorch batch sizes (length-sorted)")
    ap.add_argument("--sample", type=int, default=0, help="time PyTorch on an evenly spaced sample of this many requests (0: all)")
    ap.add_argument("--write-only", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg, w = write_model(args.folder)
    reqs = make_requests(args.subjects, args.questions)
    json.dump(reqs, open(os.path.join(args.folder, "requests.json"), "w"))
    tokens = sum(len(c) + len(x) - 1 for c, x in reqs)
    a, b = reqs[0][0], reqs[4][0]
    block = next((n for n in range(min(len(a), len(b))) if a[n] != b[n]), min(len(a), len(b)))
    lengths = [len(c) for c, _ in reqs]
    print(f"requests: {len(reqs)} ({args.subjects} subjects x {args.questions} questions x 4 one-token choices), {tokens} input tokens; "
          f"5-shot block {block} tokens; contexts {min(lengths)}-{max(lengths)} tokens")
    if args.write_only:
        return
    if args.sample and args.sample < len(reqs):
        # Every request is computed in full and independently, so the rate on an evenly spaced sample is PyTorch's rate on the set.
        step = len(reqs) / args.sample
        reqs = [reqs[int(k * step)] for k in range(args.sample)]
        tokens = sum(len(c) + len(x) - 1 for c, x in reqs)
        print(f"PyTorch timed on an evenly spaced sample of {len(reqs)} requests ({tokens} input tokens)")
    with torch.inference_mode():
        score(cfg, w, reqs[:1])
        runs = [(f"batch={b} (length-sorted)", int(b), False) for b in args.batches.split(",")]
        runs.append(("one pass per question (harness one-token cache), batch=1", 1, True))
        for name, size, per_question in runs:
            order = sorted(range(len(reqs)), key=lambda i: -len(reqs[i][0]))
            credited = tokens
            if per_question:
                # One pass serves the four one-token choices of a question: time one pass per question and credit the four requests'
                # tokens (the choices' inputs have the same length). On a sample, each sampled request stands for its question.
                order = list(range(len(reqs))) if args.sample else list(range(0, len(reqs), 4))
                credited = 4 * sum(len(reqs[i][0]) for i in order)
            start, cpu = time.perf_counter(), time.process_time()
            out = {}
            for k in range(0, len(order), size):
                idx = order[k:k + size]
                for i, v in zip(idx, score(cfg, w, [reqs[i] for i in idx])):
                    out[i] = v
            sec, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"torch {name}: {credited} tokens in {sec:.2f} s = {credited / sec:.0f} tokens/s wall, {credited / cpu:.0f} per CPU-second "
                  f"(threads={args.threads}); first results: {', '.join(f'{out[i]:.4f}' for i in sorted(out)[:3])}")

if __name__ == "__main__":
    main()
