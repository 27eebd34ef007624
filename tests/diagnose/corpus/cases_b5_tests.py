# ruff: noqa: E501
"""Batch 5, test frameworks run here (helper p11t5, names ``b5t_…``, ``batch: 5``): failure
shapes the corpus lacked for each framework issue 11 lists — pytest (parametrised ids,
fixture set-up and teardown errors, collection errors, xdist, rerunfailures, ``-x``,
``--tb=short/line/native``, doctests, warnings as errors), unittest sub-tests, jest and vitest
(nested describes, snapshots, ``each`` tables, projects), mocha hooks, node:test sub-tests,
ava, tap, go test (sub-tests, ``-json`` through gotestsum, testify, ``-race``, ``t.Fatal`` in
helpers, ``_test.go`` build failures), cargo test (integration tests, doc tests,
``should_panic``), JUnit 5 through Maven Surefire (parameterized, ``assertAll``), JUnit 4
through Gradle, RSpec, minitest and PHPUnit (data providers, risky tests).

Needs, besides what ``more_cases.py`` and ``cases_b2_b.py`` list: a venv
``$PITCREW_CORPUS_T5_PY`` (default ``/tmp/pitcrew-corpus/t5/py``) with ``pytest==8.3.3
pytest-xdist==3.6.1 pytest-rerunfailures==14.0``; ``npm install jest@29 vitest@2 mocha@10
ava@6 tap@18`` in ``$PITCREW_CORPUS_T5_JS`` (default ``/tmp/pitcrew-corpus/t5/js``); Debian
``gotestsum`` and ``golang-github-stretchr-testify-dev`` (testify is used through ``replace``
directives to its Debian source). Labels were written from each log's text before the engine
was run on any of them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import generate as g
from cases_b2_b import GRADLE_ENV, MVN_ENV, pom
from generate import CHECKOUT, Case, StepSpec
from more_cases import (
    MORE_CASES,
    SETUP_GO,
    SETUP_JAVA,
    SETUP_NODE,
    SETUP_PHP,
    SETUP_RUBY,
    Run,
    add,
    case,
)

T5_PY = Path(os.environ.get("PITCREW_CORPUS_T5_PY", "/tmp/pitcrew-corpus/t5/py"))
T5_JS = Path(os.environ.get("PITCREW_CORPUS_T5_JS", "/tmp/pitcrew-corpus/t5/js"))
PY_ENV = {"PATH": f"{T5_PY / 'bin'}:{os.environ['PATH']}", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
JS_ENV = {"PATH": f"{T5_JS / 'node_modules' / '.bin'}:{os.environ['PATH']}"}
SETUP_PY = StepSpec("actions/setup-python@v5", "Successfully set up CPython (3.11.9)\n")
GOCODE = "/usr/share/gocode/src"


def _scrub(text: str) -> str:
    """The throwaway installs' paths → the runner's."""
    text = text.replace(str(T5_JS / "node_modules"), g.WORKDIR + "/node_modules")
    text = re.sub(r"(?:\.\./)+pitcrew-corpus/t5/js/node_modules", "node_modules", text)
    text = text.replace(str(T5_PY), "/home/runner/work/proj/proj/.venv")
    text = re.sub(r"/tmp/(Test\w+?)\d+/", r"/home/runner/work/_temp/\1/", text)  # t.TempDir()
    return text.replace(GOCODE, "/home/runner/go/pkg/mod")


def b5(c: Case) -> Case:
    """Every case of this module belongs to collection round 5; outputs lose machine paths."""
    inner = c.build

    def build(root: Path) -> list[StepSpec]:
        specs = inner(root)
        for spec in specs:
            spec.output = _scrub(spec.output)
            spec.run = _scrub(spec.run)
        return specs

    c.build = build
    c.batch = 5
    return c


def py(
    name: str, steps: Sequence[str], files: dict[str, str], tool: str = "pytest", **kw: Any
) -> Case:
    kw.setdefault("version", f"{T5_PY / 'bin' / 'python'} -m pytest --version 2>&1 | head -1")
    category = kw.pop("category", "test_failure")
    runs = [Run(s, env=PY_ENV, timeout=300) for s in steps]
    return b5(case(name, category, tool, runs, files, prelude=[CHECKOUT, SETUP_PY], **kw))


def js(name: str, tool: str, steps: Sequence[str], files: dict[str, str], **kw: Any) -> Case:
    kw.setdefault(
        "version", f"echo {tool} $(PATH={T5_JS}/node_modules/.bin:$PATH {tool} --version | tail -1)"
    )
    category = kw.pop("category", "test_failure")
    runs = [Run(s, env=JS_ENV, timeout=240) for s in steps]
    hidden = f"ln -s {T5_JS / 'node_modules'} node_modules"
    pkg = files.pop("package.json", '{"name": "proj", "version": "1.0.0", "private": true}\n')
    return b5(
        case(
            name,
            category,
            tool,
            runs,
            {"package.json": pkg, **files},
            prelude=[CHECKOUT, SETUP_NODE],
            hidden=hidden,
            **kw,
        )
    )


GOMOD = "module example.com/proj\n\ngo 1.19\n"
TESTIFY_MOD = (
    GOMOD
    + "\nrequire github.com/stretchr/testify v1.8.1\n\nrequire (\n\tgithub.com/davecgh/go-spew v1.1.1 // indirect\n\tgithub.com/pmezard/go-difflib v1.0.0 // indirect\n\tgopkg.in/yaml.v3 v3.0.1 // indirect\n)\n"
)
# testify and its dependencies vendored from Debian's source packages (no module proxy here)
VENDOR_TXT = "# github.com/davecgh/go-spew v1.1.1\n## explicit\ngithub.com/davecgh/go-spew/spew\n# github.com/pmezard/go-difflib v1.0.0\n## explicit\ngithub.com/pmezard/go-difflib/difflib\n# github.com/stretchr/testify v1.8.1\n## explicit; go 1.13\ngithub.com/stretchr/testify/assert\ngithub.com/stretchr/testify/require\n# gopkg.in/yaml.v3 v3.0.1\n## explicit\ngopkg.in/yaml.v3\n"
VENDOR = " && ".join(
    [
        f"mkdir -p vendor/{m.rsplit('/', 1)[0]} && cp -r {GOCODE}/{m} vendor/{m}"
        for m in (
            "github.com/davecgh/go-spew",
            "github.com/pmezard/go-difflib",
            "github.com/stretchr/testify",
            "gopkg.in/yaml.v3",
        )
    ]
)
GO_OFF = {
    "GOFLAGS": "-mod=mod",
    "GOPROXY": "off",
    "GONOSUMDB": "*",
    "GONOSUMCHECK": "1",
    "GOSUMDB": "off",
}


def go(
    name: str, steps: Sequence[str], files: dict[str, str], tool: str = "go test", **kw: Any
) -> Case:
    kw.setdefault("version", "go version")
    kw.setdefault("needs", ("go",))
    category = kw.pop("category", "test_failure")
    runs = [Run(s, env={**GO_OFF, **kw.pop("env", {})}, timeout=400) for s in steps]
    files = {"go.mod": GOMOD, **files}
    return b5(case(name, category, tool, runs, files, prelude=[CHECKOUT, SETUP_GO], **kw))


CARGO_TOML = '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'


def rust(name: str, steps: Sequence[str], files: dict[str, str], **kw: Any) -> Case:
    kw.setdefault("version", "cargo --version")
    kw.setdefault("needs", ("cargo",))
    category = kw.pop("category", "test_failure")
    runs = [Run(s, timeout=400) for s in steps]
    files = {"Cargo.toml": CARGO_TOML, **files}
    return b5(case(name, category, "cargo test", runs, files, prelude=[CHECKOUT], **kw))


def mvn(name: str, steps: Sequence[str], files: dict[str, str], **kw: Any) -> Case:
    kw.setdefault("version", "mvn -v | head -1")
    kw.setdefault("needs", ("mvn",))
    category = kw.pop("category", "test_failure")
    tool = kw.pop("tool", "maven")
    runs = [Run(s, env=MVN_ENV, timeout=400) for s in steps]
    return b5(case(name, category, tool, runs, files, prelude=[CHECKOUT, SETUP_JAVA], **kw))


def gradle(name: str, cmd: str, files: dict[str, str], **kw: Any) -> Case:
    kw.setdefault("version", "gradle --version | grep '^Gradle'")
    kw.setdefault("needs", ("gradle",))
    category = kw.pop("category", "test_failure")
    build = "apply plugin: 'java'\nsourceCompatibility = 1.8\nrepositories { mavenLocal() }\ndependencies { testCompile 'junit:junit:4.13.2' }\n"
    return b5(
        case(
            name,
            category,
            "gradle",
            [Run(cmd, env=GRADLE_ENV, timeout=400)],
            {"build.gradle": build, **files},
            prelude=[CHECKOUT, SETUP_JAVA],
            **kw,
        )
    )


def ruby(name: str, tool: str, steps: Sequence[str], files: dict[str, str], **kw: Any) -> Case:
    kw.setdefault("version", "ruby --version")
    category = kw.pop("category", "test_failure")
    return b5(case(name, category, tool, steps, files, prelude=[CHECKOUT, SETUP_RUBY], **kw))


PHPUNIT_XML = '<?xml version="1.0"?>\n<phpunit bootstrap="src/autoload.php" colors="false">\n  <testsuites><testsuite name="unit"><directory>tests</directory></testsuite></testsuites>\n</phpunit>\n'
AUTOLOAD = "<?php\nspl_autoload_register(function ($c) { $f = __DIR__ . '/' . str_replace('App\\\\', '', $c) . '.php'; if (is_file($f)) require $f; });\n"


def phpunit(name: str, files: dict[str, str], cmd: str = "phpunit", **kw: Any) -> Case:
    kw.setdefault("needs", ("phpunit",))
    kw.setdefault("version", "phpunit --version | head -1")
    category = kw.pop("category", "test_failure")
    files = {"phpunit.xml": PHPUNIT_XML, "src/autoload.php": AUTOLOAD, **files}
    return b5(case(name, category, "phpunit", [cmd], files, prelude=[CHECKOUT, SETUP_PHP], **kw))


# -- Python ------------------------------------------------------------------------------------

SLUG = """import re
import unicodedata


def slugify(text):
    text = text.strip().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
"""

PYTEST = "python -m pytest -p no:cacheprovider"

add(
    py(
        "b5t_pytest_param_ids",
        [PYTEST + " -q tests"],
        {
            "src/slug.py": SLUG,
            "tests/test_slug.py": 'import sys\n\nimport pytest\n\nsys.path.insert(0, "src")\nfrom slug import slugify  # noqa: E402\n\n\n@pytest.mark.parametrize(\n    "text,expected",\n    [\n        ("Hello World", "hello-world"),\n        ("  trim me ", "trim-me"),\n        ("Crème brûlée", "creme-brulee"),\n        ("a/b c", "a-b-c"),\n    ],\n)\ndef test_slugify(text, expected):\n    assert slugify(text) == expected\n\n\n@pytest.mark.parametrize("n", [0, 1, 2], ids=["zero", "one", "two"])\ndef test_slug_of_number(n):\n    assert slugify(str(n) * n) != ""\n',
        },
    ),
    py(
        "b5t_pytest_fixture_setup_error",
        [PYTEST + " -q tests"],
        {
            "tests/conftest.py": 'import sqlite3\n\nimport pytest\n\n\n@pytest.fixture\ndef db(tmp_path):\n    conn = sqlite3.connect(str(tmp_path / "missing" / "app.db"))\n    yield conn\n    conn.close()\n',
            "tests/test_repo.py": 'def test_insert(db):\n    db.execute("create table t (x int)")\n\n\ndef test_query(db):\n    assert db.execute("select 1").fetchone() == (1,)\n\n\ndef test_without_db():\n    assert 1 + 1 == 2\n',
        },
    ),
    py(
        "b5t_pytest_teardown_error",
        [PYTEST + " -q tests"],
        {
            "tests/conftest.py": 'import pytest\n\nOPEN = []\n\n\n@pytest.fixture\ndef session():\n    OPEN.append("s")\n    yield OPEN\n    assert OPEN == [], f"sessions left open: {OPEN}"\n',
            "tests/test_session.py": 'def test_uses_session(session):\n    assert session == ["s"]\n\n\ndef test_plain():\n    assert True\n',
        },
    ),
    py(
        "b5t_pytest_collection_syntax_error",
        [PYTEST + " -q tests"],
        {
            "tests/test_ok.py": "def test_ok():\n    assert True\n",
            "tests/test_parse.py": 'def parse(s):\n    return int(s)\n\n\ndef test_parse():\n    assert parse("4") == 4\n\n\ndef test_parse_bad()\n    assert parse("x") is None\n',
        },
        category="build",
    ),
    py(
        "b5t_pytest_xdist_verbose",
        [PYTEST + " -n 2 -v tests"],
        {
            "tests/test_money.py": 'from decimal import Decimal\n\n\ndef cents(x):\n    return int(Decimal(x) * 100)\n\n\ndef test_cents_whole():\n    assert cents("3") == 300\n\n\ndef test_cents_fraction():\n    assert cents("0.015") == 2\n\n\ndef test_cents_negative():\n    assert cents("-1.5") == -150\n',
            "tests/test_tax.py": 'def tax(amount, rate):\n    return round(amount * rate)\n\n\ndef test_tax_rounds_half_up():\n    assert tax(25, 0.1) == 3\n\n\ndef test_tax_zero():\n    assert tax(0, 0.2) == 0\n\n\ndef test_tax_rate_must_be_fraction():\n    assert tax(10, 20) == 2, "rate 20 should have been rejected"\n',
        },
    ),
    py(
        "b5t_pytest_xdist_quiet",
        [PYTEST + " -n 2 -q tests"],
        {
            "tests/test_queue.py": "import collections\n\n\ndef test_fifo():\n    q = collections.deque([1, 2, 3])\n    assert q.pop() == 1\n\n\ndef test_len():\n    assert len(collections.deque(maxlen=2)) == 0\n",
            "tests/test_cfg.py": 'import configparser\n\n\ndef test_reads_port():\n    c = configparser.ConfigParser()\n    c.read_string("[srv]\\nport = 80a\\n")\n    assert c.getint("srv", "port") == 80\n',
        },
    ),
    py(
        "b5t_pytest_rerunfailures",
        [PYTEST + " --reruns 2 -q tests"],
        {
            "tests/test_flaky.py": 'import os\nimport time\n\nMARK = "/tmp/.b5t_rerun_mark"\n\n\ndef test_eventually_ready():\n    if not os.path.exists(MARK):\n        open(MARK, "w").close()\n        raise ConnectionError("service not ready yet")\n    os.remove(MARK)\n\n\ndef test_clock_monotonic():\n    a = time.monotonic()\n    assert a < 0, f"monotonic clock went backwards: {a}"\n',
        },
    ),
    py(
        "b5t_pytest_exitfirst",
        [PYTEST + " -x -q tests"],
        {
            "tests/test_units.py": "def to_km(miles):\n    return miles * 1.6\n\n\ndef test_zero():\n    assert to_km(0) == 0\n\n\ndef test_ten_miles():\n    assert to_km(10) == 16.09\n\n\ndef test_hundred_miles():\n    assert to_km(100) == 160.93\n",
        },
    ),
    py(
        "b5t_pytest_tb_short",
        [PYTEST + " -q --tb=short tests"],
        {
            "src/ratio.py": 'def ratio(a, b):\n    """a / b, or 0 when b is 0."""\n    return a / b\n',
            "tests/test_ratio.py": 'import sys\n\nsys.path.insert(0, "src")\nfrom ratio import ratio  # noqa: E402\n\n\ndef test_half():\n    assert ratio(1, 2) == 0.5\n\n\ndef test_by_zero():\n    assert ratio(1, 0) == 0\n\n\ndef test_third():\n    assert ratio(1, 3) == 0.33\n',
        },
    ),
    py(
        "b5t_pytest_tb_line",
        [PYTEST + " -q --tb=line tests"],
        {
            "tests/test_words.py": 'def words(s):\n    return s.split(" ")\n\n\ndef test_two_words():\n    assert words("a b") == ["a", "b"]\n\n\ndef test_double_space():\n    assert words("a  b") == ["a", "b"]\n\n\ndef test_empty():\n    assert words("") == []\n',
        },
    ),
    py(
        "b5t_pytest_tb_native",
        [PYTEST + " -q --tb=native tests"],
        {
            "tests/test_cfg.py": 'import json\n\n\ndef load(text):\n    return json.loads(text)["name"]\n\n\ndef test_name():\n    assert load(\'{"name": "x"}\') == "x"\n\n\ndef test_missing_name():\n    assert load("{}") is None\n\n\ndef test_upper():\n    assert load(\'{"name": "x"}\').upper() == "x"\n',
        },
    ),
    py(
        "b5t_unittest_subtests",
        ["python -m unittest -v"],
        {
            "test_dates.py": 'import datetime\nimport unittest\n\n\ndef parse(s):\n    return datetime.date.fromisoformat(s)\n\n\nclass DatesTest(unittest.TestCase):\n    def test_parse_many(self):\n        for s in ["2024-01-31", "2024-02-30", "2024-13-01"]:\n            with self.subTest(s=s):\n                self.assertEqual(parse(s).year, 2024)\n\n    def test_weekday(self):\n        self.assertEqual(parse("2024-05-01").weekday(), 3, "1 May 2024 is a Wednesday")\n\n    def test_ok(self):\n        self.assertTrue(parse("2024-05-01"))\n',
        },
        tool="unittest",
        version="python --version",
    ),
    py(
        "b5t_pytest_raises_xfail_strict",
        [PYTEST + " -q -rfEX tests"],
        {
            "tests/test_validate.py": 'import pytest\n\n\ndef port(s):\n    return int(s)\n\n\ndef test_rejects_negative():\n    with pytest.raises(ValueError):\n        port("-1")\n\n\n@pytest.mark.xfail(strict=True, reason="ports above 65535 are not rejected yet")\ndef test_rejects_huge():\n    assert port("70000") == 70000\n\n\ndef test_parses():\n    assert port("80") == 80\n',
        },
    ),
    py(
        "b5t_pytest_unittest_class",
        [PYTEST + " -q tests"],
        {
            "tests/test_inventory.py": 'import unittest\n\n\ndef restock(stock, item, n):\n    stock = dict(stock)\n    stock[item] = n\n    return stock\n\n\nclass InventoryTest(unittest.TestCase):\n    def setUp(self):\n        self.stock = {"apple": 3, "pear": 1}\n\n    def test_restock_adds(self):\n        self.assertEqual(restock(self.stock, "apple", 2), {"apple": 5, "pear": 1})\n\n    def test_restock_new_item(self):\n        self.assertIn("plum", restock(self.stock, "plum", 1))\n\n    def test_empty_count(self):\n        self.assertGreater(len(restock({}, "fig", 0)), 1)\n',
        },
    ),
    py(
        "b5t_pytest_warnings_as_errors",
        [PYTEST + " -q -W error::DeprecationWarning tests"],
        {
            "src/legacy.py": 'import warnings\n\n\ndef old_total(xs):\n    warnings.warn("old_total() is deprecated, use total()", DeprecationWarning, stacklevel=2)\n    return sum(xs)\n\n\ndef total(xs):\n    return sum(xs)\n',
            "tests/test_legacy.py": 'import sys\n\nsys.path.insert(0, "src")\nimport legacy  # noqa: E402\n\n\ndef test_total():\n    assert legacy.total([1, 2]) == 3\n\n\ndef test_old_total():\n    assert legacy.old_total([1, 2]) == 3\n',
        },
    ),
    py(
        "b5t_pytest_doctest_modules",
        [PYTEST + " -q --doctest-modules src"],
        {
            "src/fmt.py": 'def money(cents):\n    """Format cents as a price.\n\n    >>> money(1999)\n    \'$19.99\'\n    >>> money(5)\n    \'$0.05\'\n    """\n    return f"${cents // 100}.{cents % 100}"\n\n\ndef pct(x):\n    """\n    >>> pct(0.5)\n    \'50%\'\n    """\n    return f"{x * 100:.0f}%"\n',
        },
    ),
    py(
        "b5t_pytest_dict_diff_vv",
        [PYTEST + " -vv tests"],
        {
            "tests/test_settings.py": 'def merged(a, b):\n    out = dict(a)\n    out.update({k: v for k, v in b.items() if v})\n    return out\n\n\ndef test_merge_overrides():\n    got = merged({"debug": True, "port": 80, "host": "a"}, {"debug": False, "port": 8080})\n    assert got == {"debug": False, "port": 8080, "host": "a"}\n\n\ndef test_merge_keeps():\n    assert merged({"x": 1}, {}) == {"x": 1}\n',
        },
    ),
)

