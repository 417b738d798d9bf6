"""Random-weight checkpoints and benchmark-shaped requests for gpu-check.sh, with the standard library only (no numpy, no torch).

Weights are slices of one pool of Gaussian values taken at random offsets (as make_random_llama.py does): the engines' cost does not
depend on the values, and writing a billion fresh random numbers from Python would take longer than the measurement.
"""
import array
import json
import math
import os
import random
import struct

POOL = 1 << 18


def _pool(dtype, rng, size):
    raw = array.array("f", (rng.gauss(0.0, 0.02) for _ in range(size)))
    if dtype == "F32":
        return raw.tobytes()
    # bf16 = upper half of each little-endian fp32 (truncation; the values are random anyway).
    return array.array("H", raw.tobytes())[1::2].tobytes()


def _write(folder, shapes, dtype, config, seed=0):
    rng = random.Random(seed)
    size = 4 if dtype == "F32" else 2
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in shapes.items():
        n = math.prod(shape) * size
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * ((8 - len(blob) % 8) % 8)
    largest = max(math.prod(shape) for shape in shapes.values())
    pool_size = min(POOL, 2 * largest)
    pool = _pool(dtype, rng, pool_size)
    one = struct.pack("<f", 1.0) if dtype == "F32" else struct.pack("<f", 1.0)[2:]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.safetensors"), "wb") as out:
        out.write(struct.pack("<Q", len(blob)))
        out.write(blob)
        for name, shape in shapes.items():
            count = math.prod(shape)
            if len(shape) == 1 and name.endswith("weight"):
                out.write(one * count)  # norm gains
                continue
            while count > 0:
                take = min(count, pool_size // 2)
                start = rng.randrange(0, pool_size - take + 1)
                out.write(pool[start * size:(start + take) * size])
                count -= take
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    return offset


def write_gpt2(folder, dtype="F32", layers=12, hidden=768, heads=12, vocab=50257, positions=1024):
    """GPT-2-shaped (default: GPT-2 small, 124M parameters)."""
    d = hidden
    shapes = {"wte.weight": (vocab, d), "wpe.weight": (positions, d)}
    for l in range(layers):
        p = f"h.{l}."
        shapes.update({p + "ln_1.weight": (d,), p + "ln_1.bias": (d,), p + "attn.c_attn.weight": (d, 3 * d), p + "attn.c_attn.bias": (3 * d,),
                       p + "attn.c_proj.weight": (d, d), p + "attn.c_proj.bias": (d,), p + "ln_2.weight": (d,), p + "ln_2.bias": (d,),
                       p + "mlp.c_fc.weight": (d, 4 * d), p + "mlp.c_fc.bias": (4 * d,), p + "mlp.c_proj.weight": (4 * d, d), p + "mlp.c_proj.bias": (d,)})
    shapes.update({"ln_f.weight": (d,), "ln_f.bias": (d,)})
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": vocab, "n_embd": d, "n_head": heads, "n_layer": layers,
              "n_positions": positions, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "bos_token_id": vocab - 1, "eos_token_id": vocab - 1}
    return _write(folder, shapes, dtype, config)


def write_llama(folder, dtype="BF16", layers=16, hidden=2048, intermediate=8192, heads=32, kv_heads=8, vocab=128256, positions=4096):
    """Llama-shaped (default: Llama-3.2-1B's dimensions, tied embeddings, 1.24B parameters)."""
    d, f, hd = hidden, intermediate, hidden // heads
    shapes = {"model.embed_tokens.weight": (vocab, d)}
    for l in range(layers):
        p = f"model.layers.{l}."
        shapes.update({p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,),
                       p + "self_attn.q_proj.weight": (heads * hd, d), p + "self_attn.k_proj.weight": (kv_heads * hd, d),
                       p + "self_attn.v_proj.weight": (kv_heads * hd, d), p + "self_attn.o_proj.weight": (d, heads * hd),
                       p + "mlp.gate_proj.weight": (f, d), p + "mlp.up_proj.weight": (f, d), p + "mlp.down_proj.weight": (d, f)})
    shapes["model.norm.weight"] = (d,)
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": vocab, "hidden_size": d, "intermediate_size": f,
              "num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kv_heads, "max_position_embeddings": positions,
              "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "hidden_act": "silu", "tie_word_embeddings": True,
              "torch_dtype": "bfloat16" if dtype == "BF16" else "float32", "bos_token_id": 1, "eos_token_id": 2}
    return _write(folder, shapes, dtype, config)


def blimp_like(count, vocab, eos, seed=7):
    """BLiMP-shaped token requests: empty context (the prefix token) and an 8-20 token sentence, as torch_scoring.py makes them."""
    rng = random.Random(seed)
    return [[[eos], [rng.randrange(vocab) for _ in range(rng.randint(8, 20))]] for _ in range(count)]


def mmlu_like(questions, vocab, seed=11, per_subject=10, shots_tokens=450, question_tokens=80):
    """MMLU-5-shot-shaped token requests: per subject one few-shot block (~450 tokens), per question ~80 more tokens, four one-token
    continuations (the answer letters). Subjects and questions in order, so shared prefixes are adjacent as the harness lists them."""
    rng = random.Random(seed)
    letters = [rng.randrange(vocab) for _ in range(4)]
    requests, shots = [], []
    for q in range(questions):
        if q % per_subject == 0:
            shots = [rng.randrange(vocab) for _ in range(shots_tokens + rng.randint(-60, 60))]
        ctx = shots + [rng.randrange(vocab) for _ in range(question_tokens + rng.randint(-30, 30))]
        requests.extend([[ctx, [letter]] for letter in letters])
    return requests


def parity_requests(vocab, max_length, seed=3):
    """Token requests for backend parity on a tiny model: short and long contexts, multi-token continuations, one request longer
    than the model's context (left truncation) and shared-context groups (the prefix-reuse path)."""
    rng = random.Random(seed)
    reqs = []
    for _ in range(12):
        reqs.append([[rng.randrange(vocab) for _ in range(rng.randint(1, max(1, max_length // 2)))], [rng.randrange(vocab) for _ in range(rng.randint(1, 6))]])
    shared = [rng.randrange(vocab) for _ in range(max(2, max_length // 3))]
    for _ in range(4):
        reqs.append([shared, [rng.randrange(vocab) for _ in range(rng.randint(1, 4))]])
    reqs.append([[rng.randrange(vocab) for _ in range(max_length + 7)], [rng.randrange(vocab) for _ in range(3)]])
    return reqs
