#!/usr/bin/env python3
"""Reference ids from Google's SentencePiece (Debian's python3-sentencepiece) for Mlrb's spiece.model tests.

    /usr/bin/python3 spm_encode.py MODEL STRINGS.json OUT.json

STRINGS.json is a JSON array of strings; OUT.json receives {"version": ..., "ids": [[...], ...]} (no BOS/EOS).
"""
import json
import sys

import sentencepiece as spm

model, strings_path, out_path = sys.argv[1:4]
sp = spm.SentencePieceProcessor(model_file=model)
with open(strings_path, encoding="utf-8") as f:
    strings = json.load(f)
with open(out_path, "w", encoding="utf-8") as f:
    json.dump({"version": spm.__version__, "ids": [sp.encode(s) for s in strings]}, f)
