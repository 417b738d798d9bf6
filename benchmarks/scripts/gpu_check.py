#!/usr/bin/env python3
"""The work behind gpu-check.sh (read that file first). Standard library only; PyTorch is optional (its part is skipped, with a note,
when it cannot be imported). Writes one JSON file of figures; exits 0 when the parity checks pass, 1 when one fails, 2 on bad usage."""
import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpu_check_models as models  # noqa: E402

TOLERANCE = 1e-4


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()


class DeviceMemorySampler:
    """Polls nvidia-smi for the most device memory a process (and its children) held; None where nvidia-smi is absent."""

    def __init__(self):
        self.peak_mib, self.available, self._stop, self._pid = 0, _which("nvidia-smi") is not None, threading.Event(), None

    def watch(self, pid):
        self._pid, self.peak_mib = pid, 0
        if self.available:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def stop(self):
        if self.available:
            self._stop.set()
            self._thread.join(timeout=5)
        return self.peak_mib * 1024 * 1024 if self.available else None

    def _run(self):
        while not self._stop.wait(0.25):
            try:
                out = subprocess.run(["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
                                     capture_output=True, text=True, timeout=5).stdout
            except (OSError, subprocess.TimeoutExpired):
                continue
            for line in out.splitlines():
                parts = [p.strip() for p in line.split(",")]
                if len(parts) == 2 and parts[0] == str(self._pid) and parts[1].isdigit():
                    self.peak_mib = max(self.peak_mib, int(parts[1]))


def _which(name):
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


class Mlrb:
    def __init__(self, command, sampler):
        self.command, self.sampler = shlex.split(command), sampler

    def score(self, model, requests_path, device, dtype, deadline, warmup=0, extra=()):
        """Runs `mlrb score --requests` and returns its JSON report, plus the wall time and the device memory peak."""
        cmd = self.command + ["score", "--model", model, "--requests", requests_path, "--device", device, "--dtype", dtype, "--warmup", str(warmup), *extra]
        left = deadline.left()
        if left < 5:
            raise TimeoutError("time budget spent before this step")
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.sampler.watch(proc.pid)
        try:
            out, err = proc.communicate(timeout=left)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.communicate()
            self.sampler.stop()
            raise TimeoutError(f"mlrb score timed out after {left:.0f} s (the check's time budget)")
        device_peak = self.sampler.stop()
        if proc.returncode != 0:
            raise RuntimeError(f"mlrb score exited {proc.returncode}: {(err.strip().splitlines() or ['(no message)'])[-1]}")
        report = json.loads(out.strip().splitlines()[-1])
        report["wall_seconds"] = round(time.monotonic() - start, 3)
        if device_peak is not None:
            report["peak_device_memory_bytes"] = device_peak
        notice = [line for line in err.splitlines() if line.strip()]
        if notice:
            report["stderr"] = notice[:3]
        return report


def _dump(path, value):
    with open(path, "w") as f:
        json.dump(value, f)
    return path


def _compare(reference, candidate):
    ref, cand = reference["results"], candidate["results"]
    if len(ref) != len(cand):
        return {"error": f"{len(cand)} results for {len(ref)} requests"}
    diffs = [abs(a[0] - b[0]) for a, b in zip(ref, cand)]
    greedy = sum(1 for a, b in zip(ref, cand) if a[1] != b[1])
    return {"requests": len(ref), "max_abs_diff": max(diffs), "greedy_mismatches": greedy, "pass": max(diffs) <= TOLERANCE and greedy == 0}


def parity(args, mlrb, deadline, work, scale):
    names = sorted(n for n in os.listdir(args.models) if os.path.isfile(os.path.join(args.models, n, "config.json")))
    out = {"tolerance": TOLERANCE, "dtype": "fp32", "reference": "--device cpu", "models": {}}
    for name in names:
        folder = os.path.join(args.models, name)
        with open(os.path.join(folder, "config.json")) as f:
            cfg = json.load(f)
        max_len = cfg.get("n_positions") or cfg.get("max_position_embeddings") or 64
        reqs = _dump(os.path.join(work, f"parity-{name}.json"), models.parity_requests(cfg["vocab_size"], min(max_len, 256)))
        try:
            cpu = mlrb.score(folder, reqs, "cpu", "fp32", deadline)
            dev = mlrb.score(folder, reqs, args.device, "fp32", deadline)
            out["models"][name] = _compare(cpu, dev)
        except (RuntimeError, TimeoutError, ValueError) as ex:
            out["models"][name] = {"error": str(ex), "pass": False}
    out["pass"] = bool(out["models"]) and all(m.get("pass") for m in out["models"].values())
    return out


def _blimp_pairs(data, per_paradigm, max_bytes):
    """The first pairs of each paradigm whose sentences fit the tiny model's context (its byte-level tokenizer: about a token a byte)."""
    folder = os.path.join(data, "blimp")
    pairs = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".jsonl"):
            taken = 0
            with open(os.path.join(folder, name)) as f:
                for line in f:
                    row = json.loads(line)
                    if max(len(row["sentence_good"].encode()), len(row["sentence_bad"].encode())) <= max_bytes:
                        pairs.append((row["sentence_good"], row["sentence_bad"]))
                        taken += 1
                        if taken == per_paradigm:
                            break
    return pairs