# -- labels, written from each log's text (before the engine ran on it) ------------------------


def label(
    name: str,
    tests: Sequence[str] = (),
    failures: Sequence[tuple[str, str, str | None]] = (),
    key: Sequence[str] = (),
    note: str = "",
) -> None:
    """The label of one case: failing tests default to the tests of ``failures``."""
    c = next(c for c in MORE_CASES if c.name == name)
    c.failures = list(failures)
    c.failing_tests = list(tests) or [f[0] for f in failures]
    c.key_lines = list(key) or ([failures[0][1]] if failures else [])
    c.note = note


label(
    "b5t_pytest_param_ids",
    failures=[
        (
            r"tests/test_slug.py::test_slugify[Cr\xe8me br\xfbl\xe9e-creme-brulee]",
            "AssertionError: assert 'cr-me-br-l-e' == 'creme-brulee'",
            "tests/test_slug.py:19",
        ),
        (
            "tests/test_slug.py::test_slug_of_number[zero]",
            "AssertionError: assert '' != ''",
            "tests/test_slug.py:24",
        ),
    ],
    note="parametrised ids as pytest escapes them (non-ASCII) and explicit ids",
)
label(
    "b5t_pytest_fixture_setup_error",
    failures=[
        (
            "tests/test_repo.py::test_insert",
            "sqlite3.OperationalError: unable to open database file",
            "tests/conftest.py:8",
        ),
        (
            "tests/test_repo.py::test_query",
            "sqlite3.OperationalError: unable to open database file",
            "tests/conftest.py:8",
        ),
    ],
    note="errors at fixture set-up (ERROR at setup of …), no test body ran",
)
label(
    "b5t_pytest_teardown_error",
    failures=[
        (
            "tests/test_session.py::test_uses_session",
            "AssertionError: sessions left open: ['s']",
            "tests/conftest.py:10",
        )
    ],
    note="the test passed; its fixture's teardown failed (ERROR at teardown of …)",
)
label(
    "b5t_pytest_collection_syntax_error",
    key=["SyntaxError: expected ':'"],
    note="a test module that does not parse: collection error, no test ran (build, as the corpus labels import errors at collection)",
)
label(
    "b5t_pytest_xdist_verbose",
    failures=[
        (
            "tests/test_money.py::test_cents_fraction",
            "AssertionError: assert 1 == 2",
            "tests/test_money.py:13",
        ),
        ("tests/test_tax.py::test_tax_rounds_half_up", "assert 2 == 3", "tests/test_tax.py:6"),
        (
            "tests/test_tax.py::test_tax_rate_must_be_fraction",
            "AssertionError: rate 20 should have been rejected",
            "tests/test_tax.py:14",
        ),
    ],
    note="pytest-xdist -v: [gwN] [ NN%] FAILED progress lines, [gwN] platform line in each section",
)
label(
    "b5t_pytest_xdist_quiet",
    failures=[
        ("tests/test_queue.py::test_fifo", "assert 3 == 1", "tests/test_queue.py:6"),
        (
            "tests/test_cfg.py::test_reads_port",
            "ValueError: invalid literal for int() with base 10: '80a'",
            "tests/test_cfg.py:7",
        ),
    ],
    note="xdist -q; the second failure is raised in the standard library (location: the test's own line)",
)
label(
    "b5t_pytest_rerunfailures",
    failures=[
        (
            "tests/test_flaky.py::test_clock_monotonic",
            "AssertionError: monotonic clock went backwards:",
            "tests/test_flaky.py:16",
        )
    ],
    note="pytest-rerunfailures: one test passed on its re-run (not a failure), one failed every run",
)
label(
    "b5t_pytest_exitfirst",
    failures=[
        ("tests/test_units.py::test_ten_miles", "assert 16.0 == 16.09", "tests/test_units.py:10")
    ],
    note="-x: stops after the first failure; the third test never ran",
)
label(
    "b5t_pytest_tb_short",
    failures=[
        (
            "tests/test_ratio.py::test_by_zero",
            "ZeroDivisionError: division by zero",
            "tests/test_ratio.py:12",
        ),
        (
            "tests/test_ratio.py::test_third",
            "assert 0.3333333333333333 == 0.33",
            "tests/test_ratio.py:16",
        ),
    ],
    note="--tb=short: 'path:N: in test' frames, E lines; the first raises inside src/",
)
label(
    "b5t_pytest_tb_line",
    failures=[
        (
            "tests/test_words.py::test_double_space",
            "AssertionError: assert ['a', '', 'b'] == ['a', 'b']",
            "tests/test_words.py:10",
        ),
        (
            "tests/test_words.py::test_empty",
            "AssertionError: assert [''] == []",
            "tests/test_words.py:14",
        ),
    ],
    note="--tb=line: one absolute 'path:N: message' line per failure, no section headers",
)
label(
    "b5t_pytest_tb_native",
    failures=[
        ("tests/test_cfg.py::test_missing_name", "KeyError: 'name'", "tests/test_cfg.py:13"),
        (
            "tests/test_cfg.py::test_upper",
            "AssertionError: assert 'X' == 'x'",
            "tests/test_cfg.py:17",
        ),
    ],
    note="--tb=native: Python tracebacks through pluggy frames",
)
label(
    "b5t_unittest_subtests",
    failures=[
        (
            "test_dates.DatesTest.test_parse_many",
            "ValueError: day is out of range for month",
            "test_dates.py:13",
        ),
        (
            "test_dates.DatesTest.test_weekday",
            "AssertionError: 2 != 3 : 1 May 2024 is a Wednesday",
            "test_dates.py:16",
        ),
    ],
    note="subTest failures print the parameters after the test id; two sub-tests of one test fail",
)
label(
    "b5t_pytest_raises_xfail_strict",
    failures=[
        (
            "tests/test_validate.py::test_rejects_negative",
            "Failed: DID NOT RAISE <class 'ValueError'>",
            "tests/test_validate.py:9",
        ),
        (
            "tests/test_validate.py::test_rejects_huge",
            "[XPASS(strict)] ports above 65535 are not rejected yet",
            None,
        ),
    ],
)
label(
    "b5t_pytest_unittest_class",
    failures=[
        (
            "tests/test_inventory.py::InventoryTest::test_empty_count",
            "AssertionError: 1 not greater than 1",
            "tests/test_inventory.py:21",
        ),
        (
            "tests/test_inventory.py::InventoryTest::test_restock_adds",
            "AssertionError: {'apple': 2, 'pear': 1} != {'apple': 5, 'pear': 1}",
            "tests/test_inventory.py:15",
        ),
    ],
    note="unittest.TestCase classes collected by pytest",
)
label(
    "b5t_pytest_warnings_as_errors",
    failures=[
        (
            "tests/test_legacy.py::test_old_total",
            "DeprecationWarning: old_total() is deprecated, use total()",
            "tests/test_legacy.py:12",
        )
    ],
    note="-W error::DeprecationWarning turns a warning into the test's exception",
)
label(
    "b5t_pytest_doctest_modules",
    failures=[("src/fmt.py::fmt.money", "Expected: '$0.05' Got: '$0.5'", "src/fmt.py:6")],
    key=["src/fmt.py:6: DocTestFailure"],
    note="--doctest-modules: [doctest] section with Expected:/Got:",
)
label(
    "b5t_pytest_dict_diff_vv",
    failures=[
        (
            "tests/test_settings.py::test_merge_overrides",
            "AssertionError: assert {'debug': True, 'port': 8080, 'host': 'a'} == {'debug': False, 'port': 8080, 'host': 'a'}",
            "tests/test_settings.py:9",
        )
    ],
    note="-vv: full dict diff",
)

# -- JavaScript ----------------------------------------------------------------------------------

CART_JS = "function total(items, taxRate) {\n  const net = items.reduce((s, i) => s + i.price * i.qty, 0);\n  return Math.round(net * (1 + taxRate));\n}\n\nfunction label(item) {\n  return `${item.name} x${item.qty}`;\n}\n\nmodule.exports = { total, label };\n"

add(
    js(
        "b5t_jest_nested_describe",
        "jest",
        ["jest --ci"],
        {
            "src/cart.js": CART_JS,
            "src/cart.test.js": "const { total, label } = require('./cart');\n\ndescribe('Cart', () => {\n  describe('total', () => {\n    it('adds tax', () => {\n      expect(total([{ price: 10, qty: 1 }], 0.1)).toBe(11);\n    });\n\n    it('is zero for an empty cart', () => {\n      expect(total([], 0.2)).toBe(0);\n    });\n\n    describe('with several items', () => {\n      it('sums quantities', () => {\n        expect(total([{ price: 2.5, qty: 3 }, { price: 1, qty: 1 }], 0)).toEqual(8.5);\n      });\n    });\n  });\n\n  describe('label', () => {\n    it('names the item', () => {\n      expect(label({ name: 'pen', qty: 2 })).toMatch(/^pen × 2$/);\n    });\n  });\n});\n",
        },
    ),
    js(
        "b5t_jest_snapshot_ci",
        "jest",
        ["jest --ci"],
        {
            "src/render.js": "function header(user) {\n  return { tag: 'h1', text: `Hello, ${user.name}`, role: user.admin ? 'admin' : 'user' };\n}\nmodule.exports = { header };\n",
            "src/render.test.js": "const { header } = require('./render');\n\ntest('header for a user', () => {\n  expect(header({ name: 'Ann', admin: false })).toMatchSnapshot();\n});\n\ntest('header for an admin', () => {\n  expect(header({ name: 'Bob', admin: true })).toMatchSnapshot();\n});\n",
            "src/__snapshots__/render.test.js.snap": '// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`header for a user 1`] = `\n{\n  "role": "user",\n  "tag": "h1",\n  "text": "Hi, Ann",\n}\n`;\n',
        },
    ),
    js(
        "b5t_jest_each_table",
        "jest",
        ["jest --ci"],
        {
            "src/size.js": "function parseSize(s) {\n  const m = /^(\\d+)(k|m)?b$/i.exec(s);\n  if (!m) throw new Error(`bad size: ${s}`);\n  const mult = { k: 1000, m: 1000000 }[(m[2] || '').toLowerCase()] || 1;\n  return Number(m[1]) * mult;\n}\nmodule.exports = { parseSize };\n",
            "src/size.test.js": "const { parseSize } = require('./size');\n\ndescribe('parseSize', () => {\n  test.each([\n    ['10b', 10],\n    ['2kb', 2048],\n    ['1.5mb', 1500000],\n    ['3MB', 3000000],\n  ])('parses %s', (input, bytes) => {\n    expect(parseSize(input)).toBe(bytes);\n  });\n\n  it.each`\n    input    | valid\n    ${'x'}   | ${false}\n    ${'12'}  | ${true}\n  `('$input is valid: $valid', ({ input, valid }) => {\n    expect(() => parseSize(input)).not.toThrow();\n  });\n});\n",
        },
    ),
    js(
        "b5t_jest_projects",
        "jest",
        ["jest --ci"],
        {
            "jest.config.js": "module.exports = { projects: ['<rootDir>/packages/api', '<rootDir>/packages/web'] };\n",
            "packages/api/jest.config.js": "module.exports = { displayName: 'api', testEnvironment: 'node' };\n",
            "packages/web/jest.config.js": "module.exports = { displayName: 'web', testEnvironment: 'node' };\n",
            "packages/api/routes.js": "exports.route = (path) => path.split('/').filter(Boolean);\n",
            "packages/api/routes.test.js": "const { route } = require('./routes');\n\ntest('splits a path', () => {\n  expect(route('/users/7/')).toEqual(['users', '7']);\n});\n\ntest('keeps query strings apart', () => {\n  expect(route('/users?id=7')).toEqual(['users']);\n});\n",
            "packages/web/format.js": "exports.price = (c) => (c / 100).toFixed(2) + ' EUR';\n",
            "packages/web/format.test.js": "const { price } = require('./format');\n\ntest('formats cents', () => {\n  expect(price(1999)).toBe('19.99 €');\n});\n",
        },
    ),
    js(
        "b5t_vitest_nested_each",
        "vitest",
        ["vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "src/temp.js": "export const toF = (c) => c * 9 / 5 + 32;\nexport const toC = (f) => Math.round((f - 32) * 5 / 9);\n",
            "src/temp.test.js": "import { describe, it, expect } from 'vitest';\nimport { toF, toC } from './temp.js';\n\ndescribe('temperature', () => {\n  describe('toF', () => {\n    it.each([\n      [0, 32],\n      [100, 212],\n      [-40, -41],\n    ])('%i °C is %i °F', (c, f) => {\n      expect(toF(c)).toBe(f);\n    });\n  });\n\n  describe('toC', () => {\n    it('rounds', () => {\n      expect(toC(100)).toBeCloseTo(37.78, 2);\n    });\n  });\n});\n",
        },
    ),
    js(
        "b5t_vitest_snapshot_and_throw",
        "vitest",
        ["vitest run --reporter=verbose"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "src/menu.js": "export function menu(items) {\n  return items.map((i) => ({ id: i.id, title: i.name.trim() }));\n}\n",
            "src/menu.test.js": "import { test, expect } from 'vitest';\nimport { menu } from './menu.js';\n\ntest('menu entries', () => {\n  expect(menu([{ id: 1, name: ' Soup ' }])).toMatchInlineSnapshot(`\n    [\n      {\n        \"id\": 1,\n        \"title\": \"Soup \",\n      },\n    ]\n  `);\n});\n\ntest('menu without names', () => {\n  expect(menu([{ id: 2 }])).toHaveLength(1);\n});\n",
        },
    ),
    js(
        "b5t_vitest_workspace",
        "vitest",
        ["vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "vitest.workspace.js": "export default [\n  { test: { name: 'core', include: ['packages/core/**/*.test.js'] } },\n  { test: { name: 'cli', include: ['packages/cli/**/*.test.js'] } },\n];\n",
            "packages/core/args.js": "export const parseArgs = (argv) => Object.fromEntries(argv.map((a) => a.replace(/^--/, '').split('=')));\n",
            "packages/core/args.test.js": "import { test, expect } from 'vitest';\nimport { parseArgs } from './args.js';\n\ntest('parses flags', () => {\n  expect(parseArgs(['--a=1', '--b'])).toStrictEqual({ a: '1', b: true });\n});\n",
            "packages/cli/help.test.js": "import { test, expect } from 'vitest';\n\ntest('help mentions usage', () => {\n  expect('Options: --verbose').toContain('Usage:');\n});\n",
        },
    ),
    js(
        "b5t_mocha_hooks_nested",
        "mocha",
        ["mocha"],
        {
            "test/store.test.js": "const assert = require('assert');\n\ndescribe('Store', function () {\n  describe('with a seeded db', function () {\n    let db;\n    before(function () {\n      db = JSON.parse('{\"users\": [1, 2]');\n    });\n    it('counts users', function () {\n      assert.strictEqual(db.users.length, 2);\n    });\n  });\n\n  describe('keys', function () {\n    it('are sorted', function () {\n      assert.deepStrictEqual(Object.keys({ b: 1, a: 2 }), ['a', 'b']);\n    });\n    it('are strings', function () {\n      assert.ok(Object.keys({ 1: 'x' }).every((k) => typeof k === 'string'));\n    });\n  });\n\n  describe('beforeEach', function () {\n    beforeEach(function () {\n      this.ids = undefined;\n    });\n    it('resets ids', function () {\n      assert.equal(this.ids.length, 0);\n    });\n  });\n});\n",
        },
    ),
    js(
        "b5t_mocha_reporter_dot_async",
        "mocha",
        ["mocha --reporter dot"],
        {
            "test/fetch.test.js": "const assert = require('assert');\n\nfunction load(id) {\n  return new Promise((resolve, reject) => {\n    setTimeout(() => (id > 0 ? resolve({ id, name: 'u' + id }) : reject(new RangeError(`invalid id ${id}`))), 5);\n  });\n}\n\ndescribe('load', function () {\n  it('loads a user', async function () {\n    const u = await load(3);\n    assert.strictEqual(u.name, 'user3');\n  });\n  it('rejects id 0', async function () {\n    await load(0);\n  });\n  it('loads id 1', async function () {\n    assert.ok(await load(1));\n  });\n});\n",
        },
    ),
    js(
        "b5t_node_test_subtests_spec",
        "node:test",
        ["node --test --test-reporter=spec"],
        {
            "test/queue.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n\nclass Queue {\n  constructor() { this.items = []; }\n  push(x) { this.items.push(x); }\n  shift() { return this.items.pop(); }\n}\n\ntest('Queue', async (t) => {\n  await t.test('is empty at first', () => {\n    assert.strictEqual(new Queue().items.length, 0);\n  });\n  await t.test('is first in, first out', () => {\n    const q = new Queue();\n    q.push(1);\n    q.push(2);\n    assert.strictEqual(q.shift(), 1);\n  });\n  await t.test('shift of empty queue', () => {\n    assert.throws(() => new Queue().shift(), /empty/);\n  });\n});\n",
        },
        version="node --version",
    ),
    js(
        "b5t_node_test_describe_tap",
        "node:test",
        ["node --test --test-reporter=tap"],
        {
            "test/path.test.js": "const { describe, it } = require('node:test');\nconst assert = require('node:assert/strict');\nconst path = require('node:path');\n\ndescribe('paths', () => {\n  it('joins', () => {\n    assert.equal(path.join('a', 'b'), 'a/b');\n  });\n  it('normalises dots', () => {\n    assert.deepEqual(path.parse('/x/../y.txt'), { root: '/', dir: '/', base: 'y.txt', ext: '.txt', name: 'y' });\n  });\n  describe('extname', () => {\n    it('of a dotfile', () => {\n      assert.equal(path.extname('.bashrc'), '.bashrc');\n    });\n  });\n});\n",
        },
        version="node --version",
    ),
    js(
        "b5t_ava_failures",
        "ava",
        ["ava"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/math.test.js": "import test from 'ava';\n\nconst mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;\n\ntest('mean of two', (t) => {\n  t.is(mean([1, 2]), 1.5);\n});\n\ntest('mean of nothing', (t) => {\n  t.is(mean([]), 0);\n});\n\ntest('mean keeps type', (t) => {\n  t.deepEqual({ m: mean([2, 4]) }, { m: '3' });\n});\n\ntest('throws on strings', (t) => {\n  t.throws(() => mean(['a']), { instanceOf: TypeError });\n});\n",
        },
    ),
    js(
        "b5t_tap_failures",
        "tap",
        ["tap --disable-coverage --reporter=tap test/*.js"],
        {
            "test/version.js": "const t = require('tap');\n\nconst bump = (v) => {\n  const [a, b, c] = v.split('.').map(Number);\n  return `${a}.${b}.${c + 1}`;\n};\n\nt.test('bump', async (t) => {\n  t.equal(bump('1.2.3'), '1.2.4');\n  t.equal(bump('1.2'), '1.2.1', 'two-part versions get a patch');\n});\n\nt.test('compare', async (t) => {\n  t.same(['1.10.0', '1.9.0'].sort(), ['1.9.0', '1.10.0']);\n});\n",
        },
    ),
)
label(
    "b5t_jest_nested_describe",
    failures=[
        (
            "Cart › total › with several items › sums quantities",
            "expect(received).toEqual(expected) // deep equality",
            "src/cart.test.js:15",
        ),
        (
            "Cart › label › names the item",
            "expect(received).toMatch(expected)",
            "src/cart.test.js:22",
        ),
    ],
    note="three levels of describe",
)
label(
    "b5t_jest_snapshot_ci",
    failures=[
        ("header for a user", "expect(received).toMatchSnapshot()", "src/render.test.js:4"),
        ("header for an admin", "New snapshot was not written.", "src/render.test.js:8"),
    ],
    key=["Snapshot name: `header for a user 1`"],
    note="--ci: one snapshot differs, one was never written",
)
label(
    "b5t_jest_each_table",
    failures=[
        (
            "parseSize › parses 2kb",
            "expect(received).toBe(expected) // Object.is equality",
            "src/size.test.js:10",
        ),
        ("parseSize › parses 1.5mb", "bad size: 1.5mb", "src/size.test.js:10"),
        ("parseSize › x is valid: false", "expect(received).not.toThrow()", "src/size.test.js:18"),
        ("parseSize › 12 is valid: true", "expect(received).not.toThrow()", "src/size.test.js:18"),
    ],
    note="test.each array and tagged-template tables; a thrown Error's message is the bare message line",
)
label(
    "b5t_jest_projects",
    failures=[
        (
            "keeps query strings apart",
            "expect(received).toEqual(expected) // deep equality",
            "packages/api/routes.test.js:8",
        ),
        (
            "formats cents",
            "expect(received).toBe(expected) // Object.is equality",
            "packages/web/format.test.js:4",
        ),
    ],
    note="jest projects with displayName: stack frames are relative to each project's rootDir (the repo path is the FAIL line's)",
)
label(
    "b5t_vitest_nested_each",
    failures=[
        (
            "src/temp.test.js > temperature > toF > -40 °C is -41 °F",
            "AssertionError: expected -40 to be -41 // Object.is equality",
            "src/temp.test.js:11",
        ),
        (
            "src/temp.test.js > temperature > toC > rounds",
            "AssertionError: expected 38 to be close to 37.78",
            "src/temp.test.js:17",
        ),
    ],
)
label(
    "b5t_vitest_snapshot_and_throw",
    failures=[
        (
            "src/menu.test.js > menu entries",
            "Error: Snapshot `menu entries 1` mismatched",
            "src/menu.test.js:5",
        ),
        (
            "src/menu.test.js > menu without names",
            "TypeError: Cannot read properties of undefined (reading 'trim')",
            "src/menu.test.js:16",
        ),
    ],
    note="inline snapshot mismatch; a TypeError thrown in src/ (location: the test file's frame)",
)
label(
    "b5t_vitest_workspace",
    failures=[
        (
            "packages/core/args.test.js > parses flags",
            "AssertionError: expected { a: '1', b: undefined } to strictly equal { a: '1', b: true }",
            "packages/core/args.test.js:5",
        ),
        (
            "packages/cli/help.test.js > help mentions usage",
            "AssertionError: expected 'Options: --verbose' to contain 'Usage:'",
            "packages/cli/help.test.js:4",
        ),
    ],
    note="vitest workspace: FAIL |project| prefixes",
)
label(
    "b5t_mocha_hooks_nested",
    failures=[
        (
            'Store with a seeded db "before all" hook for "counts users"',
            "SyntaxError: Expected ',' or '}' after property value in JSON at position 16",
            "test/store.test.js:7",
        ),
        (
            "Store keys are sorted",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:",
            "test/store.test.js:16",
        ),
        (
            "Store beforeEach resets ids",
            "TypeError: Cannot read properties of undefined (reading 'length')",
            "test/store.test.js:28",
        ),
    ],
    note="a failing before-all hook, a deep-equal diff, nested describes (titles joined by spaces)",
)
label(
    "b5t_mocha_reporter_dot_async",
    failures=[
        (
            "load loads a user",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
            "test/fetch.test.js:12",
        ),
        ("load rejects id 0", "RangeError: invalid id 0", "test/fetch.test.js:5"),
    ],
    note="dot reporter; an async rejection",
)
label(
    "b5t_node_test_subtests_spec",
    failures=[
        (
            "is first in, first out",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
            "test/queue.test.js:18",
        ),
        (
            "shift of empty queue",
            "AssertionError [ERR_ASSERTION]: Missing expected exception.",
            "test/queue.test.js:21",
        ),
    ],
    note="spec reporter, t.test sub-tests (the parent 'Queue' fails only because of them)",
)
label(
    "b5t_node_test_describe_tap",
    failures=[
        ("normalises dots", "Expected values to be strictly deep-equal:", "test/path.test.js:10"),
        ("of a dotfile", "Expected values to be strictly equal:", "test/path.test.js:14"),
    ],
    note="TAP reporter, nested describe suites (suites fail with 'N subtests failed')",
)
label(
    "b5t_ava_failures",
    failures=[
        ("mean of nothing", "Difference (- actual, + expected):", "test/math.test.js:10"),
        ("mean keeps type", "Difference (- actual, + expected):", "test/math.test.js:14"),
        ("throws on strings", "Function returned:", "test/math.test.js:18"),
    ],
    note="ava 6: title, path:line, code excerpt, difference",
)
label(
    "b5t_tap_failures",
    failures=[
        ("bump", "two-part versions get a patch", "test/version.js:10"),
        ("compare", "should be equivalent", "test/version.js:14"),
    ],
    key=["not ok 2 - two-part versions get a patch"],
    note="node-tap 18, TAP 14 reporter: failing assertions inside t.test sub-tests",
)

