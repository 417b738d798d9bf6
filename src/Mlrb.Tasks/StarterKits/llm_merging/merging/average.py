"""Example method: a (weighted) average of checkpoints that share one architecture.

Copy this file to start your own method: keep the @register decorator (with a new name), subclass Merges, and write
merge() so that it fills self.merged_state.
"""

import torch

from .merges import Merges, register


@register("average")
class Average(Merges):
    """merged[name] = sum_i w_i * model_i[name], with weights summing to 1 (equal weights by default)."""

    def merge(self):
        count = len(self.state_dicts)
        weights = self.options.get("weights") or [1.0 / count] * count
        if len(weights) != count:
            raise ValueError(f"{len(weights)} weights given for {count} models")
        total = float(sum(weights))
        if total <= 0:
            raise ValueError("the weights must sum to a positive number")
        weights = [float(w) / total for w in weights]

        merged = {}
        for name, first in self.state_dicts[0].items():
            if not torch.is_floating_point(first):
                merged[name] = first.clone()  # integer buffers (e.g. position ids) are copied, not averaged
                continue
            accumulator = torch.zeros(first.shape, dtype=torch.float32)
            for weight, state in zip(weights, self.state_dicts):
                accumulator += weight * state[name].to(torch.float32)
            merged[name] = accumulator.to(first.dtype)
        self.merged_state = merged
        return merged