def _mmlu_questions(data, per_subject, subjects):
    import csv
    test, dev = os.path.join(data, "mmlu", "test"), os.path.join(data, "mmlu", "dev")
    out = []
    for name in sorted(os.listdir(test))[:subjects]:
        subject = name[: -len("_test.csv")]
        with open(os.path.join(dev, subject + "_dev.csv"), newline="") as f:
            shots = list(csv.reader(f))[:5]
        with open(os.path.join(test, name), newline="") as f:
            rows = list(csv.reader(f))[:per_subject]

        def fmt(r):
            return r[0].strip() + "".join(f"\n{l}. {c}" for l, c in zip("ABCD", r[1:5])) + "\nAnswer:"

        head = f"The following are multiple choice questions (with answers) about {subject.replace('_', ' ')}.\n\n"
        prefix = head + "".join(fmt(s) + f" {s[5]}\n\n" for s in shots)
        out.append([(prefix + fmt(r), f" {l}") for r in rows for l in "ABCD"])
    return out


def slices(args, mlrb, deadline, work, scale):
    """Identical predictions on benchmark-shaped text requests built from the real data slices (BLiMP pairs: good vs bad sentence;
    MMLU 5-shot: argmax of four answer letters), CPU backend vs the device, on the tiny GPT-2 (its own small tokenizer)."""
    if not args.data or not os.path.isdir(os.path.join(args.data, "blimp")):
        return {"skipped": f"no benchmark data folder (give --data; looked for {args.data or '(none)'}/blimp)"}
    model = os.path.join(args.models, "tiny-gpt2")
    per = 5 if scale == "tiny" else 100
    out = {"model": "tiny-gpt2", "data": args.data, "blimp_selection": f"first {per} pairs per paradigm with sentences of at most 36 bytes (the tiny model's 48-token context)"}
    pairs = _blimp_pairs(args.data, per, 36)
    reqs = [{"context": "", "continuation": s} for p in pairs for s in p]
    groups = {"blimp": (reqs, 2)}
    if os.path.isdir(os.path.join(args.data, "mmlu", "test")):
        questions = [q for subject in _mmlu_questions(args.data, 2 if scale == "tiny" else 20, 2 if scale == "tiny" else 10) for q in subject]
        groups["mmlu"] = ([{"context": c, "continuation": x} for c, x in questions], 4)
    for name, (items, width) in groups.items():
        path = _dump(os.path.join(work, f"slice-{name}.json"), items)
        try:
            cpu = mlrb.score(model, path, "cpu", "fp32", deadline)
            dev = mlrb.score(model, path, args.device, "fp32", deadline)
        except (RuntimeError, TimeoutError, ValueError) as ex:
            out[name] = {"error": str(ex), "pass": False}
            continue

        def predictions(report):
            lls = [r[0] for r in report["results"]]
            return [max(range(width), key=lambda j: lls[i + j]) for i in range(0, len(lls), width)]

        p_cpu, p_dev = predictions(cpu), predictions(dev)
        cmp = _compare(cpu, dev)
        out[name] = {"documents": len(p_cpu), "prediction_mismatches": sum(1 for a, b in zip(p_cpu, p_dev) if a != b),
                     "max_abs_diff": cmp.get("max_abs_diff"), "pass": p_cpu == p_dev}
    out["pass"] = all(v.get("pass") for k, v in out.items() if isinstance(v, dict))
    return out


