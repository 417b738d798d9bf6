"""Builds lm-evaluation-harness (v0.4.x) loglikelihood requests for the ../shared/data/benchmarks slices, in Python,
independently of the C# code, and writes golden/harness-requests.json.

Each configuration records the request count, a SHA-256 over every request (UTF-8 of context + NUL + continuation + NUL,
in document and choice order) and the first two documents' requests in full. The templates follow
../shared/specs/harness-scoring.md section 2 (written with Python string semantics: str.strip, split, code-point slices,
random.Random(1234).sample). Run from the repository root: python3 tests/reference/harness_requests.py
"""
import csv, hashlib, json, os, random, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "..", "shared", "data", "benchmarks")

def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]

# ---- HF rows from the original release ----
CB = {"entailment": 0, "contradiction": 1, "neutral": 2}
RTE = {"entailment": 0, "not_entailment": 1}

def rows(task, split):
    folder = {"boolq": "BoolQ", "cb": "CB", "copa": "COPA", "sglue_rte": "RTE", "wic": "WiC"}[task]
    path = os.path.join(DATA, "superglue", folder, split + ".jsonl")
    if not os.path.exists(path):
        return None
    out = []
    for r in jsonl(path):
        r = dict(r)
        if task == "cb": r["label"] = CB[r["label"]]
        elif task == "sglue_rte": r["label"] = RTE[r["label"]]
        elif task in ("boolq", "wic"): r["label"] = int(r["label"])
        out.append(r)
    return out

# ---- templates: (text, choices, gold) ----
def boolq(d): return (f"{d['passage']}\nQuestion: {d['question']}?\nAnswer:", ["no", "yes"], d["label"])
def cb(d): return (f"{d['premise']}\nQuestion: {d['hypothesis']}. True, False, or Neither?\nAnswer:", ["True", "False", "Neither"], d["label"])
def rte(d): return (f"{d['premise']}\nQuestion: {d['hypothesis']} True or False?\nAnswer:", ["True", "False"], d["label"])
def wic(d): return (f"Sentence 1: {d['sentence1']}\nSentence 2: {d['sentence2']}\nQuestion: Is the word '{d['sentence1'][d['start1']:d['end1']]}' used in the same way in the two sentences above?\nAnswer:", ["no", "yes"], d["label"])
def copa(d):
    conv = lambda c: c[0].lower() + c[1:]
    connector = {"cause": "because", "effect": "therefore"}[d["question"]]
    return (d["premise"].strip()[:-1] + f" {connector}", [" " + conv(d["choice1"]), " " + conv(d["choice2"])], d["label"])

TEMPLATES = {"boolq": boolq, "cb": cb, "copa": copa, "sglue_rte": rte, "wic": wic}

def mmlu_rows(subject, split):
    path = os.path.join(DATA, "mmlu", split, f"{subject}_{split}.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return [{"question": r[0], "choices": r[1:5], "answer": "ABCD".index(r[5])} for r in csv.reader(f)]

def mmlu_text(d):
    c = d["choices"]
    return f"{d['question'].strip()}\nA. {c[0]}\nB. {c[1]}\nC. {c[2]}\nD. {c[3]}\nAnswer:"

def summarize(requests_per_doc):
    h = hashlib.sha256()
    n = 0
    for reqs in requests_per_doc:
        for ctx, cont in reqs:
            h.update(ctx.encode("utf-8") + b"\0" + cont.encode("utf-8") + b"\0")
            n += 1
    return {"requests": n, "sha256": h.hexdigest(), "first": requests_per_doc[:2]}

def build_all():
    """Every configuration's requests, per document: {key: [[(context, continuation), ...], ...]}."""
    out = {}
    _build(out)
    return out


def _build(out):
  if True:
    for f in sorted(os.listdir(os.path.join(DATA, "blimp"))):
        uid = f[:-len(".jsonl")]
        docs = jsonl(os.path.join(DATA, "blimp", f))
        out[f"blimp_{uid}/0"] = [([("", " " + d["sentence_good"]), ("", " " + d["sentence_bad"])], 0) for d in docs]

    for f in sorted(os.listdir(os.path.join(DATA, "mmlu", "test"))):
        subject = f[:-len("_test.csv")]
        desc = "The following are multiple choice questions (with answers) about " + subject.replace("_", " ") + ".\n\n"
        dev = mmlu_rows(subject, "dev")
        for k in (0, 5):
            shots = "".join(mmlu_text(x) + " " + "ABCD"[x["answer"]] + "\n\n" for x in dev[:k])
            out[f"mmlu_{subject}/{k}"] = [([(desc + shots + mmlu_text(d), " " + L) for L in "ABCD"], d["answer"]) for d in mmlu_rows(subject, "test")]

    for task, tmpl in TEMPLATES.items():
        val = rows(task, "val")
        train = rows(task, "train")
        for k in ((0, 2) if train else (0,)):
            rnd = random.Random(1234)
            per_doc = []
            for d in val:
                text, choices, gold = tmpl(d)
                ctx = ""
                if k:
                    fs = [x for x in rnd.sample(train, k + 1) if x != d][:k]
                    for x in fs:
                        t, ch, g = tmpl(x)
                        ctx += t + " " + ch[g] + "\n\n"
                per_doc.append(([(ctx + text, " " + c) for c in choices], gold))
            out[f"{task}/{k}"] = per_doc


if __name__ == "__main__":
    summary = {key: summarize([reqs for reqs, _ in docs]) for key, docs in build_all().items()}
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
    print()
