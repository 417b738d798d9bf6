"""Merge Hugging Face checkpoints with a registered method.

    python llm_merging/main.py --method average --models path/to/expert_a path/to/expert_b --output merged_model
    python llm_merging/main.py --list

Inputs are local model folders (config.json + safetensors) or Hugging Face Hub ids, which are downloaded first.
The output is a Hugging Face model folder that AutoModelForCausalLM.from_pretrained can load.
"""

import argparse
import json
import os
import sys
import time

# Run as a script from anywhere: make "llm_merging" importable from the folder that contains it.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from llm_merging.merging import available_methods, get_method  # noqa: E402


def resolve(model):
    """A local folder as is; otherwise a Hub id downloaded with huggingface_hub (config, weights, tokenizer)."""
    if os.path.isdir(model):
        return model
    try:
        from huggingface_hub import snapshot_download
    except ImportError as error:
        raise SystemExit(f"{model} is not a folder, and huggingface_hub is not installed to download it") from error
    patterns = ["*.json", "*.safetensors", "*.model", "*.txt"]
    return snapshot_download(model, allow_patterns=patterns)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-m", "--method", help="registered merging method, e.g. average")
    parser.add_argument("--models", nargs="+", help="model folders or Hub ids to merge")
    parser.add_argument("--output", help="folder to write the merged model to")
    parser.add_argument("--weights", nargs="+", type=float, help="per-model weights, for methods that take them")
    parser.add_argument("--list", action="store_true", help="list the registered methods and exit")
    args = parser.parse_args(argv)

    if args.list:
        print("\n".join(available_methods()))
        return 0
    if not (args.method and args.models and args.output):
        parser.error("--method, --models and --output are required")

    started = time.time()
    method = get_method(args.method)(weights=args.weights)
    method.load([resolve(model) for model in args.models])
    method.merge()
    method.save(args.output)
    parameters = sum(t.numel() for t in method.merged_state.values())
    print(json.dumps({
        "method": args.method,
        "models": args.models,
        "output": os.path.abspath(args.output),
        "tensors": len(method.merged_state),
        "parameters": parameters,
        "seconds": round(time.time() - started, 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
