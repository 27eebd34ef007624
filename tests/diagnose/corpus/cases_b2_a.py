# ruff: noqa: E501
"""Batch 2 (collection round 2), Python / JS / Ruby / shell / infra: shapes batch 1 lacks.

Every case runs the real tool. Deliberately different from batch 1: older tool versions
(a second Python venv ``$PITCREW_CORPUS_PY2``, default ``/tmp/pitcrew-corpus/py``: pytest 7.4,
pytest-xdist 3.5, pytest-timeout 2.2, ruff 0.1, mypy 1.5, pylint 2.17, black 23, flake8 6,
isort 5.12, tox 3, nox 2023.4, pyright 1.1.350, requests; a second node dir
``$PITCREW_CORPUS_JS2``, default ``/tmp/pitcrew-corpus/js``: jest 29, vitest 2, mocha 10, eslint 9 +
@eslint/js, prettier 2, typescript 5.4, stylelint 16 + stylelint-config-standard 36,
rollup 3), non-default reporters (``-rA``, ``--tb=line``, ``--verbose``, TAP, dot), wrappers
(tox, nox, make, npm scripts, ``bash -e`` scripts), several failures per run, failures mixed
with warnings, failing set-up vs failing test. Tools batch 1 already used (poetry, uv,
pipenv, yarn, pnpm, rspec, rubocop, bundler, minitest, shellcheck, podman, apt-get) come
from the same places as batch 1. Labels were written from the crafted failure and the log
text before the engine was run on any of these logs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import generate as g
import more_cases as m
from generate import CHECKOUT, NPM_CI, SETUP_PY, Case, Skip, StepSpec
from more_cases import SETUP_NODE, SETUP_RUBY, Run, StepLike, add, case

PY2 = Path(os.environ.get("PITCREW_CORPUS_PY2", "/tmp/pitcrew-corpus/py"))
JS2 = Path(os.environ.get("PITCREW_CORPUS_JS2", "/tmp/pitcrew-corpus/js"))
PKG = '{"name": "proj", "version": "1.0.0", "private": true}\n'
P = [CHECKOUT, SETUP_PY]
J = [CHECKOUT, SETUP_NODE, NPM_CI]
R = [CHECKOUT, SETUP_RUBY]


def _scrub2(text: str) -> str:
    text = text.replace(str(PY2), g.RUNNER_PYTHON)
    text = re.sub(r"/tmp/pip-[\w-]+/", "/home/runner/work/_temp/pip-build-env/", text)
    text = text.replace(f"{JS2}/node_modules", "node_modules").replace(str(JS2), g.WORKDIR)
    return text.replace("../../j11a/js/node_modules", "node_modules")


def b2(
    name: str,
    category: str,
    tool: str,
    steps: Sequence[StepLike],
    files: dict[str, str] | None = None,
    *,
    js2: bool = False,
    py1: bool = False,
    **kw: Any,
) -> Case:
    """A batch-2 case: the round-2 tools first on PATH, their paths scrubbed, ``batch=2``."""
    first = "" if py1 else f"{PY2 / 'bin'}:"
    env = {"PATH": f"{first}{JS2 / 'node_modules' / '.bin'}:{m._path()}"}
    runs: list[StepLike] = []
    for item in steps:
        if isinstance(item, str):
            runs.append(Run(item, env=env))
        elif isinstance(item, Run):
            runs.append(replace(item, env={**env, **(item.env or {})}))
        else:
            runs.append(item)
    hidden = kw.pop("hidden", "")
    if js2:
        files = {"package.json": PKG, **(files or {})}
        link = f"ln -s {JS2}/node_modules node_modules"
        hidden = f"{link}\n{hidden}" if hidden else link
        kw.setdefault("prelude", J)
    built = case(name, category, tool, runs, files, hidden=hidden, **kw)
    inner = built.build

    def build(root: Path) -> list[StepSpec]:
        if js2 and not (JS2 / "node_modules").is_dir():
            raise Skip(f"node packages not installed in {JS2}")
        if not py1 and not (PY2 / "bin" / "python").exists():
            raise Skip(f"round-2 Python tools not installed in {PY2}")
        return [replace(s, run=_scrub2(s.run), output=_scrub2(s.output)) for s in inner(root)]

    built.build = build
    built.batch = 2
    return built


def pyv(tool: str) -> str:
    return f"{PY2}/bin/{tool} --version"


def jsv(tool: str) -> str:
    return f"{JS2}/node_modules/.bin/{tool} --version"


SRC = {
    "src/shop/__init__.py": "",
    "src/shop/cart.py": """
        from decimal import Decimal


        class Cart:
            def __init__(self):
                self.items = []

            def add(self, sku, price, qty=1):
                self.items.append((sku, Decimal(str(price)), qty))

            def total(self):
                return sum(p * q for _, p, q in self.items)

            def discount(self, code):
                rates = {"TEN": Decimal("0.10")}
                return self.total() * (1 - rates[code])
        """,
    "conftest.py": "import sys\nsys.path.insert(0, 'src')\n",
}

# -- Python: pytest shapes ---------------------------------------------------------------------
add(
    b2(
        "b2_py_pytest7_rA_warnings",
        "test_failure",
        "pytest",
        ["python -m pytest -rA -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/test_cart.py": """
                import warnings

                from shop.cart import Cart


                def test_total():
                    cart = Cart()
                    cart.add("a", 1.5, 2)
                    warnings.warn("Decimal context is deprecated", DeprecationWarning)
                    assert cart.total() == 3


                def test_total_with_two_items():
                    cart = Cart()
                    cart.add("a", 1.5, 2)
                    cart.add("b", 0.25)
                    assert cart.total() == 3.5, "total must include every line"


                def test_discount_unknown_code():
                    cart = Cart()
                    cart.add("a", 10)
                    assert cart.discount("SUMMER") == 10
                """,
        },
        failures=[
            (
                "tests/test_cart.py::test_total_with_two_items",
                "AssertionError: total must include every line",
                "tests/test_cart.py:17",
            ),
            (
                "tests/test_cart.py::test_discount_unknown_code",
                "KeyError: 'SUMMER'",
                "tests/test_cart.py:23",
            ),
        ],
        key=["AssertionError: total must include every line", "KeyError: 'SUMMER'"],
        version=pyv("pytest"),
        prelude=P,
        note="pytest 7 -rA: passes, warnings summary and failures in one short summary",
    ),
    b2(
        "b2_py_pytest_tb_line",
        "test_failure",
        "pytest",
        ["python -m pytest --tb=line -q -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/test_line.py": """
                from shop.cart import Cart


                def test_empty_total():
                    assert Cart().total() == 1


                def test_items_are_tuples():
                    cart = Cart()
                    cart.add("x", 2)
                    assert cart.items == [("x", 2, 1), ("y", 1, 1)]
                """,
        },
        failures=[
            ("tests/test_line.py::test_empty_total", "assert 0 == 1", "tests/test_line.py:5"),
            (
                "tests/test_line.py::test_items_are_tuples",
                "assert [('x', Decimal('2'), 1)] == [('x', 2, 1), ('y', 1, 1)]",
                "tests/test_line.py:11",
            ),
        ],
        key=["assert 0 == 1"],
        version=pyv("pytest"),
        prelude=P,
        note="--tb=line: one path:line: message line per failure",
    ),
    b2(
        "b2_py_pytest_fixture_setup_error",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/conftest.py": """
                import json

                import pytest


                @pytest.fixture
                def catalog(tmp_path):
                    path = tmp_path / "catalog.json"
                    path.write_text('{"items": [1, 2,]}')
                    return json.loads(path.read_text())
                """,
            "tests/test_catalog.py": """
                def test_catalog_has_items(catalog):
                    assert catalog["items"]


                def test_math():
                    assert 2 * 2 == 4
                """,
        },
        failures=[
            (
                "tests/test_catalog.py::test_catalog_has_items",
                "json.decoder.JSONDecodeError: Expecting value: line 1 column 17 (char 16)",
                "tests/conftest.py:10",
            )
        ],
        key=["JSONDecodeError: Expecting value: line 1 column 17 (char 16)"],
        version=pyv("pytest"),
        prelude=P,
        note="an error in a fixture: ERROR at setup, not FAILED; still the test suite's own bug",
    ),
    b2(
        "b2_py_pytest_xdist_two_failures",
        "test_failure",
        "pytest",
        ["python -m pytest -n 2 -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/test_a.py": "from shop.cart import Cart\n\n\ndef test_a_total():\n    c = Cart()\n    c.add('a', 3)\n    assert c.total() == 4\n\n\ndef test_a_ok():\n    assert True\n",
            "tests/test_b.py": "from shop.cart import Cart\n\n\ndef test_b_discount():\n    c = Cart()\n    c.add('a', 10)\n    assert c.discount('TEN') == 8\n\n\ndef test_b_ok():\n    assert True\n",
        },
        failures=[
            ("tests/test_a.py::test_a_total", "assert Decimal('3') == 4", "tests/test_a.py:7"),
            (
                "tests/test_b.py::test_b_discount",
                "assert Decimal('9.00') == 8",
                "tests/test_b.py:7",
            ),
        ],
        key=["assert Decimal('3') == 4"],
        version=pyv("pytest"),
        prelude=P,
    ),
    b2(
        "b2_py_pytest_xdist_worker_segfault",
        "segfault",
        "pytest-xdist",
        ["python -m pytest -n 2 -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/test_native.py": """
                import ctypes


                def test_decode_thumbnail():
                    ctypes.string_at(8, 16)


                def test_other():
                    assert 1
                """,
        },
        tests=["tests/test_native.py::test_decode_thumbnail"],
        key=["crashed while running"],
        version=pyv("pytest"),
        prelude=P,
        note="a native crash (SIGSEGV) kills the xdist worker; pytest 7 + xdist 3.5",
    ),
    b2(
        "b2_py_pytest_requests_503",
        "infra_network",
        "pytest",
        [
            "RATES_URL=http://127.0.0.1:{p503}/v1/rates python -m pytest -q -p no:cacheprovider tests"
        ],
        {
            **SRC,
            "tests/test_rates.py": """
                import os

                import requests


                def fetch_rates():
                    response = requests.get(os.environ["RATES_URL"], timeout=5)
                    response.raise_for_status()
                    return response.json()


                def test_rates_have_eur():
                    assert "EUR" in fetch_rates()
                """,
        },
        failures=[
            (
                "tests/test_rates.py::test_rates_have_eur",
                "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable",
                "tests/test_rates.py:13",
            )
        ],
        key=["503 Server Error: Service Unavailable"],
        version=pyv("pytest"),
        prelude=P,
        note="the external service answered 503: infrastructure, retryable",
    ),
    b2(
        "b2_py_pytest_timeout_thread",
        "timeout",
        "pytest-timeout",
        ["python -m pytest -q -p no:cacheprovider --timeout=2 --timeout-method=thread tests"],
        {
            **SRC,
            "tests/test_poll.py": """
                import time


                def test_poll_until_ready():
                    while True:
                        time.sleep(0.2)
                """,
        },
        key=["Timeout"],
        version=pyv("pytest"),
        prelude=P,
        note="thread method: pytest-timeout dumps the stacks and kills the whole run",
    ),
    b2(
        "b2_py_pytest_enospc_in_test",
        "disk_full",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/test_export.py": """
                def test_export_report():
                    with open("/dev/full", "w") as out:
                        out.write("x" * 100000)
                        out.flush()
                """,
        },
        failures=[
            (
                "tests/test_export.py::test_export_report",
                "OSError: [Errno 28] No space left on device",
                "tests/test_export.py:3",
            )
        ],
        key=["OSError: [Errno 28] No space left on device"],
        version=pyv("pytest"),
        prelude=P,
        note="the disk (here /dev/full) is full: the runner, not the test",
    ),
    b2(
        "b2_py_pytest_async_fixture_teardown",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **SRC,
            "tests/test_pool.py": """
                import pytest


                class Pool:
                    def __init__(self):
                        self.open = 2

                    def close(self):
                        if self.open:
                            raise RuntimeError(f"{self.open} connections still checked out")


                @pytest.fixture
                def pool():
                    p = Pool()
                    yield p
                    p.close()


                def test_checkout(pool):
                    assert pool.open == 2
                """,
        },
        failures=[
            (
                "tests/test_pool.py::test_checkout",
                "RuntimeError: 2 connections still checked out",
                "tests/test_pool.py:17",
            )
        ],
        key=["RuntimeError: 2 connections still checked out"],
        version=pyv("pytest"),
        prelude=P,
        note="the test passes, its fixture fails at teardown: ERROR at teardown",
    ),
)

# -- Python: unittest, wrappers ---------------------------------------------------------------
add(
    b2(
        "b2_py_unittest_verbose_mixed",
        "test_failure",
        "unittest",
        ["python -m unittest discover -v -s tests -t ."],
        {
            **SRC,
            "tests/__init__.py": "import sys\nsys.path.insert(0, 'src')\n",
            "tests/test_cart_ut.py": """
                import unittest

                from shop.cart import Cart


                class CartTest(unittest.TestCase):
                    def test_total(self):
                        c = Cart()
                        c.add("a", 2, 3)
                        self.assertEqual(c.total(), 5)

                    def test_discount_code(self):
                        c = Cart()
                        c.add("a", 2)
                        self.assertEqual(c.discount("ten"), 1.8)

                    def test_empty(self):
                        self.assertEqual(Cart().total(), 0)
                """,
        },
        failures=[
            (
                "tests.test_cart_ut.CartTest.test_total",
                "AssertionError: Decimal('6') != 5",
                "tests/test_cart_ut.py:10",
            ),
            (
                "tests.test_cart_ut.CartTest.test_discount_code",
                "KeyError: 'ten'",
                "tests/test_cart_ut.py:15",
            ),
        ],
        key=["AssertionError: Decimal('6') != 5"],
        version=f"{PY2}/bin/python --version",
        prelude=P,
        note="one FAIL and one ERROR in unittest -v; tests named by the dotted id in parentheses, the corpus convention for unittest (label fixed in j11a: it first named them by the whole -v line)",
    ),
    b2(
        "b2_py_tox3_pytest",
        "test_failure",
        "tox",
        ["tox -e py"],
        {
            **SRC,
            "tox.ini": "[tox]\nskipsdist = true\nenvlist = py\n\n[testenv]\nsitepackages = true\ncommands = python -m pytest -q -p no:cacheprovider tests\n",
            "tests/test_tox.py": """
                from shop.cart import Cart


                def test_discount():
                    c = Cart()
                    c.add("a", 20)
                    assert c.discount("TEN") == 19
                """,
        },
        failures=[
            (
                "tests/test_tox.py::test_discount",
                "assert Decimal('18.00') == 19",
                "tests/test_tox.py:7",
            )
        ],
        key=["assert Decimal('18.00') == 19"],
        version=f"{PY2}/bin/tox --version | cut -d' ' -f1",
        prelude=P,
        note="tox 3 wraps pytest: ERROR: InvocationError ... and the summary come after pytest's",
    ),
    b2(
        "b2_py_nox_flake8",
        "lint",
        "flake8",
        ["env -u FORCE_COLOR nox -s lint"],
        {
            "noxfile.py": """
                import nox


                @nox.session(python=False)
                def lint(session):
                    session.run("flake8", "src")
                """,
            "src/app.py": "import os, sys\n\n\ndef main():\n    value = 1\n    return undefined_name\n",
        },
        key=["F821 undefined name 'undefined_name'"],
        version=f"env -u FORCE_COLOR {PY2}/bin/nox --version",
        prelude=P,
        note="nox runs flake8 6; nox's own 'Session lint failed.' follows",
    ),
    b2(
        "b2_py_make_mypy",
        "type_check",
        "mypy",
        ["make typecheck"],
        {
            "Makefile": "typecheck:\n\tmypy --no-error-summary src\n\tmypy src\n",
            "src/report.py": """
                from typing import Optional


                def title(name: Optional[str]) -> str:
                    return name.upper()


                def count(items: list[int]) -> int:
                    return len(items) + "0"
                """,
        },
        key=['Item "None" of "str | None" has no attribute "upper"'],
        version=pyv("mypy"),
        prelude=P,
        note="make runs mypy 1.5; make: *** [Makefile:2: typecheck] Error 1 comes last",
    ),
    b2(
        "b2_py_mypy_strict_notes",
        "type_check",
        "mypy",
        ["mypy --strict --pretty src"],
        {
            "src/svc.py": """
                import json


                def load(path):
                    with open(path) as f:
                        return json.load(f)


                def ids(rows: list[dict[str, int]]) -> list[str]:
                    return [r["id"] for r in rows]
                """,
        },
        key=["error: Function is missing a type annotation"],
        version=pyv("mypy"),
        prelude=P,
        note="--pretty: source excerpt and carets under each error",
    ),
    b2(
        "b2_py_pyright_old",
        "type_check",
        "pyright",
        ["pyright src"],
        {
            "pyrightconfig.json": '{"typeCheckingMode": "basic"}\n',
            "src/models.py": """
                class User:
                    def __init__(self, name: str) -> None:
                        self.name = name


                def greet(user: User) -> str:
                    return "hi " + user.nmae


                def age() -> int:
                    return "42"
                """,
        },
        key=['Cannot access member "nmae" for type "User"'],
        version=f"{PY2}/bin/pyright --version | tail -1",
        prelude=P,
    ),
)

# -- Python: linters and formatters -------------------------------------------------------------
add(
    b2(
        "b2_py_ruff01_check",
        "lint",
        "ruff check",
        ["ruff check --no-cache src"],
        {
            "src/util.py": "import os\nimport json\n\n\ndef f(x):\n    if x == None:\n        return json.dumps(x)\n    l = 1\n    return l\n",
        },
        key=["F401 [*] `os` imported but unused"],
        version=pyv("ruff"),
        prelude=P,
        note="ruff 0.1 prints one file:line:col: CODE line per finding",
    ),
    b2(
        "b2_py_ruff_github_format",
        "lint",
        "ruff check",
        ["ruff check --no-cache --output-format=github src"],
        {
            "src/util.py": "import os\n\n\ndef f():\n    return undefined_thing\n",
        },
        key=["F821 Undefined name `undefined_thing`"],
        version=pyv("ruff"),
        prelude=P,
        note="GitHub annotation output: ::error title=Ruff (F821),file=...",
    ),
    b2(
        "b2_py_pylint2_score",
        "lint",
        "pylint",
        ["pylint --disable=C src/inventory.py"],
        {
            "src/inventory.py": """
                def restock(items, extra=[]):
                    for item in items:
                        extra.append(item)
                    return unknown_total


                def unused(a, b):
                    return a
                """,
        },
        key=["E0602: Undefined variable 'unknown_total' (undefined-variable)"],
        version=pyv("pylint"),
        prelude=P,
        note="pylint 2.17 with a score line at the end",
    ),
    b2(
        "b2_py_black23_check",
        "format",
        "black",
        ["black --check src"],
        {
            "src/a.py": "x = {  'a':1 }\n",
            "src/b.py": "def f( a,b ):\n  return a+b\n",
            "src/c.py": "y = 1\n",
        },
        key=["would reformat"],
        version=pyv("black"),
        prelude=P,
    ),
    b2(
        "b2_py_isort_diff",
        "format",
        "isort",
        ["isort --check-only --diff src"],
        {
            "src/app.py": "import sys\nimport os\nfrom collections import OrderedDict\nimport abc\n\nprint(sys, os, OrderedDict, abc)\n"
        },
        key=["Imports are incorrectly sorted and/or formatted"],
        version=f"{PY2}/bin/isort --version-number",
        prelude=P,
    ),
)

# -- Python: packaging --------------------------------------------------------------------------
add(
    b2(
        "b2_py_pip_hash_mismatch",
        "dependency_install",
        "pip",
        ["python -m pip install --no-cache-dir --require-hashes -r requirements.txt"],
        {
            "requirements.txt": "six==1.16.0 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        },
        key=["THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE"],
        version=f"{PY2}/bin/python -m pip --version | cut -d' ' -f1-2",
        prelude=P,
        note="the pinned hash is wrong (lockfile out of date or a tampered package): pip refuses",
    ),
    b2(
        "b2_py_pip_resolution_impossible",
        "dependency_install",
        "pip",
        ["python -m pip install --no-cache-dir 'requests==2.31.0' 'urllib3<1.21'"],
        key=["ResolutionImpossible"],
        version=f"{PY2}/bin/python -m pip --version | cut -d' ' -f1-2",
        prelude=P,
    ),
    b2(
        "b2_py_pip_setup_py_error",
        "dependency_install",
        "pip",
        ["python -m pip install --no-cache-dir ./vendor/legacy-client"],
        {
            "vendor/legacy-client/setup.py": """
                from setuptools import setup
                import numpy_distutils_helper  # only on the maintainer's machine

                setup(name="legacy-client", version="0.3")
                """,
        },
        key=["ModuleNotFoundError: No module named 'numpy_distutils_helper'"],
        version=f"{PY2}/bin/python -m pip --version | cut -d' ' -f1-2",
        prelude=P,
        note="a vendored sdist whose setup.py cannot run: the install step fails",
    ),
    b2(
        "b2_py_uv_lock_outdated",
        "dependency_install",
        "uv",
        ["uv sync --locked"],
        {
            "pyproject.toml": '[project]\nname = "proj"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["six"]\n',
            "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "proj"\nversion = "0.1.0"\nsource = { virtual = "." }\n',
        },
        key=["The lockfile at `uv.lock` needs to be updated, but `--locked` was provided."],
        version=f"{m.PY_ENV}/bin/uv --version",
        py1=True,
        prelude=P,
        note="pyproject gained a dependency the lockfile lacks",
    ),
    b2(
        "b2_py_uv_index_503",
        "infra_network",
        "uv",
        [
            "uv pip install --system --no-cache --reinstall --index-url http://127.0.0.1:{p503}/simple six"
        ],
        key=["503 Service Unavailable"],
        version=f"{m.PY_ENV}/bin/uv --version",
        py1=True,
        prelude=P,
        note="the package index answers 503",
    ),
    b2(
        "b2_py_poetry_lock_stale",
        "dependency_install",
        "poetry",
        ["poetry install --no-root --no-interaction"],
        {
            "pyproject.toml": '[tool.poetry]\nname = "proj"\nversion = "0.1.0"\ndescription = ""\nauthors = ["a <a@example.com>"]\n\n[tool.poetry.dependencies]\npython = "^3.11"\nsix = "^1.16"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n',
            "poetry.lock": '# This file is automatically @generated by Poetry 1.8.2 and should not be changed by hand.\npackage = []\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "0000000000000000000000000000000000000000000000000000000000000000"\n',
        },
        key=["pyproject.toml changed significantly since poetry.lock was last generated"],
        version=f"{m.PY_ENV}/bin/poetry --version",
        py1=True,
        prelude=P,
    ),
    b2(
        "b2_py_pipenv_deploy_outdated",
        "dependency_install",
        "pipenv",
        [Run("pipenv install --deploy --system", env={"PIPENV_VENV_IN_PROJECT": "1"})],
        {
            "Pipfile": '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\nsix = "*"\nattrs = "*"\n\n[requires]\npython_version = "3.11"\n',
            "Pipfile.lock": '{\n    "_meta": {\n        "hash": {"sha256": "0000000000000000000000000000000000000000000000000000000000000000"},\n        "pipfile-spec": 6,\n        "requires": {"python_version": "3.11"},\n        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]\n    },\n    "default": {},\n    "develop": {}\n}\n',
        },
        key=["Your Pipfile.lock"],
        note="pipenv wraps its message at 80 columns: the sentence spans three lines",
        version=f"{m.PY_ENV}/bin/pipenv --version",
        py1=True,
        prelude=P,
    ),
)

# -- Python: crashes and resource deaths --------------------------------------------------------
add(
    b2(
        "b2_py_bash_script_fatal_error",
        "segfault",
        "python",
        ["bash -e scripts/build_index.sh"],
        {
            "scripts/build_index.sh": "set -e\necho 'building search index'\npython -X faulthandler scripts/index.py\necho done\n",
            "scripts/index.py": "import ctypes\nprint('loading 12 shards', flush=True)\nctypes.string_at(8, 8)\n",
        },
        key=["Fatal Python error: Segmentation fault"],
        version=f"{PY2}/bin/python --version",
        prelude=P,
        note="a python crash inside a bash -e wrapper script",
    ),
    b2(
        "b2_py_make_pytest_killed",
        "oom_killed",
        "make",
        ["make test"],
        {
            **SRC,
            "Makefile": "test:\n\tpython -m pytest -q -p no:cacheprovider tests\n",
            "tests/test_mem.py": "import os, signal\n\n\ndef test_load_fixture_db():\n    os.kill(os.getpid(), signal.SIGKILL)\n",
        },
        key=["Killed"],
        version="make --version",
        prelude=P,
        note="the pytest process is SIGKILLed as the OOM killer does; make reports Killed",
    ),
    b2(
        "b2_py_memoryerror_script",
        "oom_killed",
        "python",
        ["ulimit -v 400000; python scripts/embed.py"],
        {
            "scripts/embed.py": "print('allocating embedding matrix', flush=True)\nrows = [bytearray(50_000_000) for _ in range(40)]\nprint(len(rows))\n"
        },
        key=["MemoryError"],
        version=f"{PY2}/bin/python --version",
        prelude=P,
        note="Python runs out of memory (address-space limit stands in for the runner's RAM)",
    ),
)

# -- JS/TS: test runners ------------------------------------------------------------------------
CARTJS = "exports.total = (items) => items.reduce((s, i) => s + i.price * (i.qty || 1), 0);\nexports.parseQty = (s) => { const n = Number(s); if (Number.isNaN(n)) throw new RangeError(`bad quantity: ${s}`); return n; };\n"
add(
    b2(
        "b2_js_jest29_verbose_multi",
        "test_failure",
        "jest",
        ["npx jest --ci --verbose"],
        {
            "src/cart.js": CARTJS,
            "test/cart.test.js": """
                const { total, parseQty } = require('../src/cart');

                describe('total', () => {
                  it('sums prices', () => {
                    expect(total([{ price: 2 }, { price: 3 }])).toBe(5);
                  });
                  it('multiplies quantities', () => {
                    expect(total([{ price: 2, qty: 3 }])).toBe(5);
                  });
                });

                describe('parseQty', () => {
                  it('parses numbers', () => {
                    expect(parseQty('4')).toBe(4);
                  });
                  it('rejects words', () => {
                    expect(() => parseQty('four')).toThrow(TypeError);
                  });
                });
                """,
        },
        failures=[
            (
                "total › multiplies quantities",
                "expect(received).toBe(expected) // Object.is equality",
                "test/cart.test.js:8",
            ),
            (
                "parseQty › rejects words",
                "expect(received).toThrow(expected)",
                "test/cart.test.js:17",
            ),
        ],
        key=["expect(received).toBe(expected) // Object.is equality"],
        version=jsv("jest"),
        js2=True,
    ),
    b2(
        "b2_js_jest_snapshot_mismatch",
        "test_failure",
        "jest",
        ["npx jest --ci"],
        {
            "src/label.js": "exports.label = (u) => `${u.first} ${u.last} <${u.email}>`;\n",
            "test/label.test.js": "const { label } = require('../src/label');\n\ntest('formats a user label', () => {\n  expect(label({ first: 'Ada', last: 'Lovelace', email: 'ada@example.com' })).toMatchSnapshot();\n});\n",
            "test/__snapshots__/label.test.js.snap": '// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`formats a user label 1`] = `"Lovelace, Ada <ada@example.com>"`;\n',
        },
        failures=[
            ("formats a user label", "expect(received).toMatchSnapshot()", "test/label.test.js:4")
        ],
        key=["expect(received).toMatchSnapshot()"],
        version=jsv("jest"),
        js2=True,
    ),
    b2(
        "b2_js_jest_suite_syntax_error",
        "build",
        "jest",
        ["npx jest --ci"],
        {
            "src/price.js": "exports.price = (p) => {\n  return p * 1.2;\n;\n",
            "test/price.test.js": "const { price } = require('../src/price');\n\ntest('adds tax', () => {\n  expect(price(10)).toBe(12);\n});\n",
            "test/ok.test.js": "test('ok', () => { expect(1).toBe(1); });\n",
        },
        key=["SyntaxError"],
        version=jsv("jest"),
        js2=True,
        note="the suite cannot load: a source file does not parse (jest: Test suite failed to run)",
    ),
    b2(
        "b2_js_npm_test_jest_wrapped",
        "test_failure",
        "jest",
        ["npm test"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "scripts": {"test": "jest --ci"}}\n',
            "src/slug.js": "exports.slug = (s) => s.toLowerCase().replace(/ /g, '-');\n",
            "src/slug.test.js": "const { slug } = require('./slug');\n\ntest('collapses spaces', () => {\n  expect(slug('Hello  World')).toBe('hello-world');\n});\n",
        },
        failures=[("collapses spaces", 'Expected: "hello-world"', "src/slug.test.js:4")],
        key=['Expected: "hello-world"'],
        version=jsv("jest"),
        js2=True,
        note="npm test wraps jest: npm's own error lines come after jest's",
    ),
    b2(
        "b2_js_vitest2_assertion",
        "test_failure",
        "vitest",
        ["npx vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "src/range.js": "export const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);\n",
            "src/range.test.js": "import { describe, it, expect } from 'vitest';\nimport { range } from './range.js';\n\ndescribe('range', () => {\n  it('is inclusive of the end', () => {\n    expect(range(1, 3)).toEqual([1, 2, 3]);\n  });\n  it('is empty when unbounded', () => {\n    expect(range(0, Infinity)).toEqual([]);\n  });\n});\n",
        },
        failures=[
            (
                "src/range.test.js > range > is inclusive of the end",
                "AssertionError: expected [ 1, 2 ] to deeply equal [ 1, 2, 3 ]",
                "src/range.test.js:6",
            ),
            (
                "src/range.test.js > range > is empty when unbounded",
                "RangeError: Invalid array length",
                "src/range.test.js:9",
            ),
        ],
        key=["AssertionError: expected [ 1, 2 ] to deeply equal [ 1, 2, 3 ]"],
        version=jsv("vitest"),
        js2=True,
    ),
    b2(
        "b2_js_vitest_verbose_reporter",
        "test_failure",
        "vitest",
        ["npx vitest run --reporter=verbose"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "src/user.js": "export const display = (u) => u.profile.name.trim();\n",
            "src/user.test.js": "import { test, expect } from 'vitest';\nimport { display } from './user.js';\n\ntest('trims the name', () => {\n  expect(display({ profile: { name: ' Ada ' } })).toBe('Ada');\n});\n\ntest('handles a missing profile', () => {\n  expect(display({})).toBe('');\n});\n",
        },
        failures=[
            (
                "src/user.test.js > handles a missing profile",
                "TypeError: Cannot read properties of undefined (reading 'name')",
                "src/user.test.js:9",
            )
        ],
        key=["TypeError: Cannot read properties of undefined (reading 'name')"],
        version=jsv("vitest"),
        js2=True,
    ),
    b2(
        "b2_js_mocha10_two_failures",
        "test_failure",
        "mocha",
        ["npx mocha test"],
        {
            "src/q.js": "exports.dedupe = (xs) => [...new Set(xs)];\nexports.first = (xs) => xs[1];\n",
            "test/q.test.js": "const assert = require('node:assert');\nconst { dedupe, first } = require('../src/q');\n\ndescribe('q', function () {\n  it('dedupes', function () {\n    assert.deepStrictEqual(dedupe([1, 1, 2]), [1, 2]);\n  });\n  it('keeps order', function () {\n    assert.deepStrictEqual(dedupe([2, 1, 2]), [1, 2]);\n  });\n  it('takes the first', function () {\n    assert.strictEqual(first(['a', 'b']), 'a');\n  });\n});\n",
        },
        failures=[
            (
                "q keeps order",
                "AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:",
                "test/q.test.js:9",
            ),
            (
                "q takes the first",
                "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
                "test/q.test.js:12",
            ),
        ],
        key=["AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:"],
        version=jsv("mocha"),
        js2=True,
    ),
    b2(
        "b2_js_mocha_tap_reporter",
        "test_failure",
        "mocha",
        ["npx mocha --reporter tap test"],
        {
            "test/t.test.js": "const assert = require('node:assert');\n\ndescribe('math', function () {\n  it('adds', function () { assert.strictEqual(1 + 1, 2); });\n  it('divides', function () { assert.strictEqual(7 / 2, 3); });\n});\n",
        },
        failures=[("math divides", "Expected values to be strictly equal:", None)],
        key=["Expected values to be strictly equal:"],
        version=jsv("mocha"),
        js2=True,
        note="TAP reporter: not ok 2 math divides",
    ),
    b2(
        "b2_js_mocha_before_hook",
        "test_failure",
        "mocha",
        ["npx mocha test"],
        {
            "test/db.test.js": "const fs = require('node:fs');\n\ndescribe('repository', function () {\n  let rows;\n  before(function () {\n    rows = JSON.parse(fs.readFileSync('test/fixtures/rows.json', 'utf8'));\n  });\n  it('has rows', function () {\n    if (!rows.length) throw new Error('empty');\n  });\n});\n",
        },
        failures=[
            (
                'repository "before all" hook for "has rows"',
                "Error: ENOENT: no such file or directory, open 'test/fixtures/rows.json'",
                "test/db.test.js:6",
            )
        ],
        tests=['repository "before all" hook for "has rows"'],
        key=["Error: ENOENT: no such file or directory, open 'test/fixtures/rows.json'"],
        version=jsv("mocha"),
        js2=True,
        note="a before-all hook fails (missing fixture file): mocha names the hook, not a test",
    ),
    b2(
        "b2_js_mocha_timeout",
        "timeout",
        "mocha",
        ["npx mocha --timeout 300 test"],
        {
            "test/slow.test.js": "describe('queue', function () {\n  it('drains', function (done) {\n    setTimeout(done, 5000);\n  });\n});\n",
        },
        failures=[("queue drains", "Error: Timeout of", "test/slow.test.js:2")],
        key=["Error: Timeout of"],
        version=jsv("mocha"),
        js2=True,
    ),
    b2(
        "b2_js_node_test_spec_reporter",
        "test_failure",
        "node:test",
        ["node --test --test-reporter=spec test/"],
        {
            "test/money.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n\ntest('rounds to cents', () => {\n  assert.strictEqual(Math.round(1.005 * 100) / 100, 1.01);\n});\n\ntest('formats', () => {\n  assert.ok(true);\n});\n",
        },
        failures=[
            (
                "rounds to cents",
                "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
                "test/money.test.js:5",
            )
        ],
        key=["Expected values to be strictly equal:"],
        version="node --version",
        js2=True,
    ),
    b2(
        "b2_js_jest_heap_oom",
        "oom_killed",
        "jest",
        [Run("npx jest --ci -w 1", env={"NODE_OPTIONS": "--max-old-space-size=64"})],
        {
            "test/big.test.js": "test('loads every fixture', () => {\n  const all = [];\n  for (;;) all.push(new Array(100000).fill('x'));\n});\n",
        },
        key=["JavaScript heap out of memory"],
        version=jsv("jest"),
        js2=True,
    ),
    b2(
        "b2_js_jest_econnreset",
        "infra_network",
        "jest",
        ["API_URL=http://127.0.0.1:{preset}/v1 npx jest --ci"],
        {
            "test/api.test.js": "test('lists products', async () => {\n  const res = await fetch(`${process.env.API_URL}/products`);\n  expect(res.status).toBe(200);\n});\n",
        },
        failures=[("lists products", "TypeError: fetch failed", "test/api.test.js:2")],
        key=["ECONNRESET"],
        version=jsv("jest"),
        js2=True,
        note="the service resets the connection: infrastructure, retryable",
    ),
)

# -- JS/TS: linters, types, bundlers ------------------------------------------------------------
add(
    b2(
        "b2_js_eslint9_flat",
        "lint",
        "eslint",
        ["npx eslint src"],
        {
            "eslint.config.js": "const js = require('@eslint/js');\nmodule.exports = [js.configs.recommended, { languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', console: 'readonly' } }, rules: { 'no-console': 'warn' } }];\n",
            "src/app.js": "const unused = 1;\nfunction run(items) {\n  console.log(items);\n  return itemz.length;\n}\nmodule.exports = run;\n",
        },
        key=["'itemz' is not defined"],
        version=jsv("eslint"),
        js2=True,
        note="eslint 9 flat config: errors and a warning",
    ),
    b2(
        "b2_js_eslint_max_warnings",
        "lint",
        "eslint",
        ["npx eslint --max-warnings 0 src"],
        {
            "eslint.config.js": "module.exports = [{ rules: { 'no-console': 'warn', 'prefer-const': 'warn' } }];\n",
            "src/app.js": "let x = 1;\nconsole.log(x);\n",
        },
        key=["ESLint found too many warnings (maximum: 0)."],
        version=jsv("eslint"),
        js2=True,
        note="only warnings, but --max-warnings 0 fails the step",
    ),
    b2(
        "b2_js_prettier2_check",
        "format",
        "prettier",
        ["npx prettier --check 'src/**/*.{js,css}'"],
        {
            "src/a.js": "const a = {b:1}\n",
            "src/b.css": "a{color:red}\n",
            "src/c.js": "const c = 1;\n",
        },
        key=["Code style issues found in 2 files. Forgot to run Prettier?"],
        version=jsv("prettier"),
        js2=True,
    ),
    b2(
        "b2_js_npm_run_typecheck_tsc54",
        "type_check",
        "tsc",
        ["npm run typecheck"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "scripts": {"typecheck": "tsc --noEmit -p ."}}\n',
            "tsconfig.json": '{"compilerOptions": {"strict": true, "target": "es2020", "module": "commonjs"}, "include": ["src"]}\n',
            "src/order.ts": "interface Order { id: number; total: number }\n\nexport function describe(o: Order): string {\n  return o.id + ': ' + o.totl;\n}\n\nexport const zero: Order = { id: '0', total: 0 };\n",
        },
        key=["error TS2551: Property 'totl' does not exist on type 'Order'. Did you mean 'total'?"],
        version=jsv("tsc"),
        js2=True,
    ),
    b2(
        "b2_js_workspaces_tsc_build",
        "type_check",
        "tsc",
        ["npm run build --workspaces"],
        {
            "package.json": '{"name": "mono", "version": "1.0.0", "private": true, "workspaces": ["packages/*"]}\n',
            "packages/core/package.json": '{"name": "@mono/core", "version": "1.0.0", "scripts": {"build": "tsc -p ."}}\n',
            "packages/core/tsconfig.json": '{"compilerOptions": {"strict": true, "outDir": "dist", "module": "commonjs"}, "include": ["src"]}\n',
            "packages/core/src/index.ts": "export const add = (a: number, b: number): number => a + b;\n",
            "packages/web/package.json": '{"name": "@mono/web", "version": "1.0.0", "scripts": {"build": "tsc -p ."}}\n',
            "packages/web/tsconfig.json": '{"compilerOptions": {"strict": true, "outDir": "dist", "module": "commonjs"}, "include": ["src"]}\n',
            "packages/web/src/main.ts": "import { render } from './view';\n\nrender(document);\n",
        },
        key=["Cannot find module './view' or its corresponding type declarations."],
        version=jsv("tsc"),
        js2=True,
        hidden="for p in core web; do ln -s ../../node_modules packages/$p/node_modules; done",
        note="monorepo: the web workspace's tsc build fails on TS2307; type_check as js_npm_run_build_tsc (tsc diagnostics in a build script)",
    ),
    b2(
        "b2_js_stylelint16",
        "lint",
        "stylelint",
        ["npx stylelint 'src/**/*.css'"],
        {
            ".stylelintrc.json": '{"extends": "stylelint-config-standard"}\n',
            "src/site.css": "a { color: #FFF; }\n\n.btn {\n  colr: red;\n}\n",
        },
        key=['Unexpected unknown property "colr"'],
        version=jsv("stylelint"),
        js2=True,
    ),
    b2(
        "b2_js_rollup3_unresolved",
        "build",
        "rollup",
        ["npx rollup src/main.js --file dist/bundle.js --format es"],
        {
            "src/main.js": "import { chart } from './charts/line.js';\nconsole.log(chart());\n",
        },
        key=['Could not resolve "./charts/line.js" from "src/main.js"'],
        version=jsv("rollup"),
        js2=True,
    ),
    b2(
        "b2_js_node_script_heap_oom",
        "oom_killed",
        "node",
        ["node --max-old-space-size=48 scripts/build-index.js"],
        {
            "scripts/build-index.js": "const docs = [];\nconsole.log('indexing docs');\nfor (;;) docs.push({ body: 'x'.repeat(1000) + Math.random() });\n"
        },
        key=["JavaScript heap out of memory"],
        version="node --version",
        js2=True,
    ),
    b2(
        "b2_js_node_enospc",
        "disk_full",
        "node",
        ["node scripts/export.js"],
        {
            "scripts/export.js": "const fs = require('node:fs');\nconsole.log('writing export');\nfs.writeFileSync('/dev/full', 'x'.repeat(100000));\n"
        },
        key=["ENOSPC: no space left on device"],
        version="node --version",
        js2=True,
    ),
    b2(
        "b2_js_node_fetch_refused",
        "infra_network",
        "node",
        ["npm run seed"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "scripts": {"seed": "node scripts/seed.js"}}\n',
            "scripts/seed.js": "(async () => {\n  const res = await fetch('http://127.0.0.1:5998/api/seed', { method: 'POST' });\n  console.log(res.status);\n})();\n",
        },
        key=["ECONNREFUSED"],
        version="node --version",
        js2=True,
    ),
)

# -- JS: package managers -----------------------------------------------------------------------
NPMCACHE = "--cache .npmcache --no-audit --no-fund"
add(
    b2(
        "b2_js_npm_eresolve_peer",
        "dependency_install",
        "npm",
        [f"npm install {NPMCACHE}"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"react": "17.0.2", "react-dom": "18.2.0"}}\n'
        },
        key=["npm error code ERESOLVE"],
        version="npm --version",
        prelude=[CHECKOUT, SETUP_NODE],
    ),
    b2(
        "b2_js_npm_ci_out_of_sync",
        "dependency_install",
        "npm",
        [f"npm ci {NPMCACHE}"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"left-pad": "1.3.0", "is-number": "7.0.0"}}\n',
            "package-lock.json": '{"name": "proj", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "proj", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}, "node_modules/left-pad": {"version": "1.3.0", "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQjqhrn2dkhs/Cvmu1JTfjvZrFAs8oZKSQLmMG9qLY9C2hQg=="}}}\n',
        },
        key=["`npm ci` can only install packages when your package.json and package-lock.json"],
        version="npm --version",
        prelude=[CHECKOUT, SETUP_NODE],
    ),
    b2(
        "b2_js_npm_404_scoped",
        "dependency_install",
        "npm",
        [f"npm install {NPMCACHE} @octo-internal-zz/design-tokens@^2.0.0"],
        {"package.json": PKG},
        key=["npm error code E404"],
        version="npm --version",
        prelude=[CHECKOUT, SETUP_NODE],
    ),
    b2(
        "b2_js_yarn_frozen_lockfile",
        "dependency_install",
        "yarn",
        ["yarn install --frozen-lockfile --non-interactive --cache-folder .yarncache"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"left-pad": "1.3.0", "is-number": "7.0.0"}}\n',
            "yarn.lock": '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\nleft-pad@1.3.0:\n  version "1.3.0"\n  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e"\n  integrity sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQjqhrn2dkhs/Cvmu1JTfjvZrFAs8oZKSQLmMG9qLY9C2hQg==\n',
        },
        key=["Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`."],
        version="yarn --version",
        prelude=[CHECKOUT, SETUP_NODE],
    ),
    b2(
        "b2_js_pnpm_outdated_lockfile",
        "dependency_install",
        "pnpm",
        ["pnpm install --frozen-lockfile --store-dir .pnpmstore"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"left-pad": "1.3.0", "is-number": "7.0.0"}}\n',
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n      left-pad:\n        specifier: 1.3.0\n        version: 1.3.0\n\npackages:\n\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQjqhrn2dkhs/Cvmu1JTfjvZrFAs8oZKSQLmMG9qLY9C2hQg==}\n    deprecated: use String.prototype.padStart()\n\nsnapshots:\n\n  left-pad@1.3.0: {}\n",
        },
        key=["ERR_PNPM_OUTDATED_LOCKFILE"],
        version="pnpm --version",
        prelude=[CHECKOUT, SETUP_NODE],
    ),
    b2(
        "b2_js_yarn_registry_429",
        "infra_network",
        "yarn",
        [
            "yarn add left-pad --non-interactive --cache-folder .yarncache --registry http://127.0.0.1:{p429}"
        ],
        {"package.json": PKG},
        key=["429"],
        version="yarn --version",
        prelude=[CHECKOUT, SETUP_NODE],
        note="the registry rate-limits: 429 Too Many Requests",
    ),
)

# -- Ruby ---------------------------------------------------------------------------------------
add(
    b2(
        "b2_rb_rspec_documentation",
        "test_failure",
        "rspec",
        ["rspec --format documentation"],
        {
            "lib/invoice.rb": "class Invoice\n  def initialize(lines) = @lines = lines\n  def total = @lines.sum { |l| l[:price] }\n  def vat = (total * 0.2).round(2)\n  def number = @lines.first.fetch(:number)\nend\n",
            "spec/invoice_spec.rb": "require_relative '../lib/invoice'\n\nRSpec.describe Invoice do\n  let(:invoice) { Invoice.new([{ price: 10 }, { price: 5 }]) }\n\n  it 'sums the lines' do\n    expect(invoice.total).to eq(15)\n  end\n\n  it 'computes VAT' do\n    expect(invoice.vat).to eq(3.5)\n  end\n\n  describe '#number' do\n    it 'comes from the first line' do\n      expect(invoice.number).to eq('INV-1')\n    end\n  end\nend\n",
        },
        failures=[
            ("Invoice computes VAT", "expected: 3.5", "spec/invoice_spec.rb:11"),
            ("Invoice#number comes from the first line", "KeyError:", "spec/invoice_spec.rb:16"),
        ],
        key=["expected: 3.5"],
        version="rspec --version",
        prelude=R,
    ),
    b2(
        "b2_rb_rspec_load_error",
        "build",
        "rspec",
        ["rspec"],
        {
            "lib/parser.rb": "class Parser\n  def parse(s)\n    s.split(',')\n  end\n",
            "spec/parser_spec.rb": "require_relative '../lib/parser'\n\nRSpec.describe Parser do\n  it 'splits' do\n    expect(Parser.new.parse('a,b')).to eq(%w[a b])\n  end\nend\n",
        },
        key=["syntax error, unexpected end-of-input"],
        version="rspec --version",
        prelude=R,
        note="the spec file cannot load (syntax error in lib): An error occurred while loading",
    ),
    b2(
        "b2_rb_minitest_error_and_failure",
        "test_failure",
        "minitest",
        ["ruby -Ilib -Itest test/stock_test.rb"],
        {
            "lib/stock.rb": "class Stock\n  def initialize = @levels = { 'a' => 2 }\n  def level(sku) = @levels.fetch(sku)\n  def reorder?(sku) = level(sku) < 1\nend\n",
            "test/stock_test.rb": "require 'minitest/autorun'\nrequire 'stock'\n\nclass StockTest < Minitest::Test\n  def test_level\n    assert_equal 3, Stock.new.level('a')\n  end\n\n  def test_unknown_sku\n    refute Stock.new.reorder?('zz')\n  end\nend\n",
        },
        failures=[
            ("StockTest#test_level", "Expected: 3", "test/stock_test.rb:6"),
            (
                "StockTest#test_unknown_sku",
                'KeyError: key not found: "zz"',
                "test/stock_test.rb:10",
            ),
        ],
        key=["Expected: 3"],
        version="ruby --version | cut -d' ' -f1-2",
        prelude=R,
    ),
    b2(
        "b2_rb_rubocop_multi",
        "lint",
        "rubocop",
        ["rubocop --format simple lib"],
        {
            ".rubocop.yml": "AllCops:\n  NewCops: disable\n  SuggestExtensions: false\n",
            "lib/report.rb": "# frozen_string_literal: true\n\n# Report\nclass Report\n  def build(rows)\n    unused = 1\n    rows.map { |r| r.to_s }\n  end\nend\n",
        },
        key=["Lint/UselessAssignment: Useless assignment to variable - unused."],
        version="rubocop --version",
        prelude=R,
    ),
    b2(
        "b2_rb_bundler_gem_missing_local",
        "dependency_install",
        "bundler",
        ["bundle install --local"],
        {
            "Gemfile": "source 'https://rubygems.org'\n\ngem 'rake', '~> 13.0'\ngem 'sidekiq', '~> 7.2'\n"
        },
        key=["Could not find gem 'sidekiq (~> 7.2)'"],
        version="bundle --version",
        prelude=R,
    ),
)

# -- shell, containers, apt -------------------------------------------------------------------------
add(
    b2(
        "b2_sh_shellcheck_gcc",
        "lint",
        "shellcheck",
        ["shellcheck -f gcc scripts/*.sh"],
        {
            "scripts/deploy.sh": "#!/bin/bash\nfor f in $(ls *.tar.gz); do\n  echo $f\ndone\ncd $TARGET_DIR\n",
            "scripts/ok.sh": "#!/bin/sh\necho ok\n",
        },
        key=["SC2045"],
        version="shellcheck --version | sed -n 2p",
        prelude=[CHECKOUT],
    ),
    b2(
        "b2_podman_build_copy_missing",
        "build",
        "podman",
        ["podman build --network=none -t proj:ci ."],
        {"Containerfile": 'FROM scratch\nCOPY dist/app /app\nCMD ["/app"]\n', "README.md": "x\n"},
        key=["no such file or directory"],
        version="podman --version",
        prelude=[CHECKOUT],
        note="the image build copies an artifact that the job never built",
    ),
    b2(
        "b2_podman_pull_dns",
        "infra_network",
        "podman",
        ["podman pull docker.io/library/postgres:16"],
        key=["docker.io"],
        version="podman --version",
        prelude=[CHECKOUT],
    ),
    b2(
        "b2_apt_unable_to_locate",
        "dependency_install",
        "apt-get",
        ["apt-get install -s -y --no-install-recommends libpq-dev libvips-dev-zz"],
        key=["E: Unable to locate package libvips-dev-zz"],
        version="apt-get --version | head -1",
        prelude=[CHECKOUT],
    ),
    b2(
        "b2_apt_mirror_503",
        "infra_network",
        "apt-get",
        [
            "mkdir -p apt/lists/partial && echo 'deb [trusted=yes] http://127.0.0.1:{p503}/debian bookworm main' > apt/sources.list\n"
            "apt-get -o Dir::Etc::sourcelist=$PWD/apt/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$PWD/apt/lists -o APT::Update::Error-Mode=any update"
        ],
        key=["503"],
        version="apt-get --version | head -1",
        prelude=[CHECKOUT],
        note="the package mirror answers 503",
    ),
    b2(
        "b2_bash_e_script_curl_dns",
        "infra_network",
        "curl",
        ["bash -e scripts/fetch-fixtures.sh"],
        {
            "scripts/fetch-fixtures.sh": "echo 'fetching fixtures'\nmkdir -p fixtures\ncurl -fsSL --retry 2 --retry-delay 1 -o fixtures/geo.json https://fixtures.example-cdn.net/geo.json\necho fetched\n"
        },
        key=["Could not resolve host: fixtures.example-cdn.net"],
        version="curl --version | head -1 | cut -d' ' -f1-2",
        prelude=[CHECKOUT],
    ),
)
