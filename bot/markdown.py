"""Markdown pieces every renderer shares (engines may import this: it holds no GitHub code)."""

from __future__ import annotations


def table_cell(text: object) -> str:
    """``text`` kept inside one table cell: a ``|`` would end the cell, a line break the row."""
    return str(text).replace("|", "\\|").replace("\n", " ")
