"""Merging methods.

Every module in this folder is imported by load_methods(), so a new method only needs a file here that defines a
subclass of Merges decorated with @register("your_method_name").
"""

from .merges import Merges, available_methods, get_method, load_methods, register

__all__ = ["Merges", "available_methods", "get_method", "load_methods", "register"]
