"""Mlrb's LLM-merging starter kit: merge Hugging Face checkpoints with a method of your own.

See README.md. Write your method in merging/ as a subclass of merging.Merges and run main.py.
"""
