#!/usr/bin/env python3
"""Writes Mlrb's constructed tokenizer fixtures (committed under tests/Mlrb.Eval.Tests/Tokenization/Fixtures/).

    /usr/bin/python3 tests/tools/tokenizer-fixtures/make_fixtures.py OUT_DIR

Needs Debian's python3-sentencepiece. From a generated multilingual corpus (fixed seed) it trains:
  t5-unigram/spiece.model      SentencePiece Unigram, nmt_nfkc normalization, T5's special ids (pad 0, eos 1, unk 2)
  t5-unigram/tokenizer.json    the same model as transformers' T5Converter writes it (Unigram + Precompiled charsmap +
                               Replace(" {2,}"), Metaspace, "$A </s>", 100 <extra_id_N> tokens)
  bert-wordpiece/tokenizer.json a BERT-layout WordPiece tokenizer (BertNormalizer, BertPreTokenizer, BertProcessing,
                               WordPiece decoder) whose vocabulary is derived from a SentencePiece BPE model of the corpus
No third-party file is copied: every vocabulary here is trained on text this script generates.
"""
import base64
import json
import os
import random
import sys
import tempfile

import sentencepiece as spm

WORDS = """the of and to in is was for that on as with by at from his her they this which be are have had not but
tokenizer tokenization language model benchmark research quick brown fox jumps over lazy dog science music history
Hello World Paris London Tokyo Berlin Monday January people children government university computer software
I'm you're we've she'll he'd it's don't can't won't o'clock rock'n'roll""".split()
SCRIPTS = ["café", "naïve", "Ångström", "résumé", "über", "straße", "Ωμέγα", "Καλημέρα", "κόσμε", "Привет", "мир",
           "Ёлка", "مرحبا", "بالعالم", "שלום", "עולם", "नमस्ते", "हिन्दी", "สวัสดี", "안녕하세요", "한국어",
           "こんにちは", "カタカナ", "ひらがな", "你好", "世界", "汉字", "中文", "日本語", "ﬁnance", "Ａｂｃ", "①②", "㈱"]
SYMBOLS = list(".,!?;:()[]{}<>\"'`~@#$%^&*-_=+/\\|") + ["…", "—", "«", "»", "“", "”", "€", "¥", "°", "™"]
NUMBERS = ["0", "1", "2", "3", "7", "42", "123", "2024", "3.14", "1,000", "99%", "½", "²", "١٢٣", "１２３"]
SYLLABLES = ["ka", "to", "ri", "men", "ster", "ion", "ing", "pre", "con", "al", "ed", "ly", "ous", "tra", "qui", "zo",
             "bel", "ph", "th", "sch", "ão", "ël", "ño", "ski", "vić", "ość", "ше", "ния", "ού", "ται"]
EMOJI = ["😀", "🎉", "👍", "❤", "🤖", "𝐀", "𝟙"]


def corpus(seed, lines):
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        parts = []
        for _ in range(rng.randint(3, 18)):
            r = rng.random()
            if r < 0.35:
                w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
            elif r < 0.6:
                w = rng.choice(WORDS)
                w = w.capitalize() if rng.random() < 0.15 else w
            elif r < 0.8:
                w = rng.choice(SCRIPTS)
            elif r < 0.9:
                w = rng.choice(NUMBERS)
            elif r < 0.98:
                w = rng.choice(SYMBOLS)
            else:
                w = rng.choice(EMOJI)
            parts.append(w)
        out.append(" ".join(parts))
    return out


def read_varint(b, i):
    shift = value = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return value, i


def charsmap_of(model_bytes):
    """normalizer_spec (field 3) .precompiled_charsmap (field 2) of a ModelProto."""
    i = 0
    while i < len(model_bytes):
        tag, i = read_varint(model_bytes, i)
        field, wire = tag >> 3, tag & 7
        if wire == 2:
            length, i = read_varint(model_bytes, i)
            body = model_bytes[i:i + length]
            i += length
            if field == 3:
                j = 0
                while j < len(body):
                    t, j = read_varint(body, j)
                    if t & 7 == 2:
                        n, j = read_varint(body, j)
                        if t >> 3 == 2:
                            return body[j:j + n]
                        j += n
                    elif t & 7 == 0:
                        _, j = read_varint(body, j)
                    else:
                        raise ValueError("unexpected wire type in normalizer_spec")
        elif wire == 0:
            _, i = read_varint(model_bytes, i)
        elif wire == 5:
            i += 4
        elif wire == 1:
            i += 8
    return b""


def added(i, content, special=True, normalized=False):
    return {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": normalized, "special": special}


def t5_tokenizer_json(sp, charsmap, extra_ids=100):
    vocab = [[sp.id_to_piece(i), float(sp.get_score(i))] for i in range(sp.get_piece_size())]
    vocab += [[f"<extra_id_{i}>", 0.0] for i in range(extra_ids - 1, -1, -1)]
    n = sp.get_piece_size()
    added_tokens = [added(0, "<pad>"), added(1, "</s>"), added(2, "<unk>")]
    added_tokens += [added(n + k, f"<extra_id_{extra_ids - 1 - k}>") for k in range(extra_ids)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
        "decoder": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab},
    }


def bert_tokenizer_json(bpe):
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {t: i for i, t in enumerate(specials)}
    for i in range(bpe.get_piece_size()):
        piece = bpe.id_to_piece(i)
        if bpe.is_control(i) or bpe.is_unknown(i) or piece == "▁":
            continue
        token = piece[1:] if piece.startswith("▁") else "##" + piece
        token = token.lower()
        if token and token not in vocab:
            vocab[token] = len(vocab)
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added(i, t) for i, t in enumerate(specials)],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }


def main():
    out = sys.argv[1]
    lines = corpus(1234, 20000)
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "corpus.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        prefix = os.path.join(tmp, "spiece")
        spm.SentencePieceTrainer.train(
            input=text, model_prefix=prefix, model_type="unigram", vocab_size=1000, hard_vocab_limit=False, character_coverage=0.9995,
            normalization_rule_name="nmt_nfkc", pad_id=0, eos_id=1, unk_id=2, bos_id=-1, seed_sentencepiece_size=200000,
            shuffle_input_sentence=False, num_threads=1, minloglevel=2)
        model = open(prefix + ".model", "rb").read()
        bpe_prefix = os.path.join(tmp, "bpe")
        spm.SentencePieceTrainer.train(
            input=text, model_prefix=bpe_prefix, model_type="bpe", vocab_size=1200, hard_vocab_limit=False, character_coverage=0.9995,
            normalization_rule_name="identity", num_threads=1, minloglevel=2)
        bpe = spm.SentencePieceProcessor(model_file=bpe_prefix + ".model")

    os.makedirs(os.path.join(out, "t5-unigram"), exist_ok=True)
    with open(os.path.join(out, "t5-unigram", "spiece.model"), "wb") as f:
        f.write(model)
    sp = spm.SentencePieceProcessor(model_proto=model)
    with open(os.path.join(out, "t5-unigram", "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(t5_tokenizer_json(sp, charsmap_of(model)), f, ensure_ascii=False)
    os.makedirs(os.path.join(out, "bert-wordpiece"), exist_ok=True)
    with open(os.path.join(out, "bert-wordpiece", "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(bert_tokenizer_json(bpe), f, ensure_ascii=False)


if __name__ == "__main__":
    main()
