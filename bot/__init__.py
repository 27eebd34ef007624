"""Pitcrew: a GitHub App that keeps pull requests moving."""

__version__ = "0.1.0"
