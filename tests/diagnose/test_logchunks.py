"""logchunks.py: reads LogChunks' example sets from a real git repository and scores key lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "corpus"))

import logchunks

ESC = "\x1b"
# the shape of tool/example-sets/BuildFailureReason/<Lang>/<owner>@<repo>.xml, raw ESC included
XML = f"""<?xml version="1.0" encoding="utf-8"?>
<AnalysisProgramOfRegionAnalysisSessionString>
  <LearningData>
    <Examples>
      <ExampleDataOfString>
        <InputPath>Python/acme@widgets/failed/1.log</InputPath>
        <Keywords>FAILED</Keywords>
        <Category>0</Category>
        <Output>{ESC}[31mE       AssertionError: expected 3, got 4{ESC}[0m
</Output>
      </ExampleDataOfString>
      <ExampleDataOfString>
        <InputPath>Python/acme@widgets/failed/2.log</InputPath>
        <Keywords>error</Keywords>
        <Category>1</Category>
        <Output>!!</Output>
      </ExampleDataOfString>
    </Examples>
  </LearningData>
</AnalysisProgramOfRegionAnalysisSessionString>
"""
PYTEST_LOG = """\
$ python -m pytest tests
============================= test session starts ==============================
collected 1 item

tests/test_w.py F                                                        [100%]

=================================== FAILURES ===================================
___________________________________ test_sum ___________________________________

    def test_sum():
>       assert total() == 3, "expected 3, got 4"
E       AssertionError: expected 3, got 4
E       assert 4 == 3

tests/test_w.py:4: AssertionError
=========================== short test summary info ============================
FAILED tests/test_w.py::test_sum - AssertionError: expected 3, got 4
============================== 1 failed in 0.02s ===============================
The command "python -m pytest tests" exited with 1.
"""


def _repo(tmp_path: Path) -> tuple[Path, str]:
    work = tmp_path / "work"
    examples = work / "tool/example-sets/BuildFailureReason/Python"
    samples = work / "tool/samples/Python/acme@widgets/failed"
    examples.mkdir(parents=True)
    samples.mkdir(parents=True)
    (examples / "acme@widgets.xml").write_text(XML, encoding="utf-8")
    (samples / "1.log").write_text(PYTEST_LOG, encoding="utf-8")
    (samples / "2.log").write_text("!!\n", encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "fixture"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return work / ".git", head.stdout.strip()


def test_examples_parse_despite_raw_escape_bytes(tmp_path: Path) -> None:
    repo, commit = _repo(tmp_path)
    found = list(logchunks.examples(repo, commit))
    assert [e.path for e in found] == [
        "Python/acme@widgets/failed/1.log",
        "Python/acme@widgets/failed/2.log",
    ]
    assert logchunks.chunk_lines(found[0].chunk) == ["E AssertionError: expected 3, got 4"]
    assert logchunks.chunk_lines(found[1].chunk) == []  # nothing long enough to match


def test_score_counts_agreement_and_skips_chunks_without_text(tmp_path: Path) -> None:
    repo, commit = _repo(tmp_path)
    labels = tmp_path / "expected.yml"
    labels.write_text("{}\n", encoding="utf-8")  # none of these logs is in our corpus
    tally = logchunks.score(repo, labels=labels, commit=commit)
    assert tally == {"unsampled": {"logs": 1, "any": 1, "first": 1, "unknown": 0}}


def test_agreement_is_containment_either_way_without_colour_or_overdraw() -> None:
    wanted = logchunks.chunk_lines("npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve")
    assert logchunks.agrees("\x1b[31mnpm ERR! code ERESOLVE\x1b[0m", wanted)
    assert logchunks.agrees("progress 10%\rnpm ERR! code ERESOLVE\r", wanted)
    assert logchunks.agrees("ERESOLVE unable", wanted)  # a key line inside a chunk line
    assert not logchunks.agrees("npm ERR", wanted)  # too short to mean anything
    assert not logchunks.agrees("npm ERR! code E404", wanted)
