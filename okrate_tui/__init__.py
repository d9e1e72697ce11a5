"""Okrate: goals, key results, tasks and reviews in the terminal."""

__version__ = "0.1.0"