# -- Go ------------------------------------------------------------------------------------------

PARSE_GO = 'package size\n\nimport (\n\t"fmt"\n\t"strconv"\n\t"strings"\n)\n\n// Parse reads "10", "2k" or "3M".\nfunc Parse(s string) (int, error) {\n\tmult := 1\n\tswitch {\n\tcase strings.HasSuffix(s, "k"):\n\t\tmult, s = 1000, strings.TrimSuffix(s, "k")\n\tcase strings.HasSuffix(s, "M"):\n\t\tmult, s = 1000, strings.TrimSuffix(s, "M")\n\t}\n\tn, err := strconv.Atoi(s)\n\tif err != nil {\n\t\treturn 0, fmt.Errorf("parse %q: %w", s, err)\n\t}\n\treturn n * mult, nil\n}\n'
PARSE_TEST_GO = 'package size\n\nimport "testing"\n\nfunc TestParse(t *testing.T) {\n\tcases := []struct {\n\t\tname string\n\t\tin   string\n\t\twant int\n\t}{\n\t\t{"plain number", "10", 10},\n\t\t{"kilo", "2k", 2000},\n\t\t{"mega", "3M", 3000000},\n\t\t{"with space", "4 k", 4000},\n\t}\n\tfor _, tc := range cases {\n\t\tt.Run(tc.name, func(t *testing.T) {\n\t\t\tgot, err := Parse(tc.in)\n\t\t\tif err != nil {\n\t\t\t\tt.Fatalf("Parse(%q) error: %v", tc.in, err)\n\t\t\t}\n\t\t\tif got != tc.want {\n\t\t\t\tt.Errorf("Parse(%q) = %d, want %d", tc.in, got, tc.want)\n\t\t\t}\n\t\t})\n\t}\n}\n'

add(
    go(
        "b5t_go_subtests_table",
        ["go test ./..."],
        {"size/size.go": PARSE_GO, "size/size_test.go": PARSE_TEST_GO},
    ),
    go(
        "b5t_go_subtests_verbose",
        ["go test -v ./..."],
        {
            "size/size.go": PARSE_GO,
            "size/size_test.go": PARSE_TEST_GO,
            "slug/slug.go": 'package slug\n\nimport "strings"\n\n// Make lower-cases and joins words with dashes.\nfunc Make(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "-")) }\n',
            "slug/slug_test.go": 'package slug\n\nimport "testing"\n\nfunc TestMake(t *testing.T) {\n\tif got := Make("Hello World"); got != "hello-world" {\n\t\tt.Errorf("got %q", got)\n\t}\n}\n',
        },
    ),
    go(
        "b5t_go_testify",
        ["go test ./..."],
        {
            "go.mod": TESTIFY_MOD,
            "modules.txt": VENDOR_TXT,
            "user/user.go": 'package user\n\nimport (\n\t"errors"\n\t"strings"\n)\n\ntype User struct {\n\tName  string\n\tEmail string\n\tRoles []string\n}\n\n// New validates the e-mail address.\nfunc New(name, email string) (*User, error) {\n\tif !strings.Contains(email, "@") {\n\t\treturn nil, errors.New("invalid email " + email)\n\t}\n\treturn &User{Name: strings.Title(name), Email: email, Roles: []string{"user"}}, nil\n}\n',
            "user/user_test.go": 'package user\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n\t"github.com/stretchr/testify/require"\n)\n\nfunc TestNewUser(t *testing.T) {\n\tu, err := New("ann lee", "ann@example.com")\n\trequire.NoError(t, err)\n\tassert.Equal(t, &User{Name: "Ann Lee", Email: "ann@example.com", Roles: []string{"user", "admin"}}, u)\n}\n\nfunc TestNewUserPlusAddress(t *testing.T) {\n\tu, err := New("bob", "bob+ci.example.com")\n\trequire.NoError(t, err, "plus addresses are valid")\n\tassert.Equal(t, "Bob", u.Name)\n}\n\nfunc TestRoles(t *testing.T) {\n\tu, _ := New("c", "c@x")\n\tassert.Len(t, u.Roles, 2)\n\tassert.Contains(t, u.Roles, "admin", "every user can administer their own account")\n}\n',
        },
        tool="go test (testify)",
        hidden=VENDOR + " && mv modules.txt vendor/",
        env={"GOFLAGS": "-mod=vendor"},
    ),
    go(
        "b5t_go_race",
        ["go test -race ./..."],
        {
            "counter/counter.go": "package counter\n\n// Counter counts hits from many goroutines.\ntype Counter struct{ n int }\n\nfunc (c *Counter) Hit()       { c.n++ }\nfunc (c *Counter) Value() int { return c.n }\n",
            "counter/counter_test.go": 'package counter\n\nimport (\n\t"sync"\n\t"testing"\n)\n\nfunc TestConcurrentHits(t *testing.T) {\n\tvar c Counter\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tc.Hit()\n\t\t}()\n\t}\n\twg.Wait()\n\tif c.Value() > 4 {\n\t\tt.Fatal("too many hits")\n\t}\n}\n\nfunc TestZero(t *testing.T) {\n\tvar c Counter\n\tif c.Value() != 0 {\n\t\tt.Fatal("not zero")\n\t}\n}\n',
        },
    ),
    go(
        "b5t_go_helper_fatal",
        ["go test ./..."],
        {
            "config/config.go": 'package config\n\nimport "encoding/json"\n\ntype Config struct {\n\tPort int    `json:"port"`\n\tHost string `json:"host"`\n}\n\n// Load decodes a JSON config.\nfunc Load(b []byte) (Config, error) {\n\tvar c Config\n\terr := json.Unmarshal(b, &c)\n\treturn c, err\n}\n',
            "config/config_test.go": 'package config\n\nimport "testing"\n\nfunc mustLoad(t *testing.T, s string) Config {\n\tt.Helper()\n\tc, err := Load([]byte(s))\n\tif err != nil {\n\t\tt.Fatalf("load %s: %v", s, err)\n\t}\n\treturn c\n}\n\nfunc TestPort(t *testing.T) {\n\tc := mustLoad(t, `{"port": "8080"}`)\n\tif c.Port != 8080 {\n\t\tt.Errorf("port = %d", c.Port)\n\t}\n}\n\nfunc TestHost(t *testing.T) {\n\tc := mustLoad(t, `{"host": "db"}`)\n\tif c.Host != "db.internal" {\n\t\tt.Errorf("host = %q, want %q", c.Host, "db.internal")\n\t}\n}\n',
        },
    ),
    go(
        "b5t_go_test_file_build_failed",
        ["go test ./..."],
        {
            "geo/geo.go": 'package geo\n\nimport "math"\n\ntype Point struct{ X, Y float64 }\n\n// Dist is the Euclidean distance.\nfunc Dist(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }\n',
            "geo/geo_test.go": 'package geo\n\nimport "testing"\n\nfunc TestDist(t *testing.T) {\n\td := Dist(Point{0, 0}, Point{3, 4}, 1)\n\tif d != 5 {\n\t\tt.Errorf("Dist = %v", d)\n\t}\n\tvar unused int\n}\n',
            "util/util.go": "package util\n\n// Max of two ints.\nfunc Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n",
            "util/util_test.go": 'package util\n\nimport "testing"\n\nfunc TestMax(t *testing.T) {\n\tif Max(1, 2) != 2 {\n\t\tt.Fatal("max")\n\t}\n}\n',
        },
        category="build",
    ),
    go(
        "b5t_gotestsum_testname",
        ["gotestsum --format testname -- ./..."],
        {"size/size.go": PARSE_GO, "size/size_test.go": PARSE_TEST_GO},
        tool="gotestsum",
        version="gotestsum --version",
        needs=("go", "gotestsum"),
    ),
    go(
        "b5t_go_test_json",
        ["go test -json ./..."],
        {
            "slug/slug.go": 'package slug\n\nimport "strings"\n\n// Make lower-cases and joins words with dashes.\nfunc Make(s string) string { return strings.ToLower(strings.Join(strings.Split(s, " "), "-")) }\n',
            "slug/slug_test.go": 'package slug\n\nimport "testing"\n\nfunc TestMake(t *testing.T) {\n\tif got := Make("Hello World"); got != "hello-world" {\n\t\tt.Errorf("got %q", got)\n\t}\n}\n\nfunc TestMakeSpaces(t *testing.T) {\n\tif got := Make("a  b"); got != "a-b" {\n\t\tt.Errorf("Make(%q) = %q, want %q", "a  b", got, "a-b")\n\t}\n}\n',
        },
    ),
)

# -- Rust ----------------------------------------------------------------------------------------

add(
    rust(
        "b5t_cargo_test_should_panic_result",
        ["cargo test --offline"],
        {
            "src/lib.rs": 'pub fn percent(part: u32, whole: u32) -> u32 {\n    if whole == 0 {\n        panic!("whole must not be zero");\n    }\n    part * 100 / whole\n}\n\npub fn parse_pair(s: &str) -> Result<(i32, i32), String> {\n    let (a, b) = s.split_once(\',\').ok_or(format!("no comma in {s:?}"))?;\n    Ok((a.trim().parse().map_err(|e| format!("{e}"))?, b.trim().parse().map_err(|e| format!("{e}"))?))\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn third() {\n        assert_eq!(percent(1, 3), 34, "rounding up");\n    }\n\n    #[test]\n    #[should_panic(expected = "divide by zero")]\n    fn zero_whole() {\n        percent(1, 0);\n    }\n\n    #[test]\n    fn pair_with_spaces() -> Result<(), String> {\n        assert_eq!(parse_pair("1; 2")?, (1, 2));\n        Ok(())\n    }\n\n    #[test]\n    fn half() {\n        assert_eq!(percent(1, 2), 50);\n    }\n}\n',
        },
    ),
    rust(
        "b5t_cargo_test_integration_doc",
        ["cargo test --offline --no-fail-fast"],
        {
            "src/lib.rs": '/// Capitalises the first letter.\n///\n/// ```\n/// assert_eq!(demo::capitalise("rust"), "Rust");\n/// assert_eq!(demo::capitalise(""), "");\n/// assert_eq!(demo::capitalise("élan"), "Élan!");\n/// ```\npub fn capitalise(s: &str) -> String {\n    let mut c = s.chars();\n    match c.next() {\n        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),\n        None => String::new(),\n    }\n}\n',
            "tests/api.rs": 'use demo::capitalise;\n\n#[test]\nfn capitalises_words() {\n    let got: Vec<String> = "a b".split(\' \').map(capitalise).collect();\n    assert!(got.join(" ") == "A b", "got {:?}", got);\n}\n\n#[test]\nfn keeps_digits() {\n    assert_eq!(capitalise("9lives"), "9lives");\n}\n',
        },
    ),
)
label(
    "b5t_go_subtests_table",
    tests=["TestParse/mega", "TestParse/with_space", "TestParse"],
    failures=[
        (
            "TestParse/mega",
            'size_test.go:23: Parse("3M") = 3000, want 3000000',
            "size/size_test.go:23",
        ),
        (
            "TestParse/with_space",
            'size_test.go:20: Parse("4 k") error: parse "4 ": strconv.Atoi: parsing "4 ": invalid syntax',
            "size/size_test.go:20",
        ),
    ],
    note="table-driven t.Run sub-tests (names with spaces become underscores)",
)
label(
    "b5t_go_subtests_verbose",
    tests=["TestParse/mega", "TestParse/with_space", "TestParse"],
    failures=[
        (
            "TestParse/mega",
            'size_test.go:23: Parse("3M") = 3000, want 3000000',
            "size/size_test.go:23",
        ),
        (
            "TestParse/with_space",
            'size_test.go:20: Parse("4 k") error: parse "4 ": strconv.Atoi: parsing "4 ": invalid syntax',
            "size/size_test.go:20",
        ),
    ],
    note="-v: the messages print under === RUN, before the --- FAIL summary tree; a second package passes",
)
label(
    "b5t_go_testify",
    failures=[
        ("TestNewUser", "Error: Not equal:", "user/user_test.go:13"),
        ("TestNewUserPlusAddress", "Error: Received unexpected error:", "user/user_test.go:18"),
        ("TestRoles", 'Error: "[user]" should have 2 item(s), but has 1', "user/user_test.go:24"),
    ],
    note="testify assert/require blocks (Error Trace / Error / Test / Messages)",
)
label(
    "b5t_go_race",
    failures=[("TestConcurrentHits", "race detected during execution of test", None)],
    key=["WARNING: DATA RACE"],
    note="-race report inside a test",
)
label(
    "b5t_go_helper_fatal",
    failures=[
        (
            "TestPort",
            'config_test.go:15: load {"port": "8080"}: json: cannot unmarshal string into Go struct field Config.port of type int',
            "config/config_test.go:15",
        ),
        (
            "TestHost",
            'config_test.go:24: host = "db", want "db.internal"',
            "config/config_test.go:24",
        ),
    ],
    note="t.Fatalf in a t.Helper(): the reported line is the caller's",
)
label(
    "b5t_go_test_file_build_failed",
    key=["geo/geo_test.go:6:38: too many arguments in call to Dist"],
    note="a _test.go file does not compile: [build failed], no test ran in that package",
)
label(
    "b5t_gotestsum_testname",
    tests=["TestParse/mega", "TestParse/with_space", "TestParse"],
    failures=[
        (
            "TestParse/mega",
            'size_test.go:23: Parse("3M") = 3000, want 3000000',
            "size/size_test.go:23",
        ),
        (
            "TestParse/with_space",
            'size_test.go:20: Parse("4 k") error: parse "4 ": strconv.Atoi: parsing "4 ": invalid syntax',
            "size/size_test.go:20",
        ),
    ],
    note="gotestsum --format testname: PASS/FAIL pkg.Test lines, then === Failed / === FAIL: pkg Test",
)
label(
    "b5t_go_test_json",
    failures=[("TestMakeSpaces", "slug_test.go:13: Make(", "slug/slug_test.go:13")],
    note="raw go test -json events (the output is JSON-escaped)",
)
label(
    "b5t_cargo_test_should_panic_result",
    failures=[
        ("tests::pair_with_spaces", 'Error: "no comma in \\"1; 2\\""', None),
        ("tests::third", "assertion `left == right` failed: rounding up", "src/lib.rs:19"),
        ("tests::zero_whole", "whole must not be zero", "src/lib.rs:3"),
    ],
    key=["assertion `left == right` failed: rounding up"],
    note="a Result-returning test's Err, assert_eq! with a message, should_panic with the wrong message; RUST_BACKTRACE on",
)
label(
    "b5t_cargo_test_integration_doc",
    failures=[
        ("capitalises_words", 'got ["A", "B"]', "tests/api.rs:6"),
        ("src/lib.rs - capitalise (line 3)", "assertion `left == right` failed", "src/lib.rs:7"),
    ],
    note="--no-fail-fast: an integration test target and a doc test fail",
)

# -- JVM -----------------------------------------------------------------------------------------

PRICE_JAVA = 'package com.example;\n\npublic final class Price {\n  private Price() {}\n\n  public static String format(int cents) {\n    return String.format("%d.%02d", cents / 100, cents % 100);\n  }\n\n  public static int euros(int cents) { return cents / 100; }\n\n  public static int cents(int cents) { return cents % 10; }\n}\n'

