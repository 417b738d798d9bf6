# Writes a tiny, randomly initialised GPT-2 (byte-level tokenizer, one layer) as a Hugging Face folder: pure Python, no packages.
import json, os, random, struct

random.seed(0)
out = "model"
os.makedirs(out, exist_ok=True)
bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
cs = bs[:]
n = 0
for b in range(256):
    if b not in bs:
        bs.append(b); cs.append(256 + n); n += 1
vocab = {chr(c): i for i, c in enumerate(cs)}
vocab["<|endoftext|>"] = 256
V, D, H, P, F = 257, 16, 2, 128, 64
json.dump(vocab, open(f"{out}/vocab.json", "w"))
open(f"{out}/merges.txt", "w").write("#version: 0.2\n")
json.dump({"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "add_bos_token": False, "model_max_length": P}, open(f"{out}/tokenizer_config.json", "w"))
json.dump({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": V, "n_embd": D, "n_head": H, "n_layer": 1,
           "n_positions": P, "n_ctx": P, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "bos_token_id": 256, "eos_token_id": 256},
          open(f"{out}/config.json", "w"), indent=2)
shapes = {"transformer.wte.weight": [V, D], "transformer.wpe.weight": [P, D],
          "transformer.h.0.ln_1.weight": [D], "transformer.h.0.ln_1.bias": [D],
          "transformer.h.0.attn.c_attn.weight": [D, 3 * D], "transformer.h.0.attn.c_attn.bias": [3 * D],
          "transformer.h.0.attn.c_proj.weight": [D, D], "transformer.h.0.attn.c_proj.bias": [D],
          "transformer.h.0.ln_2.weight": [D], "transformer.h.0.ln_2.bias": [D],
          "transformer.h.0.mlp.c_fc.weight": [D, F], "transformer.h.0.mlp.c_fc.bias": [F],
          "transformer.h.0.mlp.c_proj.weight": [F, D], "transformer.h.0.mlp.c_proj.bias": [D],
          "transformer.ln_f.weight": [D], "transformer.ln_f.bias": [D]}
header, blobs, offset = {}, [], 0
for name, shape in shapes.items():
    count = 1
    for s in shape:
        count *= s
    if name.endswith(".bias"):
        values = [0.0] * count
    elif "ln_" in name:
        values = [1.0] * count
    else:
        values = [random.gauss(0.0, 0.02) for _ in range(count)]
    blob = struct.pack(f"<{count}f", *values)
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
    blobs.append(blob)
    offset += len(blob)
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)
with open(f"{out}/model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print("wrote", out, "with", offset // 4, "parameters")
