"""Failed pytest items that pytest's own report lines do not name the usual way.

Kept apart from :mod:`bot.diagnose.extract_python` (its ``Pytest`` reads the sections, the
short summary and the ``-v`` result lines); these are the plugins' and the rarer verbosity's
lines, each naming a failed item by its node id (``tests/test_x.py::TestK::test_q``), the
convention of ``Pytest``:

* subtests (pytest-subtests, ``src/pytest_subtests/plugin.py``, and pytest 9's built-in
  ``_pytest/subtests.py``): a failed subtest's ``-v`` line is the node id, the subtest's
  description and ``SUBFAIL`` (``t.py::T::test_foo [custom] (i=1) SUBFAIL  [100%]``); under
  xdist ``[gw0] [100%] SUBFAIL t.py::T::test_foo``; its short-summary entry is
  ``[custom] (i=1) SUBFAIL t.py::T::test_foo - AssertionError: …`` (older plugin: ``SUBFAIL
  t.py::T::test_foo - …``), pytest 9 ``SUBFAILED[custom] (i=1) t.py::test - …``. The
  subtest has no node id of its own ("cannot be referenced individually from the command
  line", pytest's docs), so the failure is its test's node id. ``SUBPASS``/``SUBSKIP`` are no
  failure.
* pytest-xdist (``xdist/dsession.py``, ``handle_crashitem``): a worker that died mid-test
  reports the test failed with ``worker 'gw0' crashed while running 'tests/t.py::test_a'``
  (``Worker`` in old releases).
* ``-vv`` (pytest's ``TerminalReporter._locationline``): a test defined in another file than
  its node's (an inherited test) is printed ``t.py::TestB::test_c <- base.py FAILED``.
* pytest-timeout's thread method (``pytest_timeout.py``, ``dump_stacks`` writes
  ``terminal.sep("+", "Timeout")`` and exits the process): under ``-v`` the running test's
  location was written without its result word, so the ``+++ Timeout +++`` rule follows the
  bare node id on its line or the next; no summary is printed after it.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_NODE = r"[^\s:]+\.py::[^\s\[]+(?:\[[^\]]*\])?"
# ``-v``: node id, the subtest's ``[msg]``/``(k=v)`` description, SUBFAIL, the progress
_SUB_VERBOSE = re.compile(r"^(" + _NODE + r") .*? SUBFAIL(?:ED)?(?: +\[ *\d+%\])?\s*$")
_SUB_XDIST = re.compile(r"^\[gw\d+\](?: \[ *\d+%\])? SUBFAIL(?:ED)? (" + _NODE + r")\s*$")
# the short summary: the description first (newer plugin, pytest 9) or none (older plugin)
# (matched from ``SUBFAIL`` on, what precedes it being the description)
_SUB_SUMMARY = re.compile(
    r"SUBFAIL(?:ED)?(?:\[[^\]]*\])?(?: \([^)]*\))? (" + _NODE + r")(?: - (.*))?$"
)
_CRASH = re.compile(r"^[Ww]orker '?gw\d+'? crashed while running '?(" + _NODE + r")'?\s*$")
_INHERITED = re.compile(
    r"^(" + _NODE + r") <- \S+ (?:FAILED|ERROR)(?: +\[ *\d+%\])?\s*$"
    r"|^\[gw\d+\](?: \[ *\d+%\])? (?:FAILED|ERROR) (" + _NODE + r") <- \S+\s*$"
)
_TIMEOUT_RULE = r"\+{3,} Timeout \+{3,}"
_STARTED = re.compile(r"^(" + _NODE + r") ?(?:" + _TIMEOUT_RULE + r")?$")


class PytestMore(Extractor):
    name = "pytest-more"
    triggers = (
        r"^" + _NODE + r" .*? SUBFAIL(?:ED)?(?: +\[ *\d+%\])?\s*$",
        r"^\[gw\d+\](?: \[ *\d+%\])? SUBFAIL",
        r"SUBFAIL(?:ED)?(?:\[[^\]]*\])?(?: \([^)]*\))? [^\s:]+\.py::",
        r"^[Ww]orker '?gw\d+'? crashed while running ",
        r"^" + _NODE + r" <- \S+ (?:FAILED|ERROR)",
        r"^\[gw\d+\](?: \[ *\d+%\])? (?:FAILED|ERROR) \S+ <- \S+\s*$",
        r"^" + _NODE + r" ?$",
        r"^(?:" + _NODE + r" )?" + _TIMEOUT_RULE + r"$",
    )

    def __init__(self) -> None:
        super().__init__()
        self.started: str | None = None  # a ``-v`` location line without its result word

    def feed(self, text: str, number: int = 0) -> None:
        started, self.started = self.started, None
        if re.fullmatch(_TIMEOUT_RULE, text.strip()):
            if started:
                self._failed(started, "Timeout", number, text)
            return
        m = _STARTED.match(text)
        if m:
            if "Timeout" in text:
                self._failed(m.group(1), "Timeout", number, text)
            else:
                self.started = m.group(1)
            return
        m = _SUB_VERBOSE.match(text) or _SUB_XDIST.match(text) or _CRASH.match(text)
        if m:
            message = text.strip() if m.re is _CRASH else None
            self._failed(m.group(1).strip("'"), message, number, text)
            return
        m = _INHERITED.match(text)
        if m:
            self._failed(m.group(1) or m.group(2), None, number, text)
            return
        at = text.find("SUBFAIL")
        if at >= 0 and (at == 0 or text[at - 1] == " "):
            m = _SUB_SUMMARY.match(text, at)
            if m:
                self._failed(m.group(1), m.group(2), number, text)

    def _failed(self, test: str, message: str | None, number: int, raw: str) -> None:
        self.add(test)
        self.note(test, message=message, line=number, raw=raw.strip() if message else None)
