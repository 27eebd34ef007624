"""pytest's failures that are no failed test, read from pytest's own source (s39e).

* Collection errors (``src/_pytest/nodes.py``, ``Collector.repr_failure``; ``python.py``,
  ``Module._importtestmodule``): under ``___ ERROR collecting tests/x.py ___`` pytest prints
  ``ImportError while importing test module '…'.`` / ``Hint: …`` / ``Traceback:`` / frames /
  ``E   ModuleNotFoundError: …``, a syntax error's ``E     File "…", line 14`` / ``E
  SyntaxError: …``, and for ``fail(msg, pytrace=False)`` (``--strict-markers``' ``'x' not
  found in `markers` configuration option`` from ``mark/structures.py``, a module-level
  ``pytest.skip`` without ``allow_module_level``) the bare message alone. The short summary
  says only ``ERROR tests/x.py`` (a collect report has no ``reprcrash``) and the run ends
  ``!!! Interrupted: 1 error during collection !!!``. The message is the key line.
* ``-W error`` / ``filterwarnings = error`` (docs.pytest.org/en/stable/how-to/
  capture-warnings.html): the warning is raised, ``E   DeprecationWarning: …``.
* ``INTERNALERROR`` (``src/_pytest/config/__init__.py``, ``Config.notify_exception``): every
  line of the traceback (native style; long with ``--fulltrace``) prefixed ``INTERNALERROR> ``.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.logreader import text_source

_HEAD = [
    "2024-05-01T10:00:00.0000000Z ##[group]Run python -m pytest -q",
    "2024-05-01T10:00:00.0000000Z python -m pytest -q",
    "2024-05-01T10:00:00.0000000Z shell: /usr/bin/bash -e {0}",
    "2024-05-01T10:00:00.0000000Z ##[endgroup]",
]
_TAIL = ["##[error]Process completed with exit code 2."]


def _diagnose(lines: list[str]):  # type: ignore[no-untyped-def]
    return diagnose(text_source("\n".join([*_HEAD, *lines, *_TAIL]) + "\n"))


def _collection(*body: str) -> list[str]:
    return [
        "============================= test session starts ==============================",
        "platform linux -- Python 3.11.9, pytest-8.2.0, pluggy-1.5.0",
        "collected 12 items / 1 error",
        "",
        "==================================== ERRORS ====================================",
        "___________________ ERROR collecting tests/test_render.py ______________________",
        *body,
        "=========================== short test summary info ============================",
        "ERROR tests/test_render.py",
        "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
        "1 error in 0.42s",
    ]


IMPORT_ERROR = _collection(
    "ImportError while importing test module '/home/runner/src/p/tests/test_render.py'.",
    "Hint: make sure your test modules/packages have valid Python names.",
    "Traceback:",
    "/opt/hostedtoolcache/Python/3.11.9/x64/lib/python3.11/importlib/__init__.py:126: in"
    " import_module",
    "    return _bootstrap._gcd_import(name[level:], package, level)",
    "tests/test_render.py:3: in <module>",
    "    from proj.render import make_page",
    "E   ModuleNotFoundError: No module named 'jinja2'",
)


def test_a_collection_error_leads_with_its_exception_line() -> None:
    d = _diagnose(IMPORT_ERROR)
    assert d.category == "build"
    assert d.failing_tests == []
    assert d.key_lines[0].text == "E   ModuleNotFoundError: No module named 'jinja2'"


def test_a_warning_raised_at_collection_is_the_key_line() -> None:
    line = "E   DeprecationWarning: the imp module is deprecated in favour of importlib"
    d = _diagnose(_collection("tests/test_render.py:3: in <module>", "    import imp", line))
    assert d.category == "build"
    assert d.key_lines[0].text == line


def test_a_bare_collection_message_is_the_key_line() -> None:
    markers = "'integration' not found in `markers` configuration option"
    skip = (
        "Using pytest.skip outside of a test will skip the entire module. If that's your"
        " intention, pass `allow_module_level=True`."
    )
    for message in (markers, skip):
        d = _diagnose(_collection(message))
        assert d.category == "build"
        assert d.key_lines[0].text == message


def test_a_syntax_error_at_collection_names_the_syntax_error() -> None:
    d = _diagnose(
        _collection(
            ".venv/lib/python3.12/site-packages/_pytest/python.py:617: in _importtestmodule",
            "    mod = import_path(self.path, mode=importmode, root=self.config.rootpath)",
            "<frozen importlib._bootstrap>:1387: in _gcd_import",
            "    ???",
            'E     File "/home/runner/src/p/tests/test_render.py", line 14',
            "E       def test_split(",
            "E                     ^",
            "E   SyntaxError: '(' was never closed",
        )
    )
    assert d.category == "build"
    assert d.key_lines[0].text == "E   SyntaxError: '(' was never closed"


def test_the_import_head_stands_in_when_the_traceback_is_cut() -> None:
    head = "ImportError while importing test module '/src/tests/test_render.py'."
    failures = extract_failures(
        [
            "___________________ ERROR collecting tests/test_render.py ______________________",
            head,
            "Hint: make sure your test modules/packages have valid Python names.",
        ]
    )
    assert [(f.test, f.message) for f in failures] == [("tests/test_render.py", head)]


def test_a_failed_test_keeps_its_own_message_first() -> None:
    """Near miss: a test that ran and failed on a warning is a failing test, not a load
    error, and a collection head's rule does not touch it."""
    d = _diagnose(
        [
            "=================================== FAILURES ===================================",
            "_________________________________ test_parse ___________________________________",
            "tests/test_parse.py:7: in test_parse",
            '    assert parse("1") == 1',
            "proj/parse.py:12: in parse",
            '    warnings.warn("parse() is deprecated", DeprecationWarning)',
            "E   DeprecationWarning: parse() is deprecated",
            "=========================== short test summary info ============================",
            "FAILED tests/test_parse.py::test_parse - DeprecationWarning: parse() is deprecated",
            "============================== 1 failed in 0.10s ===============================",
        ]
    )
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests/test_parse.py::test_parse"]
    assert d.key_lines[0].text == "DeprecationWarning: parse() is deprecated"