add(
    mvn(
        "b5t_mvn_junit5_parameterized_assertall",
        ["mvn -B -o test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Price.java": PRICE_JAVA,
            "src/test/java/com/example/PriceTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertAll;\nimport static org.junit.jupiter.api.Assertions.assertEquals;\nimport static org.junit.jupiter.api.Assertions.assertTrue;\n\nimport org.junit.jupiter.api.Test;\nimport org.junit.jupiter.params.ParameterizedTest;\nimport org.junit.jupiter.params.provider.CsvSource;\n\nclass PriceTest {\n  @ParameterizedTest(name = "{0} cents is {1}")\n  @CsvSource({"1999, 19.99", "5, 0.05", "100000, \'1,000.00\'"})\n  void formats(int cents, String want) {\n    assertEquals(want, Price.format(cents));\n  }\n\n  @Test\n  void parts() {\n    assertAll(\n        "price parts",\n        () -> assertEquals(19, Price.euros(1999)),\n        () -> assertEquals(99, Price.cents(1999)),\n        () -> assertTrue(Price.euros(-150) >= -1, "euros of a refund"));\n  }\n}\n',
        },
    ),
    mvn(
        "b5t_mvn_junit5_nested_displayname",
        ["mvn -B -o test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Inbox.java": "package com.example;\n\nimport java.util.ArrayList;\nimport java.util.List;\n\npublic class Inbox {\n  private final List<String> messages = new ArrayList<>();\n\n  public void add(String m) { messages.add(m.trim()); }\n\n  public String latest() { return messages.get(messages.size() - 1); }\n\n  public int unread() { return messages.size(); }\n}\n",
            "src/test/java/com/example/InboxTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\nimport static org.junit.jupiter.api.Assertions.assertThrows;\n\nimport org.junit.jupiter.api.DisplayName;\nimport org.junit.jupiter.api.Nested;\nimport org.junit.jupiter.api.Test;\n\n@DisplayName("Inbox")\nclass InboxTest {\n  @Nested\n  @DisplayName("when empty")\n  class WhenEmpty {\n    @Test\n    @DisplayName("latest throws NoSuchElement")\n    void latestThrows() {\n      assertThrows(java.util.NoSuchElementException.class, () -> new Inbox().latest());\n    }\n  }\n\n  @Nested\n  @DisplayName("with messages")\n  class WithMessages {\n    @Test\n    void countsUnread() {\n      Inbox i = new Inbox();\n      i.add("a");\n      i.add(null);\n      assertEquals(2, i.unread());\n    }\n\n    @Test\n    void keepsOrder() {\n      Inbox i = new Inbox();\n      i.add("a");\n      i.add("b");\n      assertEquals("b", i.latest());\n    }\n  }\n}\n',
        },
    ),
    gradle(
        "b5t_gradle_junit4_parameterized",
        "gradle --no-daemon --console=plain --offline test",
        {
            "src/main/java/demo/Roman.java": 'package demo;\n\npublic class Roman {\n  public static String of(int n) {\n    String[] s = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "I"};\n    int[] v = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 1};\n    StringBuilder b = new StringBuilder();\n    for (int i = 0; i < v.length; i++) while (n >= v[i]) { b.append(s[i]); n -= v[i]; }\n    return b.toString();\n  }\n}\n',
            "src/test/java/demo/RomanTest.java": 'package demo;\n\nimport static org.junit.Assert.assertEquals;\n\nimport java.util.Arrays;\nimport java.util.Collection;\nimport org.junit.Test;\nimport org.junit.runner.RunWith;\nimport org.junit.runners.Parameterized;\nimport org.junit.runners.Parameterized.Parameters;\n\n@RunWith(Parameterized.class)\npublic class RomanTest {\n  @Parameters(name = "{index}: of({0}) = {1}")\n  public static Collection<Object[]> data() {\n    return Arrays.asList(new Object[][] {{1, "I"}, {4, "IV"}, {14, "XIV"}, {0, "N"}});\n  }\n\n  private final int n;\n  private final String want;\n\n  public RomanTest(int n, String want) {\n    this.n = n;\n    this.want = want;\n  }\n\n  @Test\n  public void converts() {\n    assertEquals("roman numeral of " + n, want, Roman.of(n));\n  }\n}\n',
        },
    ),
)
label(
    "b5t_mvn_junit5_parameterized_assertall",
    failures=[
        ("PriceTest.formats", "expected: <1,000.00> but was: <1000.00>", "PriceTest.java:15"),
        ("PriceTest.parts", "price parts (1 failure)", "PriceTest.java:20"),
    ],
    note="JUnit 5 @ParameterizedTest (invocation [3]) and assertAll (MultipleFailuresError)",
)
label(
    "b5t_mvn_junit5_nested_displayname",
    failures=[
        (
            "InboxTest$WhenEmpty.latestThrows",
            "Unexpected exception type thrown, expected: <java.util.NoSuchElementException> but was: <java.lang.IndexOutOfBoundsException>",
            "InboxTest.java:18",
        ),
        (
            "InboxTest$WithMessages.countsUnread",
            'java.lang.NullPointerException: Cannot invoke "String.trim()" because "m" is null',
            "InboxTest.java:29",
        ),
    ],
    note="@Nested classes (Outer$Inner) with @DisplayName; an error (NPE in main code) and an assertThrows failure",
)
label(
    "b5t_gradle_junit4_parameterized",
    failures=[
        (
            "demo.RomanTest > converts[1: of(4) = IV]",
            "org.junit.ComparisonFailure at RomanTest.java:29",
            "RomanTest.java:29",
        ),
        (
            "demo.RomanTest > converts[2: of(14) = XIV]",
            "org.junit.ComparisonFailure at RomanTest.java:29",
            "RomanTest.java:29",
        ),
        (
            "demo.RomanTest > converts[3: of(0) = N]",
            "org.junit.ComparisonFailure at RomanTest.java:29",
            "RomanTest.java:29",
        ),
    ],
    note="Gradle 4.4 console: JUnit 4 Parameterized names",
)

# -- Ruby ----------------------------------------------------------------------------------------

