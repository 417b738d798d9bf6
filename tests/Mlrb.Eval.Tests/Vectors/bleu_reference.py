# Generates bleu-reference.json: corpus BLEU from NLTK (python3-nltk, no smoothing, uniform 4-gram weights) on
# segments tokenised with sacrebleu's 13a rules (re-stated below from sacrebleu's tokenizer_13a / tokenizer_re).
# For one reference per hypothesis and every n-gram order matched at least once, sacrebleu's default corpus BLEU
# equals 100 * NLTK's corpus_bleu. Run: python3 bleu_reference.py > bleu-reference.json
import json, re
from nltk.translate.bleu_score import corpus_bleu

RULES = [
    (re.compile(r'([\{-\~\[-\` -\&\(-\+\:-\@\/])'), r' \1 '),
    (re.compile(r'([^0-9])([\.,])'), r'\1 \2 '),
    (re.compile(r'([\.,])([^0-9])'), r' \1 \2'),
    (re.compile(r'([0-9])(-)'), r'\1 \2 '),
]

def tok13a(line):
    line = line.rstrip()
    line = line.replace('<skipped>', '').replace('-\n', '').replace('\n', ' ')
    if '&' in line:
        line = line.replace('&quot;', '"').replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>')
    line = f' {line} '
    for r, s in RULES:
        line = r.sub(s, line)
    return line.split()

CASES = [
    {"hyp": ["The cat sat on the mat.", "theorem foo (n : ℕ) : n + 0 = n := by simp"],
     "ref": ["The cat sat on the red mat.", "theorem foo (n : ℕ) : n + 0 = n := by rw [nat.add_zero]"]},
    {"hyp": ["It costs $3.50, or 3,000 yen - cheap!", "a-b 12-3 x=y"],
     "ref": ["It costs $3.50, or about 3,000 yen - cheap!", "a-b 12-3 x = y"]},
    {"hyp": ["lemma add_comm' (a b : nat) : a + b = b + a := nat.add_comm a b"],
     "ref": ["lemma add_comm' (a b : nat) : a + b = b + a := begin exact nat.add_comm a b end"]},
]
out = []
for c in CASES:
    hyps = [tok13a(h) for h in c["hyp"]]
    refs = [[tok13a(r)] for r in c["ref"]]
    out.append({"hyp": c["hyp"], "ref": c["ref"], "tokens": [" ".join(h) for h in hyps], "bleu": 100 * corpus_bleu(refs, hyps)})
print(json.dumps(out, ensure_ascii=False, indent=1))