def test_a_passing_run_has_no_load_error() -> None:
    d = _diagnose(
        [
            "collected 3 items",
            "",
            "tests/test_ok.py ...                                                     [100%]",
            "",
            "============================== 3 passed in 0.02s ===============================",
        ]
    )
    assert d.failing_tests == []
    assert all(k.rule != "load_error" for k in d.key_lines)


INTERNAL = [
    "============================= test session starts ==============================",
    "INTERNALERROR> Traceback (most recent call last):",
    'INTERNALERROR>   File "/opt/py/site-packages/_pytest/main.py", line 283, in wrap_session',
    "INTERNALERROR>     session.exitstatus = doit(config, session) or 0",
    'INTERNALERROR>   File "/home/runner/src/p/conftest.py", line 22, in'
    " pytest_collection_modifyitems",
    'INTERNALERROR>     items.sort(key=lambda i: i.get_closest_marker("order").args[0])',
    "INTERNALERROR> AttributeError: 'NoneType' object has no attribute 'args'",
]


def test_internalerror_shows_the_exception_line() -> None:
    d = _diagnose(INTERNAL)
    texts = [k.text for k in d.key_lines]
    assert "INTERNALERROR> AttributeError: 'NoneType' object has no attribute 'args'" in texts
    assert "INTERNALERROR> Traceback (most recent call last):" not in texts[:1]


def test_internalerror_full_trace_style_and_a_stronger_cause() -> None:
    """``--fulltrace`` prints the long style's ``E`` line; a full disk named in the crash is
    still ``disk_full`` (the low-priority rule only brings its line)."""
    long_style = "INTERNALERROR> E   RuntimeError: plugin hook failed"
    assert long_style in [k.text for k in _diagnose([*INTERNAL[:2], long_style]).key_lines]
    disk = "INTERNALERROR> OSError: [Errno 28] No space left on device"
    assert _diagnose([*INTERNAL[:2], disk]).category == "disk_full"