add(
    ruby(
        "b5t_rspec_nested_aggregate",
        "rspec",
        ["rspec --no-color"],
        {
            "lib/invoice.rb": "class Invoice\n  attr_reader :lines\n\n  def initialize\n    @lines = []\n  end\n\n  def add(name, cents, qty = 1)\n    @lines << { name: name, cents: cents, qty: qty }\n    self\n  end\n\n  def total\n    @lines.sum { |l| l[:cents] }\n  end\n\n  def to_h\n    { count: @lines.size, total: total, currency: 'eur' }\n  end\nend\n",
            "spec/invoice_spec.rb": "require_relative '../lib/invoice'\n\nRSpec.describe Invoice do\n  subject(:invoice) { described_class.new.add('pen', 150, 2).add('pad', 300) }\n\n  describe '#total' do\n    context 'with quantities' do\n      it 'multiplies by quantity' do\n        expect(invoice.total).to eq(600)\n      end\n    end\n  end\n\n  describe '#to_h' do\n    it 'summarises', :aggregate_failures do\n      h = invoice.to_h\n      expect(h[:count]).to eq(2)\n      expect(h[:currency]).to eq('EUR')\n      expect(h).to include(total: 600)\n    end\n  end\n\n  describe '#lines' do\n    it 'keeps names' do\n      expect(invoice.lines.map { |l| l[:name] }).to contain_exactly('pen', 'pad')\n    end\n\n    it 'is frozen' do\n      expect { invoice.lines << {} }.to raise_error(FrozenError)\n    end\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    ruby(
        "b5t_rspec_load_error",
        "rspec",
        ["rspec --no-color"],
        {
            "lib/slug.rb": "module Slug\n  def self.make(s) = s.downcase.gsub(/\\W+/, '-')\nend\n",
            "spec/slug_spec.rb": "require_relative '../lib/slug'\n\nRSpec.describe Slug do\n  it 'dashes words' do\n    expect(Slug.make('A b')).to eq('a-b')\n  end\nend\n",
            "spec/parser_spec.rb": "require_relative '../lib/parser'\n\nRSpec.describe Parser do\n  it 'parses' do\n    expect(Parser.new('1').value).to eq(1)\n  end\nend\n",
        },
        category="build",
        version="rspec --version | head -2 | tail -1",
    ),
    ruby(
        "b5t_minitest_verbose",
        "minitest",
        [
            "ruby -Ilib -Itest -e 'Dir[\"test/**/*_test.rb\"].sort.each { |f| require File.expand_path(f) }' -- -v --seed 4242"
        ],
        {
            "lib/stack.rb": "class Stack\n  def initialize = @items = []\n  def push(x) = @items.push(x) && self\n  def pop = @items.shift\n  def peek = @items.last\n  def size = @items.size\nend\n",
            "test/stack_test.rb": "require 'minitest/autorun'\nrequire 'stack'\n\nclass StackTest < Minitest::Test\n  def setup\n    @s = Stack.new.push(1).push(2)\n  end\n\n  def test_pop_returns_last\n    assert_equal 2, @s.pop\n  end\n\n  def test_peek\n    assert_equal 2, @s.peek\n  end\n\n  def test_size_after_pop\n    @s.pop\n    assert_equal 1, @s.size\n  end\n\n  def test_empty_pop_raises\n    assert_raises(IndexError) { Stack.new.pop }\n  end\n\n  def test_to_a\n    assert_equal [1, 2], @s.to_a\n  end\nend\n",
        },
    ),
    ruby(
        "b5t_minitest_spec_rake",
        "minitest",
        ["rake test"],
        {
            "Rakefile": "require 'rake/testtask'\n\nRake::TestTask.new(:test) do |t|\n  t.libs << 'lib' << 'test'\n  t.test_files = FileList['test/**/*_test.rb']\n  t.warning = false\nend\n\ntask default: :test\n",
            "lib/temp.rb": "module Temp\n  def self.f(c) = c * 9 / 5 + 32\nend\n",
            "test/temp_test.rb": "require 'minitest/autorun'\nrequire 'temp'\n\ndescribe Temp do\n  describe '.f' do\n    it 'converts boiling water' do\n      _(Temp.f(100)).must_equal 212\n    end\n\n    it 'keeps fractions' do\n      _(Temp.f(37)).must_be_close_to 98.6, 0.01\n    end\n\n    it 'rejects strings' do\n      _ { Temp.f('x') }.must_raise ArgumentError\n    end\n  end\nend\n",
        },
        version="ruby --version",
    ),
)

# -- PHP -----------------------------------------------------------------------------------------

add(
    phpunit(
        "b5t_phpunit_data_provider",
        {
            "src/Discount.php": "<?php\nnamespace App;\n\nfinal class Discount\n{\n    public static function apply(int $cents, string $code): int\n    {\n        $pct = ['TEN' => 10, 'HALF' => 50][$code] ?? 0;\n        return intdiv($cents * (100 - $pct), 100);\n    }\n}\n",
            "tests/DiscountTest.php": "<?php\nuse App\\Discount;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class DiscountTest extends TestCase\n{\n    public static function codes(): array\n    {\n        return [\n            'ten percent' => [1000, 'TEN', 900],\n            'half' => [999, 'HALF', 500],\n            'lower case' => [1000, 'ten', 900],\n            [1000, 'NONE', 1000],\n        ];\n    }\n\n    /** @dataProvider codes */\n    public function testApply(int $cents, string $code, int $want): void\n    {\n        $this->assertSame($want, Discount::apply($cents, $code));\n    }\n}\n",
        },
    ),
    phpunit(
        "b5t_phpunit_risky_exception",
        {
            "src/Csv.php": "<?php\nnamespace App;\n\nfinal class Csv\n{\n    public static function row(string $line): array\n    {\n        if ($line === '') {\n            throw new \\InvalidArgumentException('empty line');\n        }\n        return str_getcsv($line);\n    }\n}\n",
            "tests/CsvTest.php": "<?php\nuse App\\Csv;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class CsvTest extends TestCase\n{\n    public function testQuoted(): void\n    {\n        $this->assertEquals(['a', 'b,c'], Csv::row('a,\"b,c\"'));\n    }\n\n    public function testEmptyLine(): void\n    {\n        $this->assertSame([], Csv::row(''));\n    }\n\n    public function testNothing(): void\n    {\n        Csv::row('x');\n    }\n\n    public function testCount(): void\n    {\n        $this->assertCount(3, Csv::row('1,2'), 'three columns expected');\n    }\n}\n",
        },
        cmd="phpunit --fail-on-risky",
    ),
)
label(
    "b5t_rspec_nested_aggregate",
    failures=[
        (
            "Invoice#total with quantities multiplies by quantity",
            "expected: 600",
            "spec/invoice_spec.rb:9",
        ),
        ("Invoice#to_h summarises", "Got 2 failures:", "spec/invoice_spec.rb:18"),
        (
            "Invoice#lines is frozen",
            "expected FrozenError but nothing was raised",
            "spec/invoice_spec.rb:29",
        ),
    ],
    key=["expected: 600"],
    note="nested describe/context, :aggregate_failures (2.1/2.2), raise_error",
)
label(
    "b5t_rspec_load_error",
    key=["cannot load such file -- /home/runner/work/proj/proj/lib/parser"],
    note="a spec file fails to load (error outside of examples): no example ran",
)
label(
    "b5t_minitest_verbose",
    failures=[
        ("StackTest#test_to_a", "NoMethodError: undefined method `to_a'", "test/stack_test.rb:27"),
        (
            "StackTest#test_empty_pop_raises",
            "IndexError expected but nothing was raised.",
            "test/stack_test.rb:23",
        ),
        ("StackTest#test_pop_returns_last", "Expected: 2 Actual: 1", "test/stack_test.rb:10"),
    ],
    key=["NoMethodError: undefined method `to_a'"],
    note="minitest -v with a fixed seed; an Error and two Failures",
)
label(
    "b5t_minitest_spec_rake",
    failures=[
        (
            "Temp::.f#test_0003_rejects strings",
            "[ArgumentError] exception expected, not",
            "test/temp_test.rb:15",
        ),
        (
            "Temp::.f#test_0002_keeps fractions",
            "Expected |98.6 - 98| (0.5999999999999943) to be <= 0.01.",
            "test/temp_test.rb:11",
        ),
    ],
    note="minitest/spec through rake test (test_000N_ names), rake aborted after",
)
label(
    "b5t_phpunit_data_provider",
    failures=[
        (
            'DiscountTest::testApply with data set "half"',
            "Failed asserting that 499 is identical to 500.",
            "tests/DiscountTest.php:20",
        ),
        (
            'DiscountTest::testApply with data set "lower case"',
            "Failed asserting that 1000 is identical to 900.",
            "tests/DiscountTest.php:20",
        ),
    ],
)
label(
    "b5t_phpunit_risky_exception",
    failures=[
        ("CsvTest::testEmptyLine", "InvalidArgumentException: empty line", "tests/CsvTest.php:14"),
        ("CsvTest::testCount", "three columns expected", "tests/CsvTest.php:24"),
        (
            "CsvTest::testNothing",
            "This test did not perform any assertions",
            "tests/CsvTest.php:17",
        ),
    ],
    note="--fail-on-risky: an error thrown from src/, a failure with a custom message, a risky test",
)

# -- second collection: after the first engine changes of this round, before any further one --

add(
    py(
        "b5t_pytest_setup_method_error",
        [PYTEST + " -q tests"],
        {
            "tests/test_account.py": 'class TestAccount:\n    def setup_method(self):\n        self.balance = int("12,50")\n\n    def test_deposit(self):\n        assert self.balance + 1 == 13\n\n    def test_withdraw(self):\n        assert self.balance - 1 == 11\n\n\ndef test_plain():\n    assert round(2.675, 2) == 2.68\n',
        },
    ),
    py(
        "b5t_pytest_fail_call_and_multiline_str",
        [PYTEST + " -q tests"],
        {
            "tests/test_report.py": 'import pytest\n\n\ndef render(rows):\n    return "\\n".join(f"{k}: {v}" for k, v in rows)\n\n\ndef test_render():\n    assert render([("a", 1), ("b", 2)]) == "a: 1\\nb: 3\\n"\n\n\ndef test_requires_token():\n    token = None\n    if token is None:\n        pytest.fail("API_TOKEN is not set for the integration tests")\n',
        },
    ),
    py(
        "b5t_unittest_setupclass_error",
        ["python -m unittest discover -s tests -v"],
        {
            "tests/test_cache.py": 'import os\nimport unittest\n\n\nclass CacheTest(unittest.TestCase):\n    @classmethod\n    def setUpClass(cls):\n        cls.dir = os.environ["CACHE_DIR"]\n\n    def test_put(self):\n        self.assertTrue(self.dir)\n\n\nclass KeyTest(unittest.TestCase):\n    def test_key(self):\n        self.assertEqual("a:b".split(":"), ["a", "b", "c"])\n',
        },
        tool="unittest",
        version="python --version",
    ),
    js(
        "b5t_jest_describe_each_assertions",
        "jest",
        ["jest --ci"],
        {
            "src/queue.js": "class Queue {\n  constructor() { this.items = []; }\n  push(x) { this.items.push(x); return this; }\n  async drain(fn) { for (const x of this.items) await fn(x); }\n}\nmodule.exports = { Queue };\n",
            "src/queue.test.js": "const { Queue } = require('./queue');\n\ndescribe.each([\n  ['empty', []],\n  ['two items', [1, 2]],\n])('Queue (%s)', (label, items) => {\n  test('drain visits every item', async () => {\n    expect.assertions(items.length + 1);\n    const q = new Queue();\n    items.forEach((x) => q.push(x));\n    await q.drain((x) => expect(x).toBeGreaterThan(0));\n  });\n});\n\ntest('rejects on a bad handler', async () => {\n  const q = new Queue().push(1);\n  await expect(q.drain(() => 1)).rejects.toThrow('bad handler');\n});\n",
        },
    ),
    js(
        "b5t_jest_suite_failed_to_run",
        "jest",
        ["jest --ci"],
        {
            "src/ok.test.js": "test('ok', () => expect(1).toBe(1));\n",
            "src/parse.test.js": "const { parse } = require('./parse');\n\ntest('parses', () => {\n  expect(parse('1')).toBe(1);\n});\n",
        },
        category="build",
    ),
    js(
        "b5t_vitest_dot_soft",
        "vitest",
        ["vitest run --reporter=dot"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/user.test.js": "import { test, expect } from 'vitest';\n\nconst user = { name: 'ann', email: 'ann@example', age: '41' };\n\ntest('user is valid', () => {\n  expect.soft(user.email).toMatch(/@.+\\./);\n  expect.soft(typeof user.age).toBe('number');\n});\n\ntest('user name is capitalised', () => {\n  expect(user.name[0]).toBe('A');\n});\n",
        },
    ),
    js(
        "b5t_mocha_chai_bail",
        "mocha",
        ["mocha --bail"],
        {
            "test/range.test.js": "const { expect } = require('chai');\n\nconst range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);\n\ndescribe('range', () => {\n  it('is empty when a == b', () => {\n    expect(range(2, 2)).to.deep.equal([]);\n  });\n  it('includes the end', () => {\n    expect(range(1, 3)).to.deep.equal([1, 2, 3]);\n  });\n  it('handles negatives', () => {\n    expect(range(-1, 1)).to.have.lengthOf(2);\n  });\n});\n",
        },
    ),
    js(
        "b5t_node_test_describe_spec",
        "node:test",
        ["node --test --test-reporter=spec test/"],
        {
            "test/money.test.mjs": "import { describe, it, before } from 'node:test';\nimport assert from 'node:assert/strict';\n\nconst fmt = (c) => `${Math.floor(c / 100)}.${c % 100}`;\n\ndescribe('fmt', () => {\n  it('pads cents', () => {\n    assert.equal(fmt(105), '1.05');\n  });\n  it('handles zero', () => {\n    assert.equal(fmt(0), '0.0');\n  });\n  describe('negative', () => {\n    it('keeps the sign', () => {\n      assert.match(fmt(-150), /^-1\\.50$/);\n    });\n  });\n});\n",
        },
        version="node --version",
    ),
    go(
        "b5t_go_testify_suite",
        ["go test ./..."],
        {
            "go.mod": TESTIFY_MOD,
            "modules.txt": VENDOR_TXT.replace(
                "github.com/stretchr/testify/require\n",
                "github.com/stretchr/testify/require\ngithub.com/stretchr/testify/suite\n",
            ),
            "store/store.go": 'package store\n\nimport "errors"\n\ntype Store struct{ m map[string]string }\n\nfunc New() *Store { return &Store{m: map[string]string{}} }\n\nfunc (s *Store) Put(k, v string) { s.m[k] = v }\n\n// Get returns ErrMissing for an unknown key.\nfunc (s *Store) Get(k string) (string, error) {\n\tv, ok := s.m[k]\n\tif !ok {\n\t\treturn "", errors.New("missing")\n\t}\n\treturn v, nil\n}\n\nvar ErrMissing = errors.New("missing")\n',
            "store/store_test.go": 'package store\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/suite"\n)\n\ntype StoreSuite struct {\n\tsuite.Suite\n\ts *Store\n}\n\nfunc (t *StoreSuite) SetupTest() { t.s = New() }\n\nfunc (t *StoreSuite) TestPutGet() {\n\tt.s.Put("a", "1")\n\tv, err := t.s.Get("a")\n\tt.NoError(err)\n\tt.Equal("1", v)\n}\n\nfunc (t *StoreSuite) TestMissing() {\n\t_, err := t.s.Get("b")\n\tt.ErrorIs(err, ErrMissing)\n}\n\nfunc (t *StoreSuite) TestOverwrite() {\n\tt.s.Put("a", "1")\n\tt.s.Put("a", "2")\n\tv, _ := t.s.Get("a")\n\tt.Require().Equal("1", v, "first write wins")\n}\n\nfunc TestStoreSuite(t *testing.T) { suite.Run(t, new(StoreSuite)) }\n',
        },
        tool="go test (testify)",
        hidden=VENDOR + " && mv modules.txt vendor/",
        env={"GOFLAGS": "-mod=vendor"},
    ),
    go(
        "b5t_go_example_and_log_noise",
        ["go test -count=1 ./..."],
        {
            "greet/greet.go": 'package greet\n\nimport "fmt"\n\n// Hello greets someone.\nfunc Hello(name string) string { return fmt.Sprintf("Hello %s!", name) }\n',
            "greet/greet_test.go": 'package greet\n\nimport (\n\t"fmt"\n\t"testing"\n)\n\nfunc ExampleHello() {\n\tfmt.Println(Hello("Go"))\n\t// Output: Hello, Go!\n}\n\nfunc TestHelloEmpty(t *testing.T) {\n\tt.Log("checking the empty name")\n\tt.Logf("input: %q", "")\n\tif got := Hello(""); got != "Hello!" {\n\t\tt.Errorf("Hello(%q) = %q, want %q", "", got, "Hello!")\n\t}\n}\n',
        },
    ),
    go(
        "b5t_go_failfast_v",
        ["go test -v -failfast ./..."],
        {
            "mathx/mathx.go": "package mathx\n\n// Clamp limits v to [lo, hi].\nfunc Clamp(v, lo, hi int) int {\n\tif v < lo {\n\t\treturn lo\n\t}\n\tif v > hi {\n\t\treturn lo\n\t}\n\treturn v\n}\n",
            "mathx/mathx_test.go": 'package mathx\n\nimport "testing"\n\nfunc TestClampLow(t *testing.T) {\n\tif Clamp(-5, 0, 10) != 0 {\n\t\tt.Fatal("low")\n\t}\n}\n\nfunc TestClampHigh(t *testing.T) {\n\tif got := Clamp(50, 0, 10); got != 10 {\n\t\tt.Fatalf("Clamp(50, 0, 10) = %d, want 10", got)\n\t}\n}\n\nfunc TestClampInside(t *testing.T) {\n\tif Clamp(5, 0, 10) != 5 {\n\t\tt.Fatal("inside")\n\t}\n}\n',
        },
    ),
    rust(
        "b5t_cargo_test_workspace",
        ["cargo test --offline --workspace"],
        {
            "Cargo.toml": '[workspace]\nmembers = ["core", "cli"]\nresolver = "2"\n',
            "core/Cargo.toml": '[package]\nname = "core"\nversion = "0.1.0"\nedition = "2021"\n',
            "core/src/lib.rs": 'pub fn words(s: &str) -> Vec<&str> {\n    s.split(\' \').collect()\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn splits_on_runs_of_spaces() {\n        assert_eq!(super::words("a  b"), vec!["a", "b"]);\n    }\n}\n',
            "cli/Cargo.toml": '[package]\nname = "cli"\nversion = "0.1.0"\nedition = "2021"\n',
            "cli/src/main.rs": 'fn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn version_is_set() {\n        assert!(option_env!("APP_VERSION").is_some(), "APP_VERSION must be set at build time");\n    }\n}\n',
        },
    ),
    mvn(
        "b5t_mvn_junit5_dynamic_repeated",
        ["mvn -B -o -ntp test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Ids.java": 'package com.example;\n\nimport java.util.concurrent.atomic.AtomicInteger;\n\npublic final class Ids {\n  private static final AtomicInteger NEXT = new AtomicInteger();\n\n  private Ids() {}\n\n  public static String next(String prefix) { return prefix + "-" + NEXT.incrementAndGet(); }\n\n  public static boolean valid(String id) { return id.matches("[a-z]+-\\\\d+"); }\n}\n',
            "src/test/java/com/example/IdsTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\nimport static org.junit.jupiter.api.Assertions.assertTrue;\nimport static org.junit.jupiter.api.DynamicTest.dynamicTest;\n\nimport java.util.stream.Stream;\nimport org.junit.jupiter.api.DynamicTest;\nimport org.junit.jupiter.api.RepeatedTest;\nimport org.junit.jupiter.api.TestFactory;\n\nclass IdsTest {\n  @RepeatedTest(2)\n  void firstIdIsOne() {\n    assertEquals("u-1", Ids.next("u"));\n  }\n\n  @TestFactory\n  Stream<DynamicTest> validIds() {\n    return Stream.of("a-1", "B-2", "c_3").map(id -> dynamicTest("valid " + id, () -> assertTrue(Ids.valid(id), id + " should be valid")));\n  }\n}\n',
        },
    ),
    gradle(
        "b5t_gradle_junit4_before_error",
        "gradle --no-daemon --console=plain --offline test",
        {
            "src/main/java/demo/Config.java": 'package demo;\n\nimport java.util.Properties;\n\npublic class Config {\n  private final Properties p = new Properties();\n\n  public Config(String text) throws java.io.IOException { p.load(new java.io.StringReader(text)); }\n\n  public int port() { return Integer.parseInt(p.getProperty("port")); }\n}\n',
            "src/test/java/demo/ConfigTest.java": 'package demo;\n\nimport static org.junit.Assert.assertEquals;\n\nimport org.junit.Before;\nimport org.junit.Test;\n\npublic class ConfigTest {\n  private Config config;\n\n  @Before\n  public void load() throws Exception {\n    config = new Config("host=db\\n");\n    config.port();\n  }\n\n  @Test\n  public void readsPort() { assertEquals(5432, config.port()); }\n}\n',
            "src/test/java/demo/HostTest.java": 'package demo;\n\nimport static org.junit.Assert.assertTrue;\n\nimport org.junit.Test;\n\npublic class HostTest {\n  @Test\n  public void hostIsLocal() { assertTrue("host must be local", "db".startsWith("local")); }\n}\n',
        },
    ),
    ruby(
        "b5t_rspec_shared_examples_doc",
        "rspec",
        ["rspec --no-color --format documentation"],
        {
            "lib/shapes.rb": "Square = Struct.new(:side) do\n  def area = side * side\n  def perimeter = side * 4\nend\n\nCircle = Struct.new(:r) do\n  def area = 3 * r * r\n  def perimeter = 2 * Math::PI * r\nend\n",
            "spec/shapes_spec.rb": "require_relative '../lib/shapes'\n\nRSpec.shared_examples 'a shape' do |area|\n  it 'has a positive perimeter' do\n    expect(subject.perimeter).to be > 0\n  end\n\n  it \"has area #{area}\" do\n    expect(subject.area).to be_within(0.01).of(area)\n  end\nend\n\nRSpec.describe Square do\n  subject { described_class.new(2) }\n  it_behaves_like 'a shape', 4\nend\n\nRSpec.describe Circle do\n  subject { described_class.new(1) }\n  it_behaves_like 'a shape', 3.14\n\n  it 'is not pending any more' do\n    pending 'circles were approximated'\n    expect(subject.area).to eq(3)\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    ruby(
        "b5t_test_unit",
        "test-unit",
        ["ruby -Ilib test/run_test.rb"],
        {
            "lib/version.rb": "module Version\n  def self.bump(v) = v.split('.').map(&:to_i).then { |a, b, c| [a, b, c + 1].join('.') }\nend\n",
            "test/run_test.rb": "require 'test/unit'\nrequire 'version'\n\nclass VersionTest < Test::Unit::TestCase\n  def test_patch\n    assert_equal '1.2.4', Version.bump('1.2.3')\n  end\n\n  def test_two_parts\n    assert_equal '1.3.0', Version.bump('1.2')\n  end\n\n  def test_nil\n    assert_nil Version.bump(nil)\n  end\nend\n",
        },
        version='ruby -e \'require "test/unit"; puts "test-unit #{Test::Unit::VERSION}"\'',
    ),
    phpunit(
        "b5t_phpunit_testdox_diff",
        {
            "src/Slug.php": "<?php\nnamespace App;\n\nfinal class Slug\n{\n    public static function of(string $s): array\n    {\n        return explode(' ', strtolower($s));\n    }\n}\n",
            "tests/SlugTest.php": "<?php\nuse App\\Slug;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class SlugTest extends TestCase\n{\n    public function testWordsAreSplit(): void\n    {\n        $this->assertSame(['hello', 'world'], Slug::of('Hello  World'));\n    }\n\n    public function testLowerCase(): void\n    {\n        $this->assertSame(['abc'], Slug::of('ABC'));\n    }\n}\n",
        },
        cmd="phpunit --testdox",
    ),
)
label(
    "b5t_pytest_setup_method_error",
    failures=[
        ("tests/test_account.py::test_plain", "assert 2.67 == 2.68", "tests/test_account.py:13"),
        (
            "tests/test_account.py::TestAccount::test_deposit",
            "ValueError: invalid literal for int() with base 10: '12,50'",
            "tests/test_account.py:3",
        ),
        (
            "tests/test_account.py::TestAccount::test_withdraw",
            "ValueError: invalid literal for int() with base 10: '12,50'",
            "tests/test_account.py:3",
        ),
    ],
    note="setup_method raising: ERROR at setup of Class.test, plus a plain failure",
)
label(
    "b5t_pytest_fail_call_and_multiline_str",
    failures=[
        (
            "tests/test_report.py::test_render",
            "AssertionError: assert 'a: 1\\nb: 2' == 'a: 1\\nb: 3\\n'",
            "tests/test_report.py:9",
        ),
        (
            "tests/test_report.py::test_requires_token",
            "Failed: API_TOKEN is not set for the integration tests",
            "tests/test_report.py:15",
        ),
    ],
)
label(
    "b5t_unittest_setupclass_error",
    failures=[
        ("test_cache.CacheTest.setUpClass", "KeyError: 'CACHE_DIR'", "tests/test_cache.py:8"),
        (
            "test_cache.KeyTest.test_key",
            "AssertionError: Lists differ: ['a', 'b'] != ['a', 'b', 'c']",
            "tests/test_cache.py:16",
        ),
    ],
    note="setUpClass error (ERROR: setUpClass (module.Class)), unittest discover -s tests",
)
label(
    "b5t_jest_describe_each_assertions",
    failures=[
        ("Queue (empty) › drain visits every item", "expect.assertions(1)", "src/queue.test.js:8"),
        (
            "Queue (two items) › drain visits every item",
            "expect.assertions(3)",
            "src/queue.test.js:8",
        ),
        ("rejects on a bad handler", "expect(received).rejects.toThrow()", "src/queue.test.js:17"),
    ],
    note="describe.each, expect.assertions, .rejects on a resolved promise",
)
label(
    "b5t_jest_suite_failed_to_run",
    key=["Cannot find module './parse' from 'src/parse.test.js'"],
    note="a test file requires a module that does not exist: the suite never ran (build, as the corpus labels it)",
)
label(
    "b5t_vitest_dot_soft",
    failures=[
        (
            "test/user.test.js > user is valid",
            "AssertionError: expected 'ann@example' to match /@.+\\./",
            "test/user.test.js:6",
        ),
        (
            "test/user.test.js > user name is capitalised",
            "AssertionError: expected 'a' to be 'A' // Object.is equality",
            "test/user.test.js:11",
        ),
    ],
    note="dot reporter; expect.soft gives one test two FAIL sections",
)
label(
    "b5t_mocha_chai_bail",
    failures=[
        (
            "range includes the end",
            "AssertionError: expected [ 1, 2 ] to deeply equal [ 1, 2, 3 ]",
            "test/range.test.js:10",
        )
    ],
    note="chai expect, --bail stops after the first failure",
)
label(
    "b5t_node_test_describe_spec",
    failures=[
        (
            "pads cents",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
            "test/money.test.mjs:8",
        ),
        (
            "keeps the sign",
            "AssertionError [ERR_ASSERTION]: The input did not match the regular expression /^-1\\.50$/. Input:",
            "test/money.test.mjs:15",
        ),
    ],
    note="spec reporter, nested describe (▶ suites close with ✖ when a test inside failed), file:// frames",
)
label(
    "b5t_go_testify_suite",
    tests=["TestStoreSuite/TestMissing", "TestStoreSuite/TestOverwrite", "TestStoreSuite"],
    failures=[
        (
            "TestStoreSuite/TestMissing",
            "Error: Target error should be in err chain:",
            "store/store_test.go:25",
        ),
        ("TestStoreSuite/TestOverwrite", "Error: Not equal:", "store/store_test.go:32"),
    ],
    note="testify suite.Run: methods are sub-tests of the suite's Test function",
)
label(
    "b5t_go_example_and_log_noise",
    failures=[
        (
            "TestHelloEmpty",
            'greet_test.go:17: Hello("") = "Hello !", want "Hello!"',
            "greet/greet_test.go:17",
        ),
        ("ExampleHello", "got:", None),
    ],
    key=['greet_test.go:17: Hello("") = "Hello !", want "Hello!"'],
    note="t.Log lines before the t.Errorf; an Example's got:/want: output",
)
label(
    "b5t_go_failfast_v",
    failures=[
        (
            "TestClampHigh",
            "mathx_test.go:13: Clamp(50, 0, 10) = 0, want 10",
            "mathx/mathx_test.go:13",
        )
    ],
)
label(
    "b5t_cargo_test_workspace",
    failures=[
        ("tests::version_is_set", "APP_VERSION must be set at build time", "cli/src/main.rs:7")
    ],
    note="cargo workspace: the panic path is workspace-relative, backtrace frames crate-relative",
)
label(
    "b5t_mvn_junit5_dynamic_repeated",
    failures=[
        ("com.example.IdsTest.firstIdIsOne", "expected: <u-1> but was: <u-2>", "IdsTest.java:15"),
        (
            "com.example.IdsTest.validIds",
            "B-2 should be valid ==> expected: <true> but was: <false>",
            "IdsTest.java:20",
        ),
    ],
    note="@RepeatedTest and @TestFactory: Surefire's Results list Run N: lines under the test",
)
label(
    "b5t_gradle_junit4_before_error",
    failures=[
        (
            "demo.ConfigTest > readsPort",
            "java.lang.NumberFormatException at ConfigTest.java:14",
            "ConfigTest.java:14",
        ),
        (
            "demo.HostTest > hostIsLocal",
            "java.lang.AssertionError at HostTest.java:9",
            "HostTest.java:9",
        ),
    ],
    note="an exception in @Before fails the test",
)
label(
    "b5t_rspec_shared_examples_doc",
    failures=[
        (
            "Circle is not pending any more",
            "Expected pending 'circles were approximated' to fail. No error was raised.",
            "spec/shapes_spec.rb:22",
        ),
        (
            "Circle behaves like a shape has area 3.14",
            "expected 3 to be within 0.01 of 3.14",
            "spec/shapes_spec.rb:9",
        ),
    ],
    key=["expected 3 to be within 0.01 of 3.14"],
    note="documentation format, shared examples ([2:1:2] id), a pending example that passed (FIXED)",
)
label(
    "b5t_test_unit",
    failures=[
        (
            "test_nil(VersionTest)",
            "NoMethodError: undefined method `split' for nil:NilClass",
            "test/run_test.rb:14",
        ),
        (
            "test_two_parts(VersionTest)",
            "NoMethodError: undefined method `+' for nil:NilClass",
            "test/run_test.rb:10",
        ),
    ],
    note="ruby test-unit 3.5: Error: test(Class): blocks with a code excerpt",
)
label(
    "b5t_phpunit_testdox_diff",
    failures=[
        (
            "Words are split",
            "Failed asserting that two arrays are identical.",
            "tests/SlugTest.php:9",
        )
    ],
    note="--testdox: prose names with │-prefixed details, repeated in a summary",
)

# -- third collection: after the second round of engine changes, before any further one -------

add(
    py(
        "b5t_pytest_tb_no_maxfail",
        [PYTEST + " -q --tb=no --maxfail=2 tests"],
        {
            "tests/test_ranges.py": "def span(xs):\n    return max(xs) - min(xs)\n\n\ndef test_span():\n    assert span([3, 1, 2]) == 2\n\n\ndef test_span_single():\n    assert span([5]) == 5\n\n\ndef test_span_empty():\n    assert span([]) == 0\n\n\ndef test_span_negative():\n    assert span([-1, -4]) == -3\n",
        },
    ),
    py(
        "b5t_pytest_fixture_not_found_approx",
        [PYTEST + " -q tests"],
        {
            "tests/test_geo.py": "import math\n\nimport pytest\n\n\ndef test_area(unit_circle):\n    assert unit_circle.area == math.pi\n\n\ndef test_hypot():\n    assert math.hypot(1, 1) == pytest.approx(1.4142, abs=1e-6)\n",
        },
    ),
    py(
        "b5t_unittest_unexpected_success_buffer",
        ["python -m unittest -b -v test_tokens"],
        {
            "test_tokens.py": 'import unittest\n\n\ndef tokens(s):\n    print(f"tokenising {s!r}")\n    return s.split()\n\n\nclass TokenTest(unittest.TestCase):\n    @unittest.expectedFailure\n    def test_quotes_are_kept_together(self):\n        self.assertEqual(tokens("a b"), ["a", "b"])\n\n    def test_tabs(self):\n        self.assertListEqual(tokens("a\\tb"), ["a\\tb"])\n',
        },
        tool="unittest",
        version="python --version",
    ),
    js(
        "b5t_jest_throw_non_error_failing",
        "jest",
        ["jest --ci --silent"],
        {
            "src/load.test.js": "function load(name) {\n  console.error(`loading ${name}`);\n  if (!name.endsWith('.json')) throw { code: 'EBADNAME', name };\n  return {};\n}\n\ntest('loads json', () => {\n  expect(load('a.json')).toEqual({});\n});\n\ntest('rejects yaml', () => {\n  expect(load('a.yaml')).toBeUndefined();\n});\n\ntest('throws a typed error', () => {\n  expect(() => load('a.txt')).toThrow(TypeError);\n});\n",
        },
    ),
    js(
        "b5t_vitest_before_all_hook",
        "vitest",
        ["vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/db.test.js": "import { describe, it, beforeAll, expect } from 'vitest';\n\ndescribe('db', () => {\n  let rows;\n  beforeAll(() => {\n    rows = JSON.parse('[{\"id\": 1}').map((r) => r.id);\n  });\n  it('has one row', () => {\n    expect(rows).toHaveLength(1);\n  });\n});\n\ndescribe('ids', () => {\n  it('match an object', () => {\n    expect({ id: 1, name: 'a', tags: [] }).toMatchObject({ id: 1, tags: ['x'] });\n  });\n});\n",
        },
    ),
    js(
        "b5t_mocha_tap_uncaught",
        "mocha",
        ["mocha --reporter tap"],
        {
            "test/events.test.js": "const assert = require('assert');\nconst { EventEmitter } = require('events');\n\ndescribe('emitter', function () {\n  it('passes the payload', function (done) {\n    const e = new EventEmitter();\n    e.on('x', (p) => {\n      assert.strictEqual(p.id, 2);\n      done();\n    });\n    setImmediate(() => e.emit('x', { id: 1 }));\n  });\n  it('counts listeners', function () {\n    const e = new EventEmitter();\n    e.on('y', () => {});\n    assert.equal(e.listenerCount('y'), 2);\n  });\n});\n",
        },
    ),
    js(
        "b5t_node_test_dot_plan",
        "node:test",
        ["node --test --test-reporter=dot"],
        {
            "test/plan.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n\ntest('plans two assertions', (t) => {\n  t.plan(2);\n  t.assert.ok(true);\n});\n\ntest('parses ints', () => {\n  assert.deepStrictEqual(['1', '2', '3'].map(parseInt), [1, 2, 3]);\n});\n",
        },
        version="node --version",
    ),
    go(
        "b5t_go_parallel_subtests_skip",
        ["go test -count=1 ./..."],
        {
            "conv/conv.go": 'package conv\n\nimport "strconv"\n\n// Bool parses yes/no/true/false.\nfunc Bool(s string) (bool, error) {\n\tswitch s {\n\tcase "yes":\n\t\treturn true, nil\n\tcase "no":\n\t\treturn false, nil\n\t}\n\treturn strconv.ParseBool(s)\n}\n',
            "conv/conv_test.go": 'package conv\n\nimport "testing"\n\nfunc TestBool(t *testing.T) {\n\tfor _, tc := range []struct {\n\t\tin   string\n\t\twant bool\n\t}{{"yes", true}, {"Y", true}, {"off", false}, {"0", false}} {\n\t\ttc := tc\n\t\tt.Run(tc.in, func(t *testing.T) {\n\t\t\tt.Parallel()\n\t\t\tgot, err := Bool(tc.in)\n\t\t\tif err != nil {\n\t\t\t\tt.Fatalf("Bool(%q): %v", tc.in, err)\n\t\t\t}\n\t\t\tif got != tc.want {\n\t\t\t\tt.Errorf("Bool(%q) = %v", tc.in, got)\n\t\t\t}\n\t\t})\n\t}\n}\n\nfunc TestNetwork(t *testing.T) {\n\tif testing.Short() || true {\n\t\tt.Skip("needs network")\n\t}\n}\n',
        },
    ),
    rust(
        "b5t_cargo_test_quiet_assert_msg",
        ["cargo test --offline -q"],
        {
            "src/lib.rs": 'pub fn median(xs: &mut Vec<i32>) -> Option<i32> {\n    xs.sort();\n    xs.get(xs.len() / 2).copied()\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn median_of_even_length() {\n        let mut v = vec![4, 1, 3, 2];\n        let m = median(&mut v);\n        assert!(m == Some(2) || m == Some(3), "median of {:?} was {:?}", v, m);\n    }\n\n    #[test]\n    fn median_of_empty() {\n        assert_ne!(median(&mut vec![]), None);\n    }\n\n    #[test]\n    #[ignore]\n    fn slow() {}\n}\n',
        },
    ),
    rust(
        "b5t_cargo_test_compile_error",
        ["cargo test --offline"],
        {
            "src/lib.rs": 'pub fn greet(name: &str) -> String {\n    format!("hi {name}")\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn greets() {\n        assert_eq!(greet(String::from("a")), "hi a");\n    }\n}\n',
        },
        category="build",
    ),
    mvn(
        "b5t_mvn_quiet_valuesource_iterable",
        ["mvn -B -o -q test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Words.java": 'package com.example;\n\nimport java.util.Arrays;\nimport java.util.List;\n\npublic final class Words {\n  private Words() {}\n\n  public static List<String> split(String s) { return Arrays.asList(s.split(" ")); }\n\n  public static boolean isBlank(String s) { return s.trim().isEmpty(); }\n}\n',
            "src/test/java/com/example/WordsTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertIterableEquals;\nimport static org.junit.jupiter.api.Assertions.assertTrue;\n\nimport java.util.List;\nimport org.junit.jupiter.api.Test;\nimport org.junit.jupiter.params.ParameterizedTest;\nimport org.junit.jupiter.params.provider.ValueSource;\n\nclass WordsTest {\n  @Test\n  void splitsOnRuns() {\n    assertIterableEquals(List.of("a", "b"), Words.split("a  b"));\n  }\n\n  @ParameterizedTest\n  @ValueSource(strings = {"", "  ", "\\t", "\\u00a0"})\n  void blank(String s) {\n    assertTrue(Words.isBlank(s));\n  }\n}\n',
        },
    ),
    gradle(
        "b5t_gradle_exception_format_full",
        "gradle --no-daemon --console=plain --offline test",
        {
            "build.gradle": "apply plugin: 'java'\nsourceCompatibility = 1.8\nrepositories { mavenLocal() }\ndependencies { testCompile 'junit:junit:4.13.2' }\ntest { testLogging { exceptionFormat 'full'; events 'failed' } }\n",
            "src/main/java/demo/Temp.java": "package demo;\n\npublic class Temp {\n  public static double toF(double c) { return c * 9 / 5 + 23; }\n}\n",
            "src/test/java/demo/TempTest.java": 'package demo;\n\nimport static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\npublic class TempTest {\n  @Test public void freezing() { assertEquals("freezing point", 32.0, Temp.toF(0), 1e-9); }\n\n  @Test public void body() { assertEquals(98.6, Temp.toF(37), 0.01); }\n}\n',
        },
    ),
    ruby(
        "b5t_rspec_before_context_fail_fast",
        "rspec",
        ["rspec --no-color --fail-fast"],
        {
            "spec/api_spec.rb": "require 'json'\n\nRSpec.describe 'API client' do\n  before(:context) do\n    @config = JSON.parse(File.read('config/api.json'))\n  end\n\n  it 'has a base url' do\n    expect(@config['base_url']).to start_with('https://')\n  end\n\n  it 'has a timeout' do\n    expect(@config['timeout']).to be_positive\n  end\nend\n",
            "spec/math_spec.rb": "RSpec.describe Integer do\n  it 'changes a counter' do\n    n = 0\n    expect { n += 2 }.to change { n }.by(1)\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    ruby(
        "b5t_minitest_setup_error_skip",
        "minitest",
        ["ruby -Ilib -Itest test/queue_test.rb -v --seed 7"],
        {
            "test/queue_test.rb": "require 'minitest/autorun'\n\nclass QueueTest < Minitest::Test\n  def setup\n    @q = Thread::Queue.new\n    @q << 1\n    @max = Integer(ENV.fetch('QUEUE_MAX'))\n  end\n\n  def test_size\n    assert_equal 1, @q.size\n  end\n\n  def test_later\n    skip 'not yet'\n  end\nend\n",
        },
    ),
    phpunit(
        "b5t_phpunit_expect_exception_warning",
        {
            "src/Money.php": "<?php\nnamespace App;\n\nfinal class Money\n{\n    public static function parse(string $s): int\n    {\n        $parts = explode('.', $s);\n        return (int) $parts[0] * 100 + (int) $parts[1];\n    }\n}\n",
            "tests/MoneyTest.php": "<?php\nuse App\\Money;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class MoneyTest extends TestCase\n{\n    public function testRejectsLetters(): void\n    {\n        $this->expectException(InvalidArgumentException::class);\n        Money::parse('1.x0');\n    }\n\n    public function testWholeAmount(): void\n    {\n        $this->assertSame(500, Money::parse('5'));\n    }\n\n    public function testCanonical(): void\n    {\n        $this->assertEqualsCanonicalizing([1, 2, 3], [3, 1, 2, 4]);\n    }\n}\n",
        },
    ),
)
label(
    "b5t_pytest_tb_no_maxfail",
    failures=[
        ("tests/test_ranges.py::test_span_single", "assert 0 == 5", None),
        (
            "tests/test_ranges.py::test_span_empty",
            "ValueError: max() arg is an empty sequence",
            None,
        ),
    ],
    note="--tb=no: only the short summary; --maxfail=2 stops the run",
)
label(
    "b5t_pytest_fixture_not_found_approx",
    failures=[
        ("tests/test_geo.py::test_area", "fixture 'unit_circle' not found", "tests/test_geo.py:6"),
        (
            "tests/test_geo.py::test_hypot",
            "assert 1.4142135623730951 == 1.4142 ± 1.0e-06",
            "tests/test_geo.py:11",
        ),
    ],
    note="a missing fixture (ERROR at setup, 'file …, line N' header) and a pytest.approx failure",
)
label(
    "b5t_unittest_unexpected_success_buffer",
    failures=[
        (
            "test_tokens.TokenTest.test_tabs",
            "AssertionError: Lists differ: ['a', 'b'] != ['a\\tb']",
            "test_tokens.py:15",
        ),
        ("test_tokens.TokenTest.test_quotes_are_kept_together", "unexpected success", None),
    ],
    key=["AssertionError: Lists differ: ['a', 'b'] != ['a\\tb']"],
    note="-b buffers stdout (Stdout: blocks); an expectedFailure that passed fails the run",
)
label(
    "b5t_jest_throw_non_error_failing",
    failures=[
        ("rejects yaml", "thrown: Object {", "src/load.test.js:11"),
        ("throws a typed error", "expect(received).toThrow(expected)", "src/load.test.js:16"),
    ],
    note="a thrown plain object (thrown: …); --silent hides console.error",
)
label(
    "b5t_vitest_before_all_hook",
    failures=[
        (
            "test/db.test.js > db",
            "SyntaxError: Expected ',' or ']' after array element in JSON at position 10",
            "test/db.test.js:6",
        ),
        (
            "test/db.test.js > ids > match an object",
            "AssertionError: expected { id: 1, name: 'a', tags: [] } to match object { id: 1, tags: [ 'x' ] }",
            "test/db.test.js:15",
        ),
    ],
    note="a beforeAll hook fails the suite (Failed Suites section, its test skipped)",
)
label(
    "b5t_mocha_tap_uncaught",
    failures=[
        (
            "emitter passes the payload",
            "Expected values to be strictly equal:",
            "test/events.test.js:8",
        ),
        ("emitter counts listeners", "1 == 2", "test/events.test.js:16"),
    ],
    note="mocha's TAP reporter (no dash after the number); an assertion thrown in an event handler",
)
label(
    "b5t_node_test_dot_plan",
    failures=[
        ("plans two assertions", "plan expected 2 assertions but received 1", None),
        (
            "parses ints",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:",
            "test/plan.test.js:10",
        ),
    ],
    note="dot reporter: only the Failed tests: section names them; t.plan mismatch",
)
label(
    "b5t_go_parallel_subtests_skip",
    tests=["TestBool/off", "TestBool/Y", "TestBool"],
    failures=[
        (
            "TestBool/off",
            'conv_test.go:15: Bool("off"): strconv.ParseBool: parsing "off": invalid syntax',
            "conv/conv_test.go:15",
        ),
        (
            "TestBool/Y",
            'conv_test.go:15: Bool("Y"): strconv.ParseBool: parsing "Y": invalid syntax',
            "conv/conv_test.go:15",
        ),
    ],
    note="t.Parallel sub-tests report after the parent's sequential part; a skipped test",
)
label(
    "b5t_cargo_test_quiet_assert_msg",
    failures=[("tests::median_of_empty", "assertion `left != right` failed", "src/lib.rs:19")],
    note="cargo test -q: 'name --- FAILED' progress form; an ignored test",
)
label(
    "b5t_cargo_test_compile_error",
    key=["error[E0308]: mismatched types"],
    note="the test module does not compile: no test ran",
)
label(
    "b5t_mvn_quiet_valuesource_iterable",
    failures=[
        ("WordsTest.blank", "expected: <true> but was: <false>", "WordsTest.java:20"),
        (
            "WordsTest.splitsOnRuns",
            "iterable contents differ at index [1], expected: <b> but was: <>",
            "WordsTest.java:14",
        ),
    ],
    key=["iterable contents differ at index [1], expected: <b> but was: <>"],
    note="mvn -q: no INFO lines; @ValueSource invocation [4]",
)
label(
    "b5t_gradle_exception_format_full",
    failures=[
        (
            "demo.TempTest > freezing",
            "java.lang.AssertionError: freezing point expected:<32.0> but was:<23.0>",
            "TempTest.java:8",
        ),
        (
            "demo.TempTest > body",
            "java.lang.AssertionError: expected:<98.6> but was:<89.6>",
            "TempTest.java:10",
        ),
    ],
    note="testLogging exceptionFormat 'full': the exception message and frames under each test",
)
label(
    "b5t_rspec_before_context_fail_fast",
    failures=[
        ("API client has a base url", "Errno::ENOENT:", "spec/api_spec.rb:5"),
        ("API client has a timeout", "Errno::ENOENT:", "spec/api_spec.rb:5"),
    ],
    key=["No such file or directory @ rb_sysopen - config/api.json"],
    note="a before(:context) hook raising fails every example of the group",
)
label(
    "b5t_minitest_setup_error_skip",
    failures=[
        ("QueueTest#test_later", 'KeyError: key not found: "QUEUE_MAX"', "test/queue_test.rb:7"),
        ("QueueTest#test_size", 'KeyError: key not found: "QUEUE_MAX"', "test/queue_test.rb:7"),
    ],
    note="an error in setup: every test errors (the skip never ran)",
)
label(
    "b5t_phpunit_expect_exception_warning",
    failures=[
        ("MoneyTest::testWholeAmount", "Undefined array key 1", "tests/MoneyTest.php:15"),
        (
            "MoneyTest::testRejectsLetters",
            'Failed asserting that exception of type "InvalidArgumentException" is thrown.',
            None,
        ),
        (
            "MoneyTest::testCanonical",
            "Failed asserting that two arrays are equal.",
            "tests/MoneyTest.php:20",
        ),
    ],
    key=["Undefined array key 1"],
    note="a PHP warning turned error, expectException not met, a canonical-equality diff",
)

# -- fourth collection: after the third round of engine changes, before any further one -------

add(
    py(
        "b5t_pytest_chained_exception_logs",
        [PYTEST + " -q -ra tests"],
        {
            "tests/test_loader.py": 'import json\nimport logging\n\nimport pytest\n\nlog = logging.getLogger("loader")\n\n\nclass ConfigError(Exception):\n    pass\n\n\ndef load(text):\n    log.warning("loading %d bytes", len(text))\n    try:\n        return json.loads(text)\n    except json.JSONDecodeError as exc:\n        raise ConfigError("config is not valid JSON") from exc\n\n\ndef test_load_valid():\n    assert load("{}") == {}\n\n\ndef test_load_trailing_comma():\n    assert load(\'{"a": 1,}\') == {"a": 1}\n\n\n@pytest.mark.skip(reason="needs a server")\ndef test_remote():\n    pass\n\n\n@pytest.mark.xfail(reason="known bug")\ndef test_known():\n    assert False\n',
        },
    ),
    py(
        "b5t_unittest_import_failure",
        ["python -m unittest discover -s tests -t . -v"],
        {
            "tests/__init__.py": "",
            "tests/test_ok.py": "import unittest\n\n\nclass OkTest(unittest.TestCase):\n    def test_ok(self):\n        self.assertTrue(True)\n",
            "tests/test_report.py": "import unittest\n\nfrom app.report import render\n\n\nclass ReportTest(unittest.TestCase):\n    def test_render(self):\n        self.assertEqual(render([]), '')\n",
        },
        category="build",
        tool="unittest",
        version="python --version",
    ),
    js(
        "b5t_jest_mock_calls",
        "jest",
        ["jest --ci --verbose"],
        {
            "src/notify.js": "function notify(users, send) {\n  users.filter((u) => u.active).forEach((u) => send(u.email, 'hello'));\n}\nmodule.exports = { notify };\n",
            "src/notify.test.js": "const { notify } = require('./notify');\n\ndescribe('notify', () => {\n  it('sends to active users', () => {\n    const send = jest.fn();\n    notify([{ email: 'a@x', active: true }, { email: 'b@x', active: false }], send);\n    expect(send).toHaveBeenCalledWith('a@x', 'hi');\n  });\n\n  it('sends once per user', () => {\n    const send = jest.fn();\n    notify([{ email: 'a@x', active: true }], send);\n    expect(send).toHaveBeenCalledTimes(2);\n  });\n});\n",
        },
    ),
    js(
        "b5t_vitest_suite_import_error",
        "vitest",
        ["vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/ok.test.js": "import { test, expect } from 'vitest';\n\ntest('ok', () => {\n  expect(1 + 1).toBe(2);\n});\n",
            "test/cart.test.js": "import { test, expect } from 'vitest';\nimport { total } from '../src/cart.js';\n\ntest('total', () => {\n  expect(total([])).toBe(0);\n});\n",
        },
        category="build",
    ),
    js(
        "b5t_mocha_retries_spec",
        "mocha",
        ["mocha --reporter spec"],
        {
            "test/retry.test.js": "const assert = require('assert');\n\nlet calls = 0;\n\ndescribe('flaky service', function () {\n  this.retries(2);\n  it('eventually answers', function () {\n    calls += 1;\n    assert.ok(calls >= 2, `not ready after ${calls} call(s)`);\n  });\n  it('returns json', function () {\n    assert.deepEqual(JSON.parse('{\"ok\":true}'), { ok: false });\n  });\n});\n",
        },
    ),
    js(
        "b5t_node_test_hook_failure",
        "node:test",
        ["node --test --test-reporter=spec"],
        {
            "test/session.test.js": "const { describe, it, beforeEach } = require('node:test');\nconst assert = require('node:assert');\n\ndescribe('session', () => {\n  let s;\n  beforeEach(() => {\n    s = new Map(JSON.parse(process.env.SESSION_SEED || 'oops'));\n  });\n  it('starts empty', () => {\n    assert.strictEqual(s.size, 0);\n  });\n});\n",
        },
        version="node --version",
    ),
    go(
        "b5t_go_diff_message_cleanup",
        ["go test ./..."],
        {
            "render/render.go": 'package render\n\nimport "strings"\n\n// Lines renders key=value lines.\nfunc Lines(kv map[string]string, keys []string) string {\n\tvar b strings.Builder\n\tfor _, k := range keys {\n\t\tb.WriteString(k + "=" + kv[k] + "\\n")\n\t}\n\treturn b.String()\n}\n',
            "render/render_test.go": 'package render\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestLines(t *testing.T) {\n\tgot := Lines(map[string]string{"a": "1", "b": "2"}, []string{"b", "a"})\n\twant := "a=1\\nb=2\\n"\n\tif got != want {\n\t\tt.Errorf("Lines() mismatch (-want +got):\\n-%q\\n+%q", want, got)\n\t}\n}\n\nfunc TestTempDir(t *testing.T) {\n\tdir := t.TempDir()\n\tt.Cleanup(func() {\n\t\tif _, err := os.Stat(dir + "/out.txt"); err != nil {\n\t\t\tt.Errorf("cleanup: expected output file: %v", err)\n\t\t}\n\t})\n}\n',
        },
    ),
    rust(
        "b5t_cargo_doctest_compile_fail",
        ["cargo test --offline --doc"],
        {
            "src/lib.rs": "/// Adds one.\n///\n/// ```\n/// let x = demo::inc(1);\n/// assert_eq!(y, 2);\n/// ```\npub fn inc(x: i32) -> i32 {\n    x + 1\n}\n",
        },
    ),
    rust(
        "b5t_cargo_test_nocapture_debug",
        ["cargo test --offline -- --nocapture"],
        {
            "src/lib.rs": '#[derive(Debug, PartialEq)]\npub struct Point {\n    pub x: i32,\n    pub y: i32,\n}\n\npub fn mid(a: &Point, b: &Point) -> Point {\n    Point { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn midpoint() {\n        let a = Point { x: 0, y: 0 };\n        let b = Point { x: 3, y: 5 };\n        println!("computing midpoint of {:?} and {:?}", a, b);\n        assert_eq!(mid(&a, &b), Point { x: 2, y: 3 }, "{:#?}", (a, b));\n    }\n}\n',
        },
    ),
    mvn(
        "b5t_mvn_reactor_module_tests",
        ["mvn -B -o -ntp test"],
        {
            "pom.xml": '<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId><artifactId>parent</artifactId><version>1.0</version><packaging>pom</packaging>\n  <modules><module>core</module><module>web</module></modules>\n</project>\n',
            "core/pom.xml": pom(
                "core",
                parent="<parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent>",
            ),
            "core/src/main/java/com/example/core/Slug.java": "package com.example.core;\n\npublic final class Slug {\n  private Slug() {}\n\n  public static String of(String s) { return s.toLowerCase().replace(' ', '-'); }\n}\n",
            "core/src/test/java/com/example/core/SlugTest.java": 'package com.example.core;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass SlugTest {\n  @Test\n  void lowerCases() { assertEquals("ab", Slug.of("AB")); }\n}\n',
            "web/pom.xml": pom(
                "web",
                parent="<parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent>",
            ),
            "web/src/main/java/com/example/web/Route.java": 'package com.example.web;\n\npublic final class Route {\n  private Route() {}\n\n  public static String path(String name) { return "/" + name; }\n}\n',
            "web/src/test/java/com/example/web/RouteTest.java": 'package com.example.web;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\nimport static org.junit.jupiter.api.Assertions.assertThrows;\n\nimport org.junit.jupiter.api.DisplayName;\nimport org.junit.jupiter.api.Test;\n\nclass RouteTest {\n  @Test\n  @DisplayName("paths end with a slash")\n  void trailingSlash() { assertEquals("/users/", Route.path("users")); }\n\n  @Test\n  void rejectsNull() { assertThrows(IllegalArgumentException.class, () -> Route.path(null), "null name"); }\n}\n',
        },
    ),
    ruby(
        "b5t_rspec_mock_expectation",
        "rspec",
        ["rspec --no-color"],
        {
            "lib/mailer.rb": "class Mailer\n  def initialize(client) = @client = client\n\n  def welcome(user)\n    @client.deliver(to: user, subject: 'Welcome')\n  end\nend\n",
            "spec/mailer_spec.rb": "require_relative '../lib/mailer'\n\nRSpec.describe Mailer do\n  let(:client) { double('client') }\n\n  it 'delivers a welcome mail' do\n    expect(client).to receive(:deliver).with(to: 'ann@x', subject: 'Hello')\n    Mailer.new(client).welcome('ann@x')\n  end\n\n  it 'delivers twice for two users' do\n    allow(client).to receive(:deliver)\n    Mailer.new(client).welcome('a')\n    expect(client).to have_received(:deliver).twice\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    ruby(
        "b5t_minitest_mock_verify",
        "minitest",
        ["ruby -Itest test/pay_test.rb --seed 3"],
        {
            "test/pay_test.rb": "require 'minitest/autorun'\nrequire 'minitest/mock'\n\nclass Pay\n  def initialize(gw) = @gw = gw\n  def charge(cents) = cents.positive? ? @gw.charge(cents) : nil\nend\n\nclass PayTest < Minitest::Test\n  def test_charges_gateway\n    gw = Minitest::Mock.new\n    gw.expect(:charge, true, [500])\n    Pay.new(gw).charge(0)\n    gw.verify\n  end\n\n  def test_refuses_strings\n    assert_raises(TypeError) { Pay.new(nil).charge('5') }\n  end\nend\n",
        },
    ),
    phpunit(
        "b5t_phpunit_stop_on_failure_contains",
        {
            "src/Greeter.php": "<?php\nnamespace App;\n\nfinal class Greeter\n{\n    public static function hello(string $name): string\n    {\n        return 'Hi ' . $name;\n    }\n}\n",
            "tests/GreeterTest.php": "<?php\nuse App\\Greeter;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class GreeterTest extends TestCase\n{\n    public function testHello(): void\n    {\n        $this->assertStringContainsString('Hello', Greeter::hello('Ann'));\n    }\n\n    public function testName(): void\n    {\n        $this->assertStringEndsWith('Ann!', Greeter::hello('Ann'));\n    }\n}\n",
        },
        cmd="phpunit --stop-on-failure",
    ),
)
label(
    "b5t_pytest_chained_exception_logs",
    failures=[
        (
            "tests/test_loader.py::test_load_trailing_comma",
            "test_loader.ConfigError: config is not valid JSON",
            "tests/test_loader.py:26",
        )
    ],
    note="chained exception ('direct cause'), captured log section, -ra summary with SKIPPED/XFAIL lines",
)
label(
    "b5t_unittest_import_failure",
    key=["ModuleNotFoundError: No module named 'app'"],
    note="a test module that does not import (unittest.loader._FailedTest): build, as pytest collection errors are",
)
label(
    "b5t_jest_mock_calls",
    failures=[
        (
            "notify › sends to active users",
            "expect(jest.fn()).toHaveBeenCalledWith(...expected)",
            "src/notify.test.js:7",
        ),
        (
            "notify › sends once per user",
            "expect(jest.fn()).toHaveBeenCalledTimes(expected)",
            "src/notify.test.js:13",
        ),
    ],
)
label(
    "b5t_vitest_suite_import_error",
    key=["Error: Failed to load url ../src/cart.js (resolved id: ../src/cart.js)"],
    note="a test file imports a module that does not exist: Failed Suites, no test ran in it (build)",
)
label(
    "b5t_mocha_retries_spec",
    failures=[
        (
            "flaky service returns json",
            "AssertionError [ERR_ASSERTION]: Expected values to be loosely deep-equal:",
            "test/retry.test.js:12",
        )
    ],
    note="this.retries(2): a test that passed on retry is not a failure",
)
label(
    "b5t_node_test_hook_failure",
    failures=[
        (
            "starts empty",
            "SyntaxError [Error]: Unexpected token 'o', \"oops\" is not valid JSON",
            "test/session.test.js:7",
        )
    ],
    note="a beforeEach hook throws: the test fails with the hook's error",
)
label(
    "b5t_go_diff_message_cleanup",
    failures=[
        (
            "TestLines",
            "render_test.go:12: Lines() mismatch (-want +got):",
            "render/render_test.go:12",
        ),
        (
            "TestTempDir",
            "render_test.go:20: cleanup: expected output file:",
            "render/render_test.go:20",
        ),
    ],
    note="a multi-line diff message; an error reported from t.Cleanup",
)
label(
    "b5t_cargo_doctest_compile_fail",
    key=["error[E0425]: cannot find value `y` in this scope"],
    note="a doc test that does not compile (Couldn't compile the test): build, as a test binary that does not compile",
)
label(
    "b5t_cargo_test_nocapture_debug",
    failures=[("tests::midpoint", "assertion `left == right` failed: (", "src/lib.rs:20")],
    key=["assertion `left == right` failed: ("],
    note="--nocapture: the panic prints before the 'test … FAILED' line, with a {:#?} message",
)
label(
    "b5t_mvn_reactor_module_tests",
    failures=[
        (
            "RouteTest.rejectsNull",
            "null name ==> Expected java.lang.IllegalArgumentException to be thrown, but nothing was thrown.",
            "RouteTest.java:15",
        ),
        ("RouteTest.trailingSlash", "expected: </users/> but was: </users>", "RouteTest.java:12"),
    ],
    key=["expected: </users/> but was: </users>"],
    note="multi-module reactor: the second module's tests fail (-rf :web)",
)
label(
    "b5t_rspec_mock_expectation",
    failures=[
        (
            "Mailer delivers a welcome mail",
            '#<Double "client"> received :deliver with unexpected arguments',
            "spec/mailer_spec.rb:8",
        ),
        (
            "Mailer delivers twice for two users",
            '(Double "client").deliver(*(any args))',
            "spec/mailer_spec.rb:14",
        ),
    ],
    note="rspec-mocks: unexpected arguments (raised inside lib/) and have_received counts",
)
label(
    "b5t_minitest_mock_verify",
    failures=[
        (
            "PayTest#test_refuses_strings",
            "[TypeError] exception expected, not",
            "test/pay_test.rb:18",
        ),
        (
            "PayTest#test_charges_gateway",
            "MockExpectationError: expected charge(500) => true",
            "test/pay_test.rb:14",
        ),
    ],
)
label(
    "b5t_phpunit_stop_on_failure_contains",
    failures=[
        (
            "GreeterTest::testHello",
            "Failed asserting that 'Hi Ann' contains \"Hello\".",
            "tests/GreeterTest.php:9",
        )
    ],
    note="--stop-on-failure: the second test never ran",
)

# -- fifth collection: after the fourth round of engine changes, before any further one -------

add(
    py(
        "b5t_pytest_nested_classes_param_marks",
        [PYTEST + " -q -rfE tests"],
        {
            "tests/test_tree.py": 'import pytest\n\n\ndef depth(t):\n    return 0 if not t else 1 + max(depth(c) for c in t)\n\n\nclass TestTree:\n    class TestDepth:\n        @pytest.mark.parametrize(\n            "tree,want",\n            [\n                pytest.param([], 0, id="empty tree"),\n                pytest.param([[]], 1, id="one leaf"),\n                pytest.param([[[]], []], 3, id="two levels"),\n            ],\n        )\n        def test_depth(self, tree, want):\n            assert depth(tree) == want\n\n    def test_empty_is_falsy(self):\n        assert not depth([[]])\n',
        },
    ),
    py(
        "b5t_unittest_self_fail_cleanup",
        ["python -m unittest -v test_jobs"],
        {
            "test_jobs.py": 'import unittest\n\n\nclass JobTest(unittest.TestCase):\n    def setUp(self):\n        self.addCleanup(self.release)\n\n    def release(self):\n        raise RuntimeError("lock was already released")\n\n    def test_runs(self):\n        self.assertTrue(True)\n\n    def test_timeout_configured(self):\n        timeout = None\n        if timeout is None:\n            self.fail("JOB_TIMEOUT must be configured")\n',
        },
        tool="unittest",
        version="python --version",
    ),
    js(
        "b5t_jest_console_noise",
        "jest",
        ["jest --ci"],
        {
            "src/retry.js": "async function retry(fn, times) {\n  for (let i = 0; i < times; i++) {\n    try {\n      return await fn();\n    } catch (e) {\n      console.log(`attempt ${i + 1} failed: ${e.message}`);\n    }\n  }\n  throw new Error(`gave up after ${times} attempts`);\n}\nmodule.exports = { retry };\n",
            "src/retry.test.js": "const { retry } = require('./retry');\n\ntest('retries until success', async () => {\n  let n = 0;\n  const v = await retry(async () => {\n    n += 1;\n    if (n < 3) throw new Error('busy');\n    return n;\n  }, 2);\n  expect(v).toBe(3);\n});\n",
        },
    ),
    js(
        "b5t_vitest_verbose_tree_objects",
        "vitest",
        ["vitest run --reporter=verbose"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/plural.test.js": "import { describe, it, expect } from 'vitest';\n\nconst plural = (n, w) => `${n} ${w}${n > 1 ? 's' : ''}`;\n\ndescribe('plural', () => {\n  describe('english', () => {\n    it.each([\n      { n: 1, word: 'cat', want: '1 cat' },\n      { n: 0, word: 'cat', want: '0 cats' },\n      { n: 2, word: 'box', want: '2 boxes' },\n    ])('$n $word -> $want', ({ n, word, want }) => {\n      expect(plural(n, word)).toBe(want);\n    });\n  });\n});\n",
        },
    ),
    js(
        "b5t_mocha_before_each_hook",
        "mocha",
        ["mocha --reporter dot"],
        {
            "test/db.test.js": "const assert = require('assert');\n\nclass DbError extends Error {\n  constructor(msg) { super(msg); this.name = 'DbError'; }\n}\n\ndescribe('users table', function () {\n  beforeEach(function () {\n    throw new DbError('relation \"users\" does not exist');\n  });\n  it('inserts a row', function () {\n    assert.ok(true);\n  });\n  it('deletes a row', function () {\n    assert.ok(true);\n  });\n});\n\ndescribe('config', function () {\n  it('has a port', function () {\n    assert.strictEqual(typeof { port: '80' }.port, 'number', 'port must be a number');\n  });\n});\n",
        },
    ),
    js(
        "b5t_tap_base_reporter",
        "tap",
        ["tap --disable-coverage test/*.js"],
        {
            "test/queue.js": "const t = require('tap');\n\nconst q = [];\nt.test('push and shift', async (t) => {\n  q.push(1, 2);\n  t.equal(q.shift(), 2, 'first in, first out');\n  t.throws(() => JSON.parse('{'), SyntaxError);\n  t.throws(() => q.shift(), 'shift of a drained queue throws');\n});\n",
        },
    ),
    js(
        "b5t_ava_two_files",
        "ava",
        ["ava"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/slug.test.js": "import test from 'ava';\n\nconst slug = (s) => s.toLowerCase().replace(/ /g, '-');\n\ntest('collapses spaces', (t) => {\n  t.is(slug('a  b'), 'a-b', 'runs of spaces become one dash');\n});\n\ntest('keeps dashes', (t) => {\n  t.is(slug('a-b'), 'a-b');\n});\n",
            "test/trim.test.js": "import test from 'ava';\n\ntest('trims tabs', (t) => {\n  t.is('\\tx'.trim(), 'x');\n});\n\ntest('rejects null', async (t) => {\n  await t.throwsAsync(async () => null.trim(), { instanceOf: RangeError });\n});\n",
        },
    ),
    go(
        "b5t_go_nested_subtests_multiline",
        ["go test -v ./..."],
        {
            "path/path.go": 'package path\n\nimport "strings"\n\n// Clean drops empty segments.\nfunc Clean(p string) string {\n\tvar out []string\n\tfor _, s := range strings.Split(p, "/") {\n\t\tif s != "" && s != "." {\n\t\t\tout = append(out, s)\n\t\t}\n\t}\n\treturn "/" + strings.Join(out, "/")\n}\n',
            "path/path_test.go": 'package path\n\nimport "testing"\n\nfunc TestClean(t *testing.T) {\n\tt.Run("relative", func(t *testing.T) {\n\t\tt.Run("dot", func(t *testing.T) {\n\t\t\tif got := Clean("./a"); got != "a" {\n\t\t\t\tt.Errorf("Clean(%q)\\n got: %q\\nwant: %q", "./a", got, "a")\n\t\t\t}\n\t\t})\n\t\tt.Run("dotdot", func(t *testing.T) {\n\t\t\tif got := Clean("a/../b"); got != "/b" {\n\t\t\t\tt.Errorf("Clean(%q) = %q, want %q", "a/../b", got, "/b")\n\t\t\t}\n\t\t})\n\t})\n\tt.Run("absolute", func(t *testing.T) {\n\t\tif got := Clean("/a//b"); got != "/a/b" {\n\t\t\tt.Errorf("got %q", got)\n\t\t}\n\t})\n}\n',
        },
    ),
    go(
        "b5t_gotestsum_default_format",
        ["gotestsum -- -count=1 ./..."],
        {
            "size/size.go": PARSE_GO,
            "size/size_test.go": PARSE_TEST_GO,
            "util/util.go": "package util\n\n// Abs of an int.\nfunc Abs(a int) int {\n\tif a < 0 {\n\t\treturn a\n\t}\n\treturn a\n}\n",
            "util/util_test.go": 'package util\n\nimport "testing"\n\nfunc TestAbs(t *testing.T) {\n\tif Abs(-2) != 2 {\n\t\tt.Errorf("Abs(-2) = %d, want 2", Abs(-2))\n\t}\n}\n',
        },
        tool="gotestsum",
        version="gotestsum --version",
        needs=("go", "gotestsum"),
    ),
    rust(
        "b5t_cargo_test_multiple_targets",
        ["cargo test --offline --no-fail-fast"],
        {
            "src/lib.rs": 'pub fn parse_kv(s: &str) -> Option<(&str, &str)> {\n    s.split_once(\'=\')\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn no_equals() {\n        assert_eq!(super::parse_kv("abc"), Some(("abc", "")));\n    }\n}\n',
            "tests/cli.rs": '#[test]\nfn no_equals() {\n    let got = demo::parse_kv("k=");\n    assert!(got.is_none(), "empty value should be rejected, got {:?}", got);\n}\n\n#[test]\n#[should_panic]\nfn panics_on_nothing() {\n    demo::parse_kv("");\n}\n',
        },
    ),
    gradle(
        "b5t_gradle_hamcrest",
        "gradle --no-daemon --console=plain --offline test",
        {
            "build.gradle": "apply plugin: 'java'\nsourceCompatibility = 1.8\nrepositories { mavenLocal() }\ndependencies { testCompile 'junit:junit:4.13.2' }\ntest { testLogging { exceptionFormat 'full'; events 'failed' } }\n",
            "src/main/java/demo/Tags.java": 'package demo;\n\nimport java.util.Arrays;\nimport java.util.List;\n\npublic class Tags {\n  public static List<String> parse(String s) { return Arrays.asList(s.split(",")); }\n}\n',
            "src/test/java/demo/TagsTest.java": 'package demo;\n\nimport static org.hamcrest.MatcherAssert.assertThat;\nimport static org.hamcrest.Matchers.contains;\nimport static org.hamcrest.Matchers.hasSize;\n\nimport org.junit.Test;\n\npublic class TagsTest {\n  @Test public void trimsSpaces() { assertThat(Tags.parse("a, b"), contains("a", "b")); }\n\n  @Test public void emptyHasNone() { assertThat(Tags.parse(""), hasSize(0)); }\n}\n',
        },
        category="build",
    ),
    ruby(
        "b5t_rspec_raise_error_match_array",
        "rspec",
        ["rspec --no-color"],
        {
            "lib/parser.rb": "class ParseError < StandardError; end\n\nmodule Parser\n  def self.ints(s)\n    s.split(',').map { |x| Integer(x) }\n  rescue ArgumentError => e\n    raise ParseError, e.message\n  end\nend\n",
            "spec/parser_spec.rb": "require_relative '../lib/parser'\n\nRSpec.describe Parser do\n  it 'raises a helpful error' do\n    expect { Parser.ints('1,x') }.to raise_error(ParseError, /position 2/)\n  end\n\n  it 'parses in any order' do\n    expect(Parser.ints('3,1,2')).to match_array([1, 2, 3, 4])\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    ruby(
        "b5t_minitest_assert_match_flunk",
        "minitest",
        ["ruby -Itest test/url_test.rb --seed 11"],
        {
            "test/url_test.rb": "require 'minitest/autorun'\nrequire 'uri'\n\nclass UrlTest < Minitest::Test\n  def test_https\n    assert_match %r{\\Ahttps://}, URI.join('http://x.org', '/a').to_s\n  end\n\n  def test_not_implemented\n    flunk 'write this test'\n  end\n\n  def test_host\n    refute_nil URI('mailto:a@b').host, 'mailto URIs have no host'\n  end\nend\n",
        },
    ),
    phpunit(
        "b5t_phpunit_numeric_data_sets",
        {
            "src/Range.php": "<?php\nnamespace App;\n\nfinal class Range\n{\n    public static function contains(int $lo, int $hi, int $x): bool\n    {\n        return $x > $lo && $x < $hi;\n    }\n}\n",
            "tests/RangeTest.php": '<?php\nuse App\\Range;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class RangeTest extends TestCase\n{\n    public static function edges(): array\n    {\n        return [[1, 5, 3, true], [1, 5, 1, true], [1, 5, 5, true], [1, 5, 9, false]];\n    }\n\n    /** @dataProvider edges */\n    public function testContains(int $lo, int $hi, int $x, bool $want): void\n    {\n        $this->assertSame($want, Range::contains($lo, $hi, $x), "$x in [$lo, $hi]");\n    }\n}\n',
        },
    ),
)
label(
    "b5t_pytest_nested_classes_param_marks",
    failures=[
        (
            "tests/test_tree.py::TestTree::TestDepth::test_depth[two levels]",
            "assert 2 == 3",
            "tests/test_tree.py:19",
        ),
        (
            "tests/test_tree.py::TestTree::test_empty_is_falsy",
            "assert not 1",
            "tests/test_tree.py:22",
        ),
    ],
    note="nested test classes, pytest.param ids with spaces",
)
label(
    "b5t_unittest_self_fail_cleanup",
    failures=[
        (
            "test_jobs.JobTest.test_runs",
            "RuntimeError: lock was already released",
            "test_jobs.py:9",
        ),
        (
            "test_jobs.JobTest.test_timeout_configured",
            "AssertionError: JOB_TIMEOUT must be configured",
            "test_jobs.py:17",
        ),
    ],
    note="an addCleanup error (ERROR) and self.fail (FAIL) for the same test: its own failure is the FAIL",
)
label(
    "b5t_jest_console_noise",
    failures=[("retries until success", "gave up after 2 attempts", "src/retry.test.js:5")],
    note="console.log blocks (with 'at' frames) before the FAIL line",
)
label(
    "b5t_vitest_verbose_tree_objects",
    failures=[
        (
            "test/plural.test.js > plural > english > +0 'cat' -> '0 cats'",
            "AssertionError: expected '0 cat' to be '0 cats' // Object.is equality",
            "test/plural.test.js:12",
        ),
        (
            "test/plural.test.js > plural > english > 2 'box' -> '2 boxes'",
            "AssertionError: expected '2 boxs' to be '2 boxes' // Object.is equality",
            "test/plural.test.js:12",
        ),
    ],
    note="verbose reporter tree (✓/× with full names); it.each with $-interpolated object names",
)
label(
    "b5t_mocha_before_each_hook",
    failures=[
        (
            'users table "before each" hook for "inserts a row"',
            'DbError: relation "users" does not exist',
            "test/db.test.js:9",
        ),
        (
            "config has a port",
            "AssertionError [ERR_ASSERTION]: port must be a number",
            "test/db.test.js:21",
        ),
    ],
    note="a beforeEach hook throwing a custom Error class stops its describe",
)
label(
    "b5t_tap_base_reporter",
    failures=[("push and shift", "first in, first out", "test/queue.js:6")],
    key=["not ok 1 - first in, first out"],
    note="tap 18 default reporter without a TTY: TAP 14; two failing assertions in one sub-test",
)
label(
    "b5t_ava_two_files",
    failures=[
        (
            "trim › rejects null",
            "Returned promise rejected with unexpected exception:",
            "test/trim.test.js:8",
        ),
        ("slug › collapses spaces", "runs of spaces become one dash", "test/slug.test.js:6"),
    ],
    note="two test files: titles prefixed with the file (slug › …); an assertion message on the ✘ line",
)
label(
    "b5t_go_nested_subtests_multiline",
    tests=[
        "TestClean/relative/dot",
        "TestClean/relative/dotdot",
        "TestClean/relative",
        "TestClean",
    ],
    failures=[
        ("TestClean/relative/dot", 'path_test.go:9: Clean("./a")', "path/path_test.go:9"),
        (
            "TestClean/relative/dotdot",
            'path_test.go:14: Clean("a/../b") = "/a/../b", want "/b"',
            "path/path_test.go:14",
        ),
    ],
    note="-v, two levels of sub-tests, a message continued on indented lines",
)
label(
    "b5t_gotestsum_default_format",
    tests=["TestParse/mega", "TestParse/with_space", "TestParse", "TestAbs"],
    failures=[
        (
            "TestParse/mega",
            'size_test.go:23: Parse("3M") = 3000, want 3000000',
            "size/size_test.go:23",
        ),
        (
            "TestParse/with_space",
            'size_test.go:20: Parse("4 k") error: parse "4 ": strconv.Atoi: parsing "4 ": invalid syntax',
            "size/size_test.go:20",
        ),
        ("TestAbs", "util_test.go:7: Abs(-2) = -2, want 2", "util/util_test.go:7"),
    ],
    note="gotestsum's default (pkgname) format: ✖ package lines, then === Failed",
)
label(
    "b5t_cargo_test_multiple_targets",
    failures=[
        ("tests::no_equals", "assertion `left == right` failed", "src/lib.rs:9"),
        ("no_equals", 'empty value should be rejected, got Some(("k", ""))', "tests/cli.rs:4"),
        ("panics_on_nothing", "note: test did not panic as expected", "tests/cli.rs:9"),
    ],
    note="unit and integration targets, a should_panic that did not",
)
label(
    "b5t_gradle_hamcrest",
    key=["TagsTest.java:4: error: cannot find symbol"],
    note="the test sources do not compile (hamcrest-core has no Matchers): compileTestJava fails, no test ran",
)
label(
    "b5t_rspec_raise_error_match_array",
    failures=[
        (
            "Parser raises a helpful error",
            'expected ParseError with message matching /position 2/, got #<ParseError: invalid value for Integer(): "x"> with backtrace:',
            "spec/parser_spec.rb:5",
        ),
        (
            "Parser parses in any order",
            "expected collection contained: [1, 2, 3, 4]",
            "spec/parser_spec.rb:9",
        ),
    ],
)
label(
    "b5t_minitest_assert_match_flunk",
    failures=[
        ("UrlTest#test_host", "mailto URIs have no host.", "test/url_test.rb:14"),
        ("UrlTest#test_not_implemented", "write this test", "test/url_test.rb:10"),
        (
            "UrlTest#test_https",
            'Expected /\\Ahttps:\\/\\// to match "http://x.org/a".',
            "test/url_test.rb:6",
        ),
    ],
)
label(
    "b5t_phpunit_numeric_data_sets",
    failures=[
        ("RangeTest::testContains with data set #1", "1 in [1, 5]", "tests/RangeTest.php:15"),
        ("RangeTest::testContains with data set #2", "5 in [1, 5]", "tests/RangeTest.php:15"),
    ],
    note="data provider without keys: with data set #N",
)

# -- sixth collection: colour (ANSI) output, after the fifth round of engine changes ----------

COLOR = {"NO_COLOR": "", "FORCE_COLOR": "1", "CARGO_TERM_COLOR": "always", "CLICOLOR_FORCE": "1"}

add(
    b5(
        case(
            "b5t_pytest_color_tb_short",
            "test_failure",
            "pytest",
            [Run(PYTEST + " --color=yes --tb=short tests", env={**PY_ENV, **COLOR})],
            {
                "tests/test_money.py": 'from decimal import Decimal\n\n\ndef split(total, n):\n    share = (Decimal(total) / n).quantize(Decimal("0.01"))\n    return [share] * n\n\n\ndef test_split_even():\n    assert split("10", 2) == [Decimal("5.00")] * 2\n\n\ndef test_split_keeps_cents():\n    assert sum(split("10", 3)) == Decimal("10")\n\n\ndef test_split_zero():\n    assert split("10", 0) == []\n',
            },
            prelude=[CHECKOUT, SETUP_PY],
            version=f"{T5_PY / 'bin' / 'python'} -m pytest --version 2>&1 | head -1",
        )
    ),
    js(
        "b5t_jest_color",
        "jest",
        ["FORCE_COLOR=1 NO_COLOR= jest --ci --colors"],
        {
            "src/date.js": "exports.iso = (d) => d.toISOString().slice(0, 10);\nexports.addDays = (d, n) => new Date(d.getTime() + n * 86400000);\n",
            "src/date.test.js": "const { iso, addDays } = require('./date');\n\ndescribe('dates', () => {\n  test('formats', () => {\n    expect(iso(new Date(Date.UTC(2024, 0, 31)))).toBe('2024-01-31');\n  });\n  test('adds a month of days', () => {\n    expect(iso(addDays(new Date(Date.UTC(2024, 0, 31)), 30))).toEqual('2024-02-29');\n  });\n  test('rejects NaN dates', () => {\n    expect(() => iso(new Date('x'))).not.toThrow();\n  });\n});\n",
        },
    ),
    js(
        "b5t_vitest_color",
        "vitest",
        ["env -u NO_COLOR FORCE_COLOR=1 vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/stack.test.js": "import { describe, it, expect } from 'vitest';\n\nclass Stack {\n  #items = [];\n  push(x) { this.#items.push(x); }\n  pop() { return this.#items.shift(); }\n}\n\ndescribe('Stack', () => {\n  it('pops the last item', () => {\n    const s = new Stack();\n    s.push(1);\n    s.push(2);\n    expect(s.pop()).toBe(2);\n  });\n  it('pop of empty is undefined', () => {\n    expect(new Stack().pop()).toBeNull();\n  });\n});\n",
        },
    ),
    js(
        "b5t_mocha_color",
        "mocha",
        ["env -u NO_COLOR FORCE_COLOR=1 mocha --color"],
        {
            "test/csv.test.js": "const assert = require('assert');\n\nconst row = (s) => s.split(',');\n\ndescribe('csv row', function () {\n  it('splits fields', function () {\n    assert.deepStrictEqual(row('a,b'), ['a', 'b']);\n  });\n  it('keeps quoted commas', function () {\n    assert.deepStrictEqual(row('\"a,b\",c'), ['a,b', 'c']);\n  });\n});\n",
        },
    ),
    js(
        "b5t_node_test_color_spec",
        "node:test",
        ["env -u NO_COLOR FORCE_COLOR=1 node --test --test-reporter=spec"],
        {
            "test/hex.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n\nconst hex = (n) => n.toString(16);\n\ntest('hex of 255', () => {\n  assert.strictEqual(hex(255), 'FF');\n});\n\ntest('hex of 16', () => {\n  assert.strictEqual(hex(16), '10');\n});\n",
        },
        version="node --version",
    ),
    js(
        "b5t_ava_color",
        "ava",
        ["env -u NO_COLOR FORCE_COLOR=1 ava"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "test/words.test.js": "import test from 'ava';\n\nconst count = (s) => s.split(' ').length;\n\ntest('counts words', (t) => {\n  t.is(count('a b c'), 3);\n});\n\ntest('empty string has no words', (t) => {\n  t.is(count(''), 0);\n});\n",
        },
    ),
    rust(
        "b5t_cargo_test_color",
        ["cargo test --offline --color always"],
        {
            "src/lib.rs": 'pub fn initials(name: &str) -> String {\n    name.split_whitespace().filter_map(|w| w.chars().next()).collect()\n}\n\n#[cfg(test)]\nmod tests {\n    use super::initials;\n\n    #[test]\n    fn two_words() {\n        assert_eq!(initials("ada lovelace"), "AL");\n    }\n\n    #[test]\n    fn empty() {\n        assert_eq!(initials(""), "");\n    }\n}\n',
        },
    ),
    ruby(
        "b5t_rspec_force_color",
        "rspec",
        ["rspec --force-color"],
        {
            "spec/temperature_spec.rb": "RSpec.describe 'temperature' do\n  def to_c(f) = (f - 32) * 5 / 9\n\n  it 'converts body temperature' do\n    expect(to_c(98.6)).to eq(36.9)\n  end\n\n  it 'converts freezing' do\n    expect(to_c(32)).to eq(1)\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    phpunit(
        "b5t_phpunit_colors_always",
        {
            "src/Vat.php": "<?php\nnamespace App;\n\nfinal class Vat\n{\n    public static function gross(float $net, float $rate): float\n    {\n        return round($net * $rate, 2);\n    }\n}\n",
            "tests/VatTest.php": "<?php\nuse App\\Vat;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class VatTest extends TestCase\n{\n    public function testGross(): void\n    {\n        $this->assertEqualsWithDelta(119.0, Vat::gross(100, 0.19), 0.001);\n    }\n\n    public function testZeroRate(): void\n    {\n        $this->assertSame(100.0, Vat::gross(100, 0));\n    }\n}\n",
        },
        cmd="phpunit --colors=always",
    ),
    go(
        "b5t_go_test_log_noise_fail_words",
        ["go test -v -count=1 ./..."],
        {
            "retry/retry.go": 'package retry\n\nimport "errors"\n\n// Do calls f up to n times.\nfunc Do(n int, f func() error) error {\n\tvar err error\n\tfor i := 0; i < n; i++ {\n\t\tif err = f(); err == nil {\n\t\t\treturn nil\n\t\t}\n\t}\n\treturn errors.New("retry: gave up")\n}\n',
            "retry/retry_test.go": 'package retry\n\nimport (\n\t"errors"\n\t"testing"\n)\n\nfunc TestDoSucceedsLate(t *testing.T) {\n\tcalls := 0\n\terr := Do(2, func() error {\n\t\tcalls++\n\t\tt.Logf("attempt %d: FAIL (expected while warming up)", calls)\n\t\tif calls < 3 {\n\t\t\treturn errors.New("not ready")\n\t\t}\n\t\treturn nil\n\t})\n\tif err != nil {\n\t\tt.Fatalf("Do() error = %v after %d calls", err, calls)\n\t}\n}\n\nfunc TestDoStopsOnSuccess(t *testing.T) {\n\tcalls := 0\n\t_ = Do(5, func() error { calls++; return nil })\n\tif calls != 1 {\n\t\tt.Errorf("calls = %d", calls)\n\t}\n}\n',
        },
    ),
)
label(
    "b5t_pytest_color_tb_short",
    failures=[
        (
            "tests/test_money.py::test_split_keeps_cents",
            "AssertionError: assert Decimal('9.99') == Decimal('10')",
            "tests/test_money.py:14",
        ),
        (
            "tests/test_money.py::test_split_zero",
            "decimal.DivisionByZero: [<class 'decimal.DivisionByZero'>]",
            "tests/test_money.py:18",
        ),
    ],
    note="--color=yes: ANSI codes inside the node ids of the short summary and around E lines",
)
label(
    "b5t_jest_color",
    failures=[
        (
            "dates › adds a month of days",
            "expect(received).toEqual(expected) // deep equality",
            "src/date.test.js:8",
        ),
        ("dates › rejects NaN dates", "expect(received).not.toThrow()", "src/date.test.js:11"),
    ],
    key=["// deep equality"],
    note="--colors: ANSI codes split the matcher line and the frames",
)
label(
    "b5t_vitest_color",
    failures=[
        (
            "test/stack.test.js > Stack > pops the last item",
            "AssertionError: expected 1 to be 2 // Object.is equality",
            "test/stack.test.js:14",
        ),
        (
            "test/stack.test.js > Stack > pop of empty is undefined",
            "AssertionError: expected undefined to be null",
            "test/stack.test.js:17",
        ),
    ],
    key=["expected 1 to be 2 // Object.is equality"],
    note="FORCE_COLOR=1",
)
label(
    "b5t_mocha_color",
    failures=[
        (
            "csv row keeps quoted commas",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:",
            "test/csv.test.js:10",
        )
    ],
    key=["Expected values to be strictly deep-equal:"],
    note="--color",
)
label(
    "b5t_node_test_color_spec",
    failures=[
        (
            "hex of 255",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
            "test/hex.test.js:7",
        )
    ],
    note="FORCE_COLOR=1: the stack's workspace prefix is coloured apart from the file",
)
label(
    "b5t_ava_color",
    failures=[
        ("empty string has no words", "Difference (- actual, + expected):", "test/words.test.js:10")
    ],
    key=["Difference"],
    note="FORCE_COLOR=1",
)
label(
    "b5t_cargo_test_color",
    failures=[("tests::two_words", "assertion `left == right` failed", "src/lib.rs:11")],
    note="--color always",
)
label(
    "b5t_rspec_force_color",
    failures=[
        ("temperature converts body temperature", "expected: 36.9", "spec/temperature_spec.rb:5"),
        ("temperature converts freezing", "expected: 1", "spec/temperature_spec.rb:9"),
    ],
    key=["expected: 36.9"],
    note="--force-color",
)
label(
    "b5t_phpunit_colors_always",
    failures=[
        (
            "VatTest::testGross",
            "Failed asserting that 19.0 matches expected 119.0.",
            "tests/VatTest.php:9",
        ),
        (
            "VatTest::testZeroRate",
            "Failed asserting that 0.0 is identical to 100.0.",
            "tests/VatTest.php:14",
        ),
    ],
    note="--colors=always",
)
label(
    "b5t_go_test_log_noise_fail_words",
    failures=[
        (
            "TestDoSucceedsLate",
            "retry_test.go:19: Do() error = retry: gave up after 2 calls",
            "retry/retry_test.go:19",
        )
    ],
    note="t.Logf lines containing the word FAIL before the real t.Fatalf",
)

# -- seventh collection: test runners behind wrappers (npm scripts, make, composer, rake,
# a CI script with set -x), after the sixth round of engine changes ------------------------

add(
    js(
        "b5t_npm_test_jest",
        "jest",
        ["npm test"],
        {
            "package.json": '{"name": "shop", "version": "1.2.0", "private": true, "scripts": {"test": "jest --ci"}}\n',
            "src/price.js": "exports.withTax = (c, r) => Math.round(c * (1 + r));\n",
            "src/price.test.js": "const { withTax } = require('./price');\n\ntest('adds 20% tax', () => {\n  expect(withTax(999, 0.2)).toBe(1198);\n});\n",
        },
    ),
    js(
        "b5t_npm_run_mocha_script",
        "mocha",
        ["npm run test:unit"],
        {
            "package.json": '{"name": "api", "version": "0.3.0", "private": true, "scripts": {"test:unit": "mocha --reporter spec \'test/**/*.test.js\'"}}\n',
            "test/users.test.js": "const assert = require('assert');\n\nconst byAge = (users) => [...users].sort((a, b) => a.age - b.age).map((u) => u.name);\n\ndescribe('byAge', function () {\n  it('sorts youngest first', function () {\n    assert.deepStrictEqual(byAge([{ name: 'a', age: 30 }, { name: 'b', age: 20 }]), ['b', 'a']);\n  });\n  it('keeps ties in order', function () {\n    assert.deepStrictEqual(byAge([{ name: 'a', age: 1 }, { name: 'b', age: 1 }]), ['b', 'a']);\n  });\n});\n",
        },
    ),
    go(
        "b5t_make_go_test",
        ["make test"],
        {
            "Makefile": "test:\n\tgo vet ./...\n\tgo test -count=1 ./...\n",
            "queue/queue.go": "package queue\n\n// Queue is FIFO.\ntype Queue struct{ items []int }\n\nfunc (q *Queue) Push(x int) { q.items = append(q.items, x) }\n\n// Pop removes the first item.\nfunc (q *Queue) Pop() int {\n\tx := q.items[len(q.items)-1]\n\tq.items = q.items[:len(q.items)-1]\n\treturn x\n}\n",
            "queue/queue_test.go": 'package queue\n\nimport "testing"\n\nfunc TestFIFO(t *testing.T) {\n\tvar q Queue\n\tq.Push(1)\n\tq.Push(2)\n\tif got := q.Pop(); got != 1 {\n\t\tt.Errorf("Pop() = %d, want 1", got)\n\t}\n}\n',
        },
    ),
    rust(
        "b5t_make_cargo_test",
        ["make check"],
        {
            "Makefile": "check:\n\tcargo fmt --check\n\tcargo test --offline --quiet\n",
            "src/lib.rs": "pub fn clamp(x: i32, lo: i32, hi: i32) -> i32 {\n    x.max(lo).min(hi - 1)\n}\n\n#[cfg(test)]\nmod tests {\n    use super::clamp;\n\n    #[test]\n    fn upper_bound_is_inclusive() {\n        assert_eq!(clamp(10, 0, 10), 10);\n    }\n}\n",
        },
    ),
    phpunit(
        "b5t_composer_test_phpunit",
        {
            "composer.json": '{"name": "acme/cart", "require": {}, "scripts": {"test": "phpunit"}}\n',
            "src/Cart.php": "<?php\nnamespace App;\n\nfinal class Cart\n{\n    private array $items = [];\n\n    public function add(string $sku, int $qty): void\n    {\n        $this->items[$sku] = $qty;\n    }\n\n    public function count(): int\n    {\n        return count($this->items);\n    }\n}\n",
            "tests/CartTest.php": "<?php\nuse App\\Cart;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class CartTest extends TestCase\n{\n    public function testAddingTwiceSumsQuantities(): void\n    {\n        $cart = new Cart();\n        $cart->add('pen', 1);\n        $cart->add('pen', 2);\n        $this->assertSame(3, $cart->count());\n    }\n}\n",
        },
        cmd="composer test --no-interaction",
        needs=("phpunit", "composer"),
    ),
    ruby(
        "b5t_rake_spec",
        "rspec",
        ["rake spec"],
        {
            "Rakefile": "require 'rspec/core/rake_task'\n\nRSpec::Core::RakeTask.new(:spec)\n\ntask default: :spec\n",
            "lib/word_wrap.rb": 'module WordWrap\n  def self.wrap(text, width)\n    text.scan(/.{1,#{width}}/).join("\\n")\n  end\nend\n',
            "spec/word_wrap_spec.rb": "require_relative '../lib/word_wrap'\n\nRSpec.describe WordWrap do\n  it 'breaks at spaces' do\n    expect(WordWrap.wrap('hello world', 6)).to eq(\"hello\\nworld\")\n  end\nend\n",
        },
        version="rspec --version | head -2 | tail -1",
    ),
    py(
        "b5t_ci_script_set_x",
        ["bash -x ci/test.sh"],
        {
            "ci/test.sh": "set -euo pipefail\necho 'running unit tests'\npython -m pytest -p no:cacheprovider -q tests\n",
            "tests/test_ids.py": "import uuid\n\n\ndef short_id(u):\n    return str(u)[:6]\n\n\ndef test_short_id_length():\n    assert len(short_id(uuid.UUID(int=1))) == 8\n",
        },
    ),
)
label(
    "b5t_npm_test_jest",
    failures=[
        (
            "adds 20% tax",
            "expect(received).toBe(expected) // Object.is equality",
            "src/price.test.js:4",
        )
    ],
)
label(
    "b5t_npm_run_mocha_script",
    failures=[
        (
            "byAge keeps ties in order",
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:",
            "test/users.test.js:10",
        )
    ],
)
label(
    "b5t_make_go_test",
    failures=[("TestFIFO", "queue_test.go:10: Pop() = 2, want 1", "queue/queue_test.go:10")],
    note="make echoes each command; make: *** [Makefile:3: test] Error 1 after the test output",
)
label(
    "b5t_make_cargo_test",
    failures=[
        ("tests::upper_bound_is_inclusive", "assertion `left == right` failed", "src/lib.rs:11")
    ],
    note="cargo test --quiet behind make (Error 101)",
)
label(
    "b5t_composer_test_phpunit",
    failures=[
        (
            "CartTest::testAddingTwiceSumsQuantities",
            "Failed asserting that 1 is identical to 3.",
            "tests/CartTest.php:12",
        )
    ],
    note="composer script: 'Script phpunit handling the test event returned with error code 1'",
)
label(
    "b5t_rake_spec",
    failures=[
        ("WordWrap breaks at spaces", 'expected: "hello\\nworld"', "spec/word_wrap_spec.rb:5")
    ],
    key=['expected: "hello\\nworld"'],
    note="RSpec::Core::RakeTask echoes the rspec command line before and after ('… failed')",
)
label(
    "b5t_ci_script_set_x",
    failures=[
        (
            "tests/test_ids.py::test_short_id_length",
            "AssertionError: assert 6 == 8",
            "tests/test_ids.py:9",
        )
    ],
    note="a CI script under bash -x: '+ command' trace lines around pytest",
)