def _torch_available(device):
    try:
        import torch  # noqa: F401
    except ImportError as ex:
        return f"PyTorch not importable ({ex}); its part is skipped"
    if device.startswith("cuda"):
        import torch
        if not torch.cuda.is_available():
            return "PyTorch has no CUDA device here; its part is skipped"
    return None


def throughput(args, mlrb, deadline, work, scale):
    if scale == "full":
        shapes = {
            "gpt2_small": (lambda f: models.write_gpt2(f, "F32"), 50257, 50256),
            "llama_1b": (lambda f: models.write_llama(f, "BF16"), 128256, 1),
        }
        sizes = {"blimp_like": {"gpt2_small": 2000, "llama_1b": 1000}, "mmlu_5shot_like": {"gpt2_small": 100, "llama_1b": 50}}
        mmlu_shape = {"shots_tokens": 450, "question_tokens": 80}
        batch_sizes = [1, 8, 32, 64]
    else:
        shapes = {
            "gpt2_tiny": (lambda f: models.write_gpt2(f, "F32", layers=2, hidden=64, heads=4, vocab=512, positions=128), 512, 511),
            "llama_tiny": (lambda f: models.write_llama(f, "BF16", layers=2, hidden=64, intermediate=128, heads=4, kv_heads=2, vocab=512, positions=256), 512, 1),
        }
        # One workload per shape in this mode (each mlrb run pays the kernel compilation): BLiMP-like on GPT-2, MMLU-like on Llama.
        sizes = {"blimp_like": {"gpt2_tiny": 24}, "mmlu_5shot_like": {"llama_tiny": 4}}
        mmlu_shape = {"shots_tokens": 70, "question_tokens": 30}
        batch_sizes = [1, 8, 32]
    torch_note = None if args.skip_torch else _torch_available(args.device)
    torch_note = "skipped (--skip-torch)" if args.skip_torch else torch_note
    torch_device = "cuda" if args.device.startswith("cuda") else "cpu"
    out = {"torch_device": torch_device, "torch": torch_note or "measured", "shapes": {}}
    if torch_note is None:
        import torch
        out["torch_version"] = torch.__version__
    for shape, (write, vocab, eos) in shapes.items():
        folder = os.path.join(work, shape)
        entry = out["shapes"][shape] = {}
        try:
            started = time.monotonic()
            entry["weight_bytes"] = write(folder)
            entry["write_seconds"] = round(time.monotonic() - started, 1)
        except OSError as ex:
            entry["error"] = f"could not write the checkpoint: {ex}"
            continue
        workloads = {}
        if shape in sizes["blimp_like"]:
            workloads["blimp_like"] = models.blimp_like(sizes["blimp_like"][shape], vocab, eos)
        if shape in sizes["mmlu_5shot_like"]:
            workloads["mmlu_5shot_like"] = models.mmlu_like(sizes["mmlu_5shot_like"][shape], vocab, per_subject=4 if scale == "tiny" else 10, **mmlu_shape)
        for workload, reqs in workloads.items():
            path = _dump(os.path.join(work, f"{shape}-{workload}.json"), reqs)
            w = entry[workload] = {"requests": len(reqs), "mlrb": {}, "torch": {}}
            for dtype in ("fp32", "bf16"):
                try:
                    r = mlrb.score(folder, path, args.device, dtype, deadline, warmup=8)
                    w["mlrb"][dtype] = {k: r.get(k) for k in ("tokens", "score_seconds", "tokens_per_second", "load_seconds", "peak_device_memory_bytes", "peak_process_memory_bytes")}
                except (RuntimeError, TimeoutError, ValueError) as ex:
                    w["mlrb"][dtype] = {"error": str(ex)}
                if torch_note is None and deadline.left() > 30:
                    try:
                        import gpu_check_torch
                        w["torch"][dtype] = gpu_check_torch.time_scoring(folder, reqs, torch_device, dtype, batch_sizes)
                    except Exception as ex:  # noqa: BLE001 - an eager failure (e.g. an old torch) is a figure to report, not a crash
                        w["torch"][dtype] = {"error": f"{type(ex).__name__}: {ex}"}
                ours = w["mlrb"][dtype].get("tokens_per_second")
                theirs = w["torch"].get(dtype, {}).get("batch_sizes", {})
                rates = {b: v["tokens_per_second"] for b, v in theirs.items() if "tokens_per_second" in v}
                if ours and rates:
                    best = max(rates, key=rates.get)
                    w.setdefault("ratio_mlrb_to_torch", {})[dtype] = {
                        **{f"batch_{b}": _ratio(ours, rates[b]) for b in ("1", "8") if b in rates},
                        "best": _ratio(ours, rates[best]), "torch_best_batch": int(best)}
    return out


