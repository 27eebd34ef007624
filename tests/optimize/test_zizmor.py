"""zizmor's findings merged with Pitcrew's security findings; its absence is reported."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.optimize import optimize_files
from bot.optimize.zizmor import merge, run_zizmor, zizmor_binary

WF = ".github/workflows/ci.yml"
RISKY = """\
on:
  pull_request_target:
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""

needs_zizmor = pytest.mark.skipif(not zizmor_binary(), reason="zizmor not installed")


@needs_zizmor
def test_zizmor_findings_carry_audit_id_link_and_line():
    result = run_zizmor({WF: RISKY})
    assert result.unavailable == ""
    audits = {f.audit: f for f in result.findings}
    injection = audits["template-injection"]
    assert injection.file == WF and injection.line == 10 and injection.rule == "zizmor"
    assert injection.doc_url.startswith("https://docs.zizmor.sh/audits/#template-injection")
    assert "template-injection" in injection.message and injection.security


@needs_zizmor
def test_merged_with_pitcrew_findings_deduplicated_by_file_line_kind():
    own = [f for f in optimize_files({WF: RISKY}).findings if f.security]
    assert any(f.rule == "script-injection" and f.line == 10 for f in own)
    theirs = run_zizmor({WF: RISKY}).findings
    merged = merge(own, theirs)
    at_10 = [f for f in merged if f.line == 10]
    # one script-injection finding at line 10, naming zizmor's audit; no duplicate
    assert [f.rule for f in at_10] == ["script-injection"]
    assert "docs.zizmor.sh/audits/#template-injection" in at_10[0].rationale
    # zizmor's other audits are added
    assert {"artipacked", "dangerous-triggers"} <= {f.audit for f in merged if f.audit}


def test_absence_is_reported_not_raised(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("bot.optimize.zizmor.zizmor_binary", lambda: None)
    result = run_zizmor({WF: RISKY})
    assert result.findings == [] and result.unavailable == "zizmor is not installed"


def test_a_broken_zizmor_is_reported_not_raised(tmp_path: Path):
    fake = tmp_path / "zizmor"
    fake.write_text("#!/bin/sh\necho 'boom: cannot parse' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    result = run_zizmor({WF: RISKY}, binary=str(fake))
    assert result.findings == [] and "boom: cannot parse" in result.unavailable
    missing = run_zizmor({WF: RISKY}, binary=os.fspath(tmp_path / "absent"))
    assert missing.unavailable.startswith("zizmor could not run")


def test_paths_outside_the_repository_are_never_written():
    result = run_zizmor({"../../etc/x.yml": RISKY}, binary="/bin/false")
    assert result.findings == [] and result.unavailable == ""
