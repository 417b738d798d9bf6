"""The Merges base class and the registry of merging methods."""

import importlib
import os
import pkgutil

from . import checkpoint

_METHODS = {}


def register(name):
    """Class decorator: makes a Merges subclass available to main.py as --method name."""

    def wrap(cls):
        if not issubclass(cls, Merges):
            raise TypeError(f"{cls.__name__} must subclass Merges to be registered")
        if name in _METHODS and _METHODS[name] is not cls:
            raise ValueError(f"merging method '{name}' is registered twice")
        _METHODS[name] = cls
        cls.method_name = name
        return cls

    return wrap


def load_methods():
    """Imports every module of the merging package so that their @register decorators run."""
    package_dir = os.path.dirname(__file__)
    for module in pkgutil.iter_modules([package_dir]):
        importlib.import_module(f"{__package__}.{module.name}")


def available_methods():
    """Names of the registered methods, sorted."""
    load_methods()
    return sorted(_METHODS)


def get_method(name):
    """The Merges subclass registered under name."""
    load_methods()
    if name not in _METHODS:
        raise KeyError(f"unknown merging method '{name}'; available: {', '.join(sorted(_METHODS)) or 'none'}")
    return _METHODS[name]


class Merges:
    """Base class of a merging method.

    Subclasses implement merge(); the base class loads the input checkpoints and saves the result. The flow main.py
    runs is: method = Method(**options); method.load(model_dirs); method.merge(); method.save(output_dir).
    """

    method_name = None

    def __init__(self, **options):
        self.options = options
        self.model_dirs = []
        self.configs = []
        self.state_dicts = []
        self.merged_state = None

    def load(self, model_dirs):
        """Loads each Hugging Face checkpoint folder (config.json + safetensors) onto the CPU."""
        if len(model_dirs) < 1:
            raise ValueError("give at least one model folder to merge")
        self.model_dirs = list(model_dirs)
        self.configs = [checkpoint.read_config(folder) for folder in self.model_dirs]
        self.state_dicts = [checkpoint.load_state_dict(folder) for folder in self.model_dirs]
        self.check_compatible()

    def check_compatible(self):
        """Fails unless every input has the first input's architecture, tensor names and shapes.

        Override it in a method that can combine different architectures.
        """
        first_arch = self.configs[0].get("architectures"), self.configs[0].get("model_type")
        first = self.state_dicts[0]
        for folder, config, state in zip(self.model_dirs[1:], self.configs[1:], self.state_dicts[1:]):
            if (config.get("architectures"), config.get("model_type")) != first_arch:
                raise ValueError(f"{folder} is a {config.get('architectures')} model; {self.model_dirs[0]} is a {first_arch[0]}")
            if set(state) != set(first):
                missing = sorted(set(first) ^ set(state))[:5]
                raise ValueError(f"{folder} has different tensors from {self.model_dirs[0]}, e.g. {missing}")
            for name, tensor in state.items():
                if tensor.shape != first[name].shape:
                    raise ValueError(f"{name} has shape {tuple(tensor.shape)} in {folder} but {tuple(first[name].shape)} in {self.model_dirs[0]}")

    def merge(self):
        """Combines self.state_dicts into self.merged_state ({name: tensor}). Subclasses must implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement merge()")

    def merged_config(self):
        """The config.json of the result; by default the first input's."""
        return dict(self.configs[0])

    def save(self, output_dir):
        """Writes the merged model as a Hugging Face folder, with the first input's tokenizer files."""
        if self.merged_state is None:
            raise RuntimeError("call merge() before save()")
        checkpoint.save_checkpoint(self.merged_state, self.merged_config(), output_dir, copy_from=self.model_dirs[0])
