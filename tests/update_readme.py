"""Regenerate README.md's command table from the registry: `python -m tests.update_readme`."""

from __future__ import annotations

from pathlib import Path

from bot.features.registry import build_wiring

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- commands:start -->", "<!-- commands:end -->"


def main() -> None:
    text = README.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{build_wiring().commands.table()}\n{END}{tail}")


if __name__ == "__main__":
    main()
