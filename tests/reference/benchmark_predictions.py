"""PyTorch reference for whole benchmark runs: harness request construction (harness_requests.py), harness encoding
(generate.encode_pair) and harness scoring (generate.Reference.score, batch_size=1, fp32) of the tiny GPT-2 model on the
first LIMIT documents of every ../shared/data/benchmarks subtask, with argmax predictions (first index on ties) and the
harness's aggregates. Writes golden/benchmark-predictions-tiny-gpt2.json.
Run from the repository root: python3 tests/reference/benchmark_predictions.py
"""
import json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
import harness_requests  # noqa: E402

LIMIT = 4
HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "models", "tiny-gpt2")
CONFIGS = {"blimp": ("blimp_", 0), "mmlu": ("mmlu_", 0), "superglue": ("", 0), "superglue_2shot": ("", 2)}
SUPERGLUE = ["boolq", "cb", "copa", "sglue_rte", "wic"]

tok = generate.ByteBpe(40, ["<|endoftext|>"])
prefix = tok.specials["<|endoftext|>"]
ref = generate.Reference(MODEL)
encode = lambda s, special: tok.encode(s)  # GPT-2 adds no special tokens
everything = harness_requests.build_all()


def argmax(xs):
    best = 0
    for i, x in enumerate(xs):
        if x > xs[best]:
            best = i
    return best


out = {"model": "tests/reference/models/tiny-gpt2", "limit": LIMIT, "runs": {}}
for run, (prefix_name, shots) in CONFIGS.items():
    subtasks = {}
    for key, docs in everything.items():
        name, k = key.split("/")
        if int(k) != shots:
            continue
        is_sg = name in SUPERGLUE
        if run.startswith("superglue") != is_sg or (not is_sg and not name.startswith(prefix_name)):
            continue
        encoded = [([generate.encode_pair(encode, prefix, c, x) for c, x in reqs], gold) for reqs, gold in docs[:LIMIT]]
        if any(len(cont) > ref.max_length for pairs, _ in encoded for _, cont in pairs):
            # The harness asserts len(cont) <= max_length; such a subtask cannot run on a 48-position model.
            out.setdefault("skipped", []).append(name)
            continue
        rows = []
        for pairs, gold in encoded:
            lls = [ref.score(ctx, cont)[0] for ctx, cont in pairs]
            rows.append({"loglikelihoods": lls, "prediction": argmax(lls), "gold": gold})
        subtasks[name] = rows
    acc = {n: sum(r["prediction"] == r["gold"] for r in rs) / len(rs) for n, rs in subtasks.items()}
    if run == "mmlu":
        aggregate = sum(acc[n] * len(subtasks[n]) for n in acc) / sum(len(subtasks[n]) for n in acc)
    else:
        aggregate = sum(acc.values()) / len(acc)
    out["runs"][run] = {"shots": shots, "subtasks": subtasks, "acc": acc, "aggregate": aggregate}
    print(run, len(subtasks), "subtasks, aggregate", aggregate, file=sys.stderr)

with open(os.path.join(HERE, "golden", "benchmark-predictions-tiny-gpt2.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