def blimp_all(args, mlrb, deadline, work, scale):
    """All 67 × 1,000 BLiMP-shaped pairs (134,000 requests) on the GPT-2-small shape in fp32 (tiny mode: 200 pairs on the tiny shape)."""
    pairs = 67000 if scale == "full" else 200
    if scale == "full":
        folder, vocab, eos = os.path.join(work, "gpt2_small"), 50257, 50256
    else:
        folder, vocab, eos = os.path.join(work, "gpt2_tiny"), 512, 511
    if not os.path.isfile(os.path.join(folder, "model.safetensors")):
        return {"error": "the GPT-2-shaped checkpoint was not written (throughput step failed)"}
    path = _dump(os.path.join(work, "blimp-all.json"), models.blimp_like(2 * pairs, vocab, eos, seed=67))
    try:
        r = mlrb.score(folder, path, args.device, "fp32", deadline, warmup=8)
    except (RuntimeError, TimeoutError, ValueError) as ex:
        return {"pairs": pairs, "error": str(ex)}
    return {"pairs": pairs, "requests": r["requests"], "tokens": r["tokens"], "score_seconds": r["score_seconds"], "wall_seconds": r["wall_seconds"],
            "tokens_per_second": r["tokens_per_second"], "peak_device_memory_bytes": r.get("peak_device_memory_bytes"),
            "goal_seconds_on_h200": 30}


def machine():
    info = {"os": platform.platform(), "cpu_cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
    except OSError:
        pass
    if _which("nvidia-smi"):
        try:
            info["gpu"] = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total,memory.used", "--format=csv,noheader"],
                                         capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.TimeoutExpired) as ex:
            info["gpu"] = f"nvidia-smi failed: {ex}"
    return info


def _ratio(ours, theirs):
    """ours / theirs to three significant figures (a small ratio, e.g. the CPU accelerator against PyTorch, stays non-zero)."""
    return float(f"{ours / theirs:.3g}")


def main():
    ap = argparse.ArgumentParser(description="See gpu-check.sh.")
    ap.add_argument("--mlrb", required=True, help="command that runs the mlrb CLI (a published executable, or 'dotnet path/Mlrb.Cli.dll')")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--data")
    ap.add_argument("--work", required=True)
    ap.add_argument("--budget", type=float, default=450, help="seconds for the whole check")
    ap.add_argument("--scale", choices=["auto", "tiny", "full"], default="auto")
    ap.add_argument("--skip-torch", action="store_true")
    args = ap.parse_args()
    scale = args.scale if args.scale != "auto" else ("full" if args.device.startswith("cuda") else "tiny")
    deadline, started = Deadline(args.budget), time.monotonic()
    sampler = DeviceMemorySampler()
    mlrb = Mlrb(args.mlrb, sampler)
    report = {"schema": "mlrb-gpu-check/1", "started_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "device": args.device, "scale": scale, "machine": machine(), "mlrb_command": args.mlrb,
              "device_memory_source": "nvidia-smi per-process peak, sampled every 0.25 s" if sampler.available else "none (no nvidia-smi here)"}
    os.makedirs(args.work, exist_ok=True)
    for name, step in (("parity", parity), ("slices", slices), ("throughput", throughput), ("blimp_all_pairs", blimp_all)):
        t = time.monotonic()
        try:
            report[name] = step(args, mlrb, deadline, args.work, scale)
        except Exception as ex:  # noqa: BLE001 - one failed step must not lose the others' figures
            report[name] = {"error": f"{type(ex).__name__}: {ex}"}
        report[name]["step_seconds"] = round(time.monotonic() - t, 1)
        _write_report(args.out, report, started)  # after every step, so a killed run keeps what it measured
    report["pass"] = bool(report["parity"].get("pass")) and report["slices"].get("pass", True) is not False
    _write_report(args.out, report, started)
    print(f"gpu-check: wrote {args.out} (parity {'passed' if report['pass'] else 'FAILED'}, {time.monotonic() - started:.0f} s)")
    return 0 if report["pass"] else 1


def _write_report(path, report, started):
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=1)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
