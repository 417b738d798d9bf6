"""Reading and writing Hugging Face checkpoint folders (config.json plus *.safetensors weights).

Uses the safetensors package when it is installed and a small built-in reader/writer of the same file format when it
is not, so the kit works wherever PyTorch does.
"""

import json
import os
import shutil
import struct

import torch

try:
    from safetensors.torch import load_file as _st_load_file
    from safetensors.torch import save_file as _st_save_file
except ImportError:  # pragma: no cover - depends on the machine
    _st_load_file = None
    _st_save_file = None

SINGLE_FILE = "model.safetensors"
INDEX_FILE = "model.safetensors.index.json"
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "merges.txt",
    "tokenizer.model",
    "generation_config.json",
)
MAX_SHARD_BYTES = 4 * 1024 ** 3

_DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
_NAMES = {dtype: name for name, dtype in _DTYPES.items()}


def read_config(folder):
    """Returns the folder's config.json as a dict."""
    path = os.path.join(folder, "config.json")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{folder} has no config.json; is it a Hugging Face model folder?")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def weight_files(folder):
    """The safetensors files of a checkpoint folder, single-file or sharded."""
    index = os.path.join(folder, INDEX_FILE)
    if os.path.isfile(index):
        with open(index, encoding="utf-8") as handle:
            shards = sorted(set(json.load(handle)["weight_map"].values()))
        return [os.path.join(folder, shard) for shard in shards]
    single = os.path.join(folder, SINGLE_FILE)
    if os.path.isfile(single):
        return [single]
    found = sorted(name for name in os.listdir(folder) if name.endswith(".safetensors"))
    if not found:
        raise FileNotFoundError(f"{folder} has no .safetensors weights (convert .bin checkpoints first)")
    return [os.path.join(folder, name) for name in found]


def load_state_dict(folder):
    """Loads every tensor of a checkpoint folder onto the CPU, as {name: tensor}."""
    state = {}
    for path in weight_files(folder):
        state.update(_load_file(path))
    return state


def save_checkpoint(state, config, output_dir, copy_from=None):
    """Writes state (a {name: tensor} dict) and config as a Hugging Face model folder.

    Weights over MAX_SHARD_BYTES are split into shards with an index file, as save_pretrained does. Tokenizer files are
    copied from copy_from (a source checkpoint folder) when given.
    """
    os.makedirs(output_dir, exist_ok=True)
    tensors = {name: tensor.detach().to("cpu").contiguous() for name, tensor in state.items()}
    shards = _split(tensors)
    if len(shards) == 1:
        _save_file(shards[0], os.path.join(output_dir, SINGLE_FILE))
    else:
        weight_map = {}
        for number, shard in enumerate(shards, start=1):
            name = f"model-{number:05d}-of-{len(shards):05d}.safetensors"
            _save_file(shard, os.path.join(output_dir, name))
            weight_map.update({key: name for key in shard})
        total = sum(t.numel() * t.element_size() for t in tensors.values())
        with open(os.path.join(output_dir, INDEX_FILE), "w", encoding="utf-8") as handle:
            json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, handle, indent=2)
    with open(os.path.join(output_dir, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)
    if copy_from:
        for name in TOKENIZER_FILES:
            source = os.path.join(copy_from, name)
            if os.path.isfile(source):
                shutil.copyfile(source, os.path.join(output_dir, name))


def _split(tensors):
    shards, current, size = [], {}, 0
    for name, tensor in tensors.items():
        nbytes = tensor.numel() * tensor.element_size()
        if current and size + nbytes > MAX_SHARD_BYTES:
            shards.append(current)
            current, size = {}, 0
        current[name] = tensor
        size += nbytes
    shards.append(current)
    return shards


def _load_file(path):
    if _st_load_file is not None:
        return _st_load_file(path)
    with open(path, "rb") as handle:
        (header_size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_size))
        data = handle.read()
    state = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        raw = torch.frombuffer(bytearray(data[start:end]), dtype=torch.uint8) if end > start else torch.empty(0, dtype=torch.uint8)
        state[name] = raw.view(dtype).reshape(info["shape"]).clone()
    return state


def _save_file(tensors, path):
    if _st_save_file is not None:
        _st_save_file(tensors, path, metadata={"format": "pt"})
        return
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in tensors.items():
        blob = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        header[name] = {"dtype": _NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(encoded)))
        handle.write(encoded)
        for blob in blobs:
            handle.write(blob)
