"""choose_batch.py: the corpus's sampling rule over a real git repository of sample logs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))

import choose_batch

PATHS = [
    "tool/samples/C++/electron@electron/failed/303.log",
    "tool/samples/C++/electron@electron/failed/304.log",
    "tool/samples/C++/bitcoin@bitcoin/failed/9.log",
    "tool/samples/Objective-C/realm@realm-cocoa/failed/5.log",
    "tool/samples/misc/notes.txt",
]


def test_names_follow_the_rule() -> None:
    assert choose_batch.log_name(PATHS[0], 15) == "b15q_cpp_electron_electron_303"
    assert choose_batch.log_name(PATHS[3], 9) == "b9q_objc_realm_realm_cocoa_5"
    assert choose_batch.log_name("tool/samples/C#/NancyFx@Nancy/failed/1.log", 2) == (
        "b2q_csharp_nancyfx_nancy_1"
    )
    with pytest.raises(ValueError):
        choose_batch.log_name(PATHS[4], 1)


def test_two_per_language_in_hash_order_skipping_used_logs() -> None:
    cpp = sorted(PATHS[:3], key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    chosen = choose_batch.choose(PATHS, used={cpp[0]}, batch=15)
    assert [c["path"] for c in chosen] == [cpp[1], cpp[2], PATHS[3]]
    assert all(c["half"] in ("design", "test") for c in chosen)


def test_used_paths_come_from_provenance_and_a_batch_can_count_as_unused() -> None:
    url = "https://github.com/lacinoire/master-thesis/blob/abc/tool/samples/C++/electron%40electron/failed/303.log"
    labels = {"a": {"provenance": url, "batch": 14}, "b": {"provenance": "ran: pytest"}}
    assert choose_batch.used_paths(labels, set()) == {PATHS[0]}
    assert choose_batch.used_paths(labels, {14}) == set()


def test_cli_reads_a_real_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "work"
    for path in PATHS:
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text('The command "make" exited with 2.\n', encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "samples"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    code = choose_batch.main(
        ["--repo", str(work / ".git"), "--batch", "99", "--commit", head.stdout.strip()]
    )
    chosen = json.loads(capsys.readouterr().out)
    assert code == 0
    cpp = sorted(PATHS[:3], key=lambda p: hashlib.sha256(p.encode()).hexdigest())[:2]
    assert [c["path"] for c in chosen] == [*cpp, PATHS[3]]  # 2 of 3 C++ logs, the one Obj-C
    assert chosen[-1]["name"] == "b99q_objc_realm_realm_cocoa_5"
