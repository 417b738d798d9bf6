# Independent text metrics for the math_reasoning tests: reads [{"hyp": ..., "ref": ...}, ...] on stdin and prints
# {"bleu": ..., "nltk_corpus_bleu": ..., "every_hypothesis_has_4_tokens": ..., "rouge_l": ...}.
# Segments are tokenised with sacrebleu's 13a rules (re-stated below). BLEU is sacrebleu's corpus BLEU built from NLTK
# (python3-nltk): NLTK's modified_precision gives the clipped n-gram matches and NLTK's brevity_penalty the penalty;
# the n-gram totals are the true counts; NLTK's smoothing method3 (mteval-v13a's 1/2^k for orders with no match, which
# is sacrebleu's default "exp" smoothing) and uniform 4-gram weights; times 100. nltk_corpus_bleu is NLTK's own
# corpus_bleu with the same smoothing: it counts at least one n-gram per segment and order (max(1, count)), so it
# equals sacrebleu only when every hypothesis has at least 4 tokens. ROUGE-L: rouge_score's algorithm re-stated
# (lower-case, [a-z0-9]+ tokens, LCS, F = 2PR/(P+R)), averaged over pairs.
import json, re, sys
import math
from fractions import Fraction
from nltk.translate.bleu_score import corpus_bleu, SmoothingFunction, modified_precision, brevity_penalty, closest_ref_length

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


def rouge_tokens(text):
    return [t for t in re.split(r"\s+", re.sub(r"[^a-z0-9]+", " ", text.lower())) if t]


def lcs(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            cur[j] = prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1]


def rouge_l(hyp, ref):
    h, r = rouge_tokens(hyp), rouge_tokens(ref)
    if not h or not r:
        return 0.0
    n = lcs(r, h)
    p, rec = n / len(h), n / len(r)
    return 0.0 if p + rec == 0 else 2 * p * rec / (p + rec)


def sacre_bleu(refs, hyps):
    matches, totals = [0] * 4, [0] * 4
    for r, h in zip(refs, hyps):
        for n in range(1, 5):
            matches[n - 1] += modified_precision(r, h, n).numerator if len(h) >= n else 0
            totals[n - 1] += max(0, len(h) - n + 1)
    if matches[0] == 0:
        return 0.0
    p_n = [Fraction(m, t, _normalize=False) for m, t in zip(matches, totals)]
    p_n = SmoothingFunction().method3(p_n)
    hyp_len = sum(len(h) for h in hyps)
    ref_len = sum(closest_ref_length(r, len(h)) for r, h in zip(refs, hyps))
    return brevity_penalty(ref_len, hyp_len) * math.exp(sum(0.25 * math.log(p) for p in p_n))


pairs = json.load(sys.stdin)
refs, hyps = [[tok13a(p["ref"])] for p in pairs], [tok13a(p["hyp"]) for p in pairs]
print(json.dumps({
    "bleu": 100 * sacre_bleu(refs, hyps),
    "nltk_corpus_bleu": 100 * corpus_bleu(refs, hyps, smoothing_function=SmoothingFunction().method3),
    "every_hypothesis_has_4_tokens": all(len(h) >= 4 for h in hyps),
    "rouge_l": sum(rouge_l(p["hyp"], p["ref"]) for p in pairs) / len(pairs),
}))
