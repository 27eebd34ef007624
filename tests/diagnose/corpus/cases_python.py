# ruff: noqa: E501
"""Python tools: pytest (plain, xdist, timeout), unittest, doctest, tox, nox, linters,
formatters, type checkers, pip/poetry/uv/pipenv, pre-commit, sphinx, build."""

from __future__ import annotations

from generate import SETUP_PY
from more_cases import Run, add, case

PYV = "python -m pytest --version"
CALC = {
    "src/calc.py": """
        def add(a, b):
            return a + b + (1 if a == 2 else 0)


        def div(a, b):
            return a / b


        def parse_price(text):
            return {"amount": float(text)}["price"]
        """,
    "tests/__init__.py": "",
    "conftest.py": "import sys\nsys.path.insert(0, 'src')\n",
}
P = [SETUP_PY]

add(
    case(
        "py_pytest_dict_compare",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_cfg.py": """
                def load():
                    return {"a": 1, "b": 2}


                def test_defaults():
                    assert load() == {"a": 1, "b": 3}


                def test_keys():
                    assert set(load()) == {"a", "b"}
                """,
        },
        failures=[
            (
                "tests/test_cfg.py::test_defaults",
                "assert {'a': 1, 'b': 2} == {'a': 1, 'b': 3}",
                "tests/test_cfg.py:6",
            )
        ],
        key=["assert {'a': 1, 'b': 2} == {'a': 1, 'b': 3}"],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_pytest_exception_in_code",
        "test_failure",
        "pytest",
        ["python -m pytest -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_order.py": """
                import calc


                def test_add():
                    assert calc.add(1, 1) == 2


                def test_price():
                    assert calc.parse_price("12.5") == 12.5


                def test_div_zero():
                    assert calc.div(1, 0) == 0
                """,
        },
        failures=[
            ("tests/test_order.py::test_price", "KeyError: 'price'", "tests/test_order.py:9"),
            (
                "tests/test_order.py::test_div_zero",
                "ZeroDivisionError: division by zero",
                "tests/test_order.py:13",
            ),
        ],
        key=["KeyError: 'price'", "ZeroDivisionError: division by zero"],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_pytest_xdist_worker_killed",
        "oom_killed",
        "pytest-xdist",
        ["python -m pytest -n 2 -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_big.py": """
                import os
                import signal


                def test_small():
                    assert sum(range(10)) == 45


                def test_load_all_rows():
                    # what the kernel's OOM killer does to a worker that grows too big
                    os.kill(os.getpid(), signal.SIGKILL)


                def test_other():
                    assert True
                """,
        },
        tests=["tests/test_big.py::test_load_all_rows"],
        key=["crashed while running"],
        version=PYV,
        prelude=[*P],
        note="the worker is SIGKILLed as the OOM killer would: a resource death, not a test bug",
    ),
    case(
        "py_pytest_timeout_plugin",
        "timeout",
        "pytest-timeout",
        ["python -m pytest -q -p no:cacheprovider --timeout=2 tests"],
        {
            **CALC,
            "tests/test_wait.py": """
                import time


                def test_quick():
                    assert 1 + 1 == 2


                def test_waits_for_queue():
                    time.sleep(30)
                """,
        },
        failures=[
            ("tests/test_wait.py::test_waits_for_queue", "Failed: Timeout", "tests/test_wait.py:9")
        ],
        key=["Failed: Timeout"],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_pytest_network_in_test",
        "infra_network",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_api.py": """
                import requests


                def test_release_exists():
                    response = requests.get("https://api.github.com/repos/octo/proj/releases/latest", timeout=5)
                    assert response.status_code == 200
                """,
        },
        failures=[
            (
                "tests/test_api.py::test_release_exists",
                "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.github.com', port=443)",
                "tests/test_api.py:5",
            )
        ],
        key=["Failed to resolve 'api.github.com'"],
        version=PYV,
        prelude=[*P],
        note="the test fails because DNS failed: infrastructure, retryable",
    ),
    case(
        "py_pytest_collection_import_error",
        "build",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_report.py": """
                from calc import render_report


                def test_report():
                    assert render_report([]) == ""
                """,
        },
        key=["ImportError: cannot import name 'render_report' from 'calc'"],
        version=PYV,
        prelude=[*P],
        note="the test module does not import: the Python counterpart of a test binary that does not compile",
    ),
    case(
        "py_pytest_parametrize_many",
        "test_failure",
        "pytest",
        ["python -m pytest -v -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_even.py": """
                import pytest


                @pytest.mark.parametrize("n", [0, 2, 3, 4, 5, 6])
                def test_is_even(n):
                    assert n % 2 == 0
                """,
        },
        failures=[
            ("tests/test_even.py::test_is_even[3]", "assert (3 % 2) == 0", "tests/test_even.py:6"),
            ("tests/test_even.py::test_is_even[5]", "assert (5 % 2) == 0", "tests/test_even.py:6"),
        ],
        key=["assert (3 % 2) == 0"],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_pytest_type_error_in_code",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider -rf tests"],
        {
            **CALC,
            "tests/test_parse.py": """
                import pytest

                import calc


                def test_rejects_text():
                    with pytest.raises(ValueError):
                        calc.add("1", "2")
                """,
        },
        failures=[
            (
                "tests/test_parse.py::test_rejects_text",
                'TypeError: can only concatenate str (not "int") to str',
                "tests/test_parse.py:8",
            )
        ],
        key=['TypeError: can only concatenate str (not "int") to str'],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_pytest_float_and_string",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_fmt.py": """
                def greet(name):
                    return f"Hello,  {name}!"


                def test_sum():
                    assert 0.1 + 0.2 == 0.3


                def test_greet():
                    assert greet("Ada") == "Hello, Ada!"
                """,
        },
        failures=[
            ("tests/test_fmt.py::test_sum", "assert (0.1 + 0.2) == 0.3", "tests/test_fmt.py:6"),
            (
                "tests/test_fmt.py::test_greet",
                "AssertionError: assert 'Hello,  Ada!' == 'Hello, Ada!'",
                "tests/test_fmt.py:10",
            ),
        ],
        key=["assert (0.1 + 0.2) == 0.3"],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_pytest_abort_fatal",
        "segfault",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CALC,
            "tests/test_native.py": """
                import os


                def test_native_ext():
                    os.abort()
                """,
        },
        key=["Fatal Python error: Aborted"],
        version=PYV,
        prelude=[*P],
    ),
    case(
        "py_ctypes_segfault",
        "segfault",
        "python",
        ["python -X faulthandler thumbs.py"],
        {
            "thumbs.py": """
                import ctypes


                def resize(buffer_address):
                    return ctypes.string_at(buffer_address, 64)


                print("resizing 3 images")
                resize(0)
                """,
        },
        key=["Fatal Python error: Segmentation fault"],
        version="python --version",
        prelude=[*P],
    ),
    case(
        "py_unittest_setup_error",
        "test_failure",
        "unittest",
        ["python -m unittest discover -s tests -v"],
        {
            "tests/test_db.py": """
                import sqlite3
                import unittest


                class UserStoreTest(unittest.TestCase):
                    def setUp(self):
                        self.db = sqlite3.connect(":memory:")
                        self.db.execute("SELECT * FROM users")

                    def test_count(self):
                        self.assertEqual(1, 1)


                class NameTest(unittest.TestCase):
                    def test_roles(self):
                        self.assertIn("admin", ["user", "guest"])
                """,
        },
        failures=[
            (
                "test_db.UserStoreTest.test_count",
                "sqlite3.OperationalError: no such table: users",
                "tests/test_db.py:8",
            ),
            (
                "test_db.NameTest.test_roles",
                "AssertionError: 'admin' not found in ['user', 'guest']",
                "tests/test_db.py:16",
            ),
        ],
        key=["sqlite3.OperationalError: no such table: users"],
        version="python --version",
        prelude=[*P],
    ),
    case(
        "py_doctest_failure",
        "test_failure",
        "doctest",
        ["python -m doctest -o NORMALIZE_WHITESPACE mathx.py"],
        {
            "mathx.py": '''
                def double(x):
                    """Twice x.

                    >>> double(2)
                    4
                    >>> double(3)
                    6
                    """
                    return x * 2 + (x == 3)
                ''',
        },
        failures=[("mathx.double", "Expected: 6 Got: 7", "mathx.py:6")],
        key=["Failed example:"],
        version="python --version",
        prelude=[*P],
    ),
    case(
        "py_tox_pytest",
        "test_failure",
        "tox",
        [Run("tox -e py -q", timeout=400)],
        {
            **CALC,
            "tox.ini": "[tox]\nskipsdist = true\n\n[testenv]\ndeps = pytest\ncommands = pytest -q -p no:cacheprovider tests\n",
            "tests/test_calc.py": """
                import calc


                def test_add_two():
                    assert calc.add(2, 2) == 4
                """,
        },
        failures=[("tests/test_calc.py::test_add_two", "assert 5 == 4", "tests/test_calc.py:5")],
        key=["assert 5 == 4"],
        version="tox --version",
        prelude=[*P],
    ),
    case(
        "py_nox_pytest",
        "test_failure",
        "nox",
        [Run("nox -s tests", timeout=400)],
        {
            **CALC,
            "noxfile.py": """
                import nox


                @nox.session(python=False)
                def tests(session):
                    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
                """,
            "tests/test_calc.py": """
                import calc


                def test_div():
                    assert calc.div(1, 4) == 0.2
                """,
        },
        failures=[("tests/test_calc.py::test_div", "assert 0.25 == 0.2", "tests/test_calc.py:5")],
        key=["assert 0.25 == 0.2"],
        version="nox --version",
        prelude=[*P],
    ),
    case(
        "py_ruff_github_format",
        "lint",
        "ruff check",
        ["ruff check --no-cache --isolated --output-format=github ."],
        {"app.py": "import os\nimport json\n\n\ndef f(x=[]):\n    return undefined + x\n"},
        key=["Undefined name `undefined`"],
        version="ruff --version",
    ),
    case(
        "py_flake8_errors",
        "lint",
        "flake8",
        ["flake8 --max-line-length 100 src"],
        {
            "src/app.py": "import os, sys\n\ndef main( ):\n    l = 1\n    print(undefined_thing)\n    return  None\n"
        },
        key=["src/app.py:5:11: F821 undefined name 'undefined_thing'"],
        version="flake8 --version",
        prelude=[*P],
    ),
    case(
        "py_pylint_messages",
        "lint",
        "pylint",
        ["pylint --disable=C0114 src"],
        {
            "src/__init__.py": "",
            "src/shop.py": "import os\n\n\ndef total(items):\n    result = 0\n    for item in items:\n        result += item.price\n    return reslt\n",
        },
        key=["E0602: Undefined variable 'reslt' (undefined-variable)"],
        version="pylint --version | head -1",
        prelude=[*P],
    ),
    case(
        "py_pylint_import_error",
        "lint",
        "pylint",
        ["pylint --disable=C src/app.py"],
        {
            "src/app.py": "import requests_oauthlib2\n\n\ndef fetch():\n    return requests_oauthlib2.get()\n"
        },
        key=["E0401: Unable to import 'requests_oauthlib2' (import-error)"],
        version="pylint --version | head -1",
        prelude=[*P],
    ),
    case(
        "py_black_check",
        "format",
        "black",
        ["black --check --diff ."],
        {"app.py": "def f( a,b ):\n  return {'a':a,'b':b}\n", "ok.py": "x = 1\n"},
        key=["would reformat /home/runner/work/proj/proj/app.py"],
        version="black --version | head -1",
        prelude=[*P],
    ),
    case(
        "py_isort_check",
        "format",
        "isort",
        ["isort --check-only --diff ."],
        {
            "app.py": "import sys\nimport os\nfrom b import y\nfrom a import x\n\nprint(os, sys, x, y)\n"
        },
        key=["Imports are incorrectly sorted and/or formatted."],
        version="isort --version-number",
        prelude=[*P],
    ),
    case(
        "py_mypy_strict",
        "type_check",
        "mypy",
        ["mypy --strict --no-incremental --cache-dir=/dev/null pkg"],
        {
            "pkg/__init__.py": "",
            "pkg/core.py": "def load(path):\n    return open(path).read()\n\n\ndef size(text: str) -> int:\n    return text\n",
        },
        key=[
            'pkg/core.py:6: error: Incompatible return value type (got "str", expected "int")  [return-value]'
        ],
        version="mypy --version",
        prelude=[*P],
    ),
    case(
        "py_mypy_missing_stubs",
        "type_check",
        "mypy",
        ["mypy --no-incremental --cache-dir=/dev/null app.py"],
        {"app.py": "import yaml\nimport attrs_missing_pkg\n\nprint(yaml, attrs_missing_pkg)\n"},
        key=[
            'app.py:2: error: Cannot find implementation or library stub for module named "attrs_missing_pkg"'
        ],
        version="mypy --version",
        prelude=[*P],
    ),
    case(
        "py_pyright_errors",
        "type_check",
        "pyright",
        [Run("pyright app.py", timeout=300)],
        {
            "app.py": "def greet(name: str) -> str:\n    return 'hi ' + name\n\n\ngreet(42)\nvalue: int = greet('x')\n"
        },
        key=['Argument of type "Literal[42]" cannot be assigned to parameter "name" of type "str"'],
        version="pyright --version",
        hidden="pyright --version",
        prelude=[*P],
    ),
    case(
        "py_bandit_findings",
        "lint",
        "bandit",
        ["bandit -q -r src"],
        {
            "src/run.py": "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n\n\npassword = 'hunter2'\n"
        },
        key=["subprocess call with shell=True identified, security issue."],
        version="bandit --version | head -1",
        prelude=[*P],
    ),
    case(
        "py_codespell",
        "lint",
        "codespell",
        ["codespell src README.md"],
        {
            "README.md": "# Proj\n\nThis is teh best libary.\n",
            "src/a.py": "# recieve the message\nx = 1\n",
        },
        key=["README.md:3: teh ==> the"],
        version="codespell --version",
    ),
    case(
        "py_yamllint",
        "lint",
        "yamllint",
        ["yamllint -f parsable .github"],
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi   \n      - run: echo  hi\n        run: echo twice\n"
        },
        key=['duplication of key "run" in mapping'],
        version="yamllint --version",
    ),
    case(
        "py_sphinx_warning_as_error",
        "build",
        "sphinx",
        ["sphinx-build -W -b html docs docs/_build"],
        {
            "docs/conf.py": "project = 'proj'\nextensions = []\n",
            "docs/index.rst": "Proj\n====\n\n.. toctree::\n\n   usage\n   missing_page\n",
            "docs/usage.rst": "Usage\n=====\n\nSee :ref:`install-guide`.\n",
        },
        key=["WARNING: toctree contains reference to nonexisting document 'missing_page'"],
        version="sphinx-build --version",
        prelude=[*P],
    ),
)

# -- installers ------------------------------------------------------------------------------

WHEEL_PREP = """
mkdir -p wheels && cd wheels && mkdir -p src/corpuslib && echo 'x = 1' > src/corpuslib/__init__.py
printf '[build-system]\\nrequires=["setuptools"]\\nbuild-backend="setuptools.build_meta"\\n[project]\\nname="corpuslib"\\nversion="1.0"\\n' > pyproject.toml
python -m pip wheel -q --no-deps --no-build-isolation -w . . >/dev/null && rm -rf src pyproject.toml build *.egg-info src
"""

add(
    case(
        "py_pip_hash_mismatch",
        "dependency_install",
        "pip",
        [
            "python -m pip install --no-index --find-links wheels --require-hashes -r requirements.txt"
        ],
        {
            "requirements.txt": "corpuslib==1.0 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
        },
        key=["THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE."],
        version="python -m pip --version | cut -d' ' -f1,2",
        hidden=WHEEL_PREP,
        prelude=[*P],
    ),
    case(
        "py_pip_sdist_build_failure",
        "dependency_install",
        "pip",
        ["python -m pip install --no-build-isolation ./vendor/fastcodec"],
        {
            "vendor/fastcodec/setup.py": "from setuptools import Extension, setup\n\nsetup(name='fastcodec', version='0.3', ext_modules=[Extension('fastcodec', ['codec.c'])])\n",
            "vendor/fastcodec/codec.c": "#include <Python.h>\n#include <zstd_missing.h>\nstatic int x;\n",
        },
        key=["fatal error: zstd_missing.h: No such file or directory"],
        version="python -m pip --version | cut -d' ' -f1,2",
        prelude=[*P],
    ),
    case(
        "py_pip_dns_failure",
        "infra_network",
        "pip",
        [
            "python -m pip install --retries 1 --timeout 5 --index-url https://download.pytorch.org/whl/cpu torch==2.3.0"
        ],
        key=["[Errno -2] Name or service not known"],
        version="python -m pip --version | cut -d' ' -f1,2",
        prelude=[*P],
    ),
    case(
        "py_pip_503",
        "infra_network",
        "pip",
        [
            "python -m pip install --retries 1 --timeout 5 http://127.0.0.1:{p503}/packages/flask-3.0.3-py3-none-any.whl"
        ],
        key=["too many 503 error responses"],
        version="python -m pip --version | cut -d' ' -f1,2",
        prelude=[*P],
    ),
    case(
        "py_pip_429",
        "infra_network",
        "pip",
        [
            "python -m pip download --retries 1 --timeout 5 -d dl http://127.0.0.1:{p429}/packages/numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl"
        ],
        key=["429"],
        version="python -m pip --version | cut -d' ' -f1,2",
        prelude=[*P],
    ),
    case(
        "py_pip_tls_self_signed",
        "infra_network",
        "pip",
        [
            "python -m pip install --retries 1 --timeout 5 --index-url https://127.0.0.1:{ptls}/simple flask"
        ],
        key=["[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"],
        version="python -m pip --version | cut -d' ' -f1,2",
        prelude=[*P],
    ),
    case(
        "py_pip_connection_reset",
        "infra_network",
        "pip",
        [
            "python -m pip install --retries 1 --timeout 5 --index-url http://127.0.0.1:{preset}/simple django"
        ],
        key=["ConnectionResetError(104, 'Connection reset by peer')"],
        version="python -m pip --version | cut -d' ' -f1,2",
        prelude=[*P],
    ),
    case(
        "py_pip_requires_python",
        "dependency_install",
        "pip",
        ["python -m pip install --no-index --find-links wheels newlib==2.0"],
        key=["requires a different Python"],
        version="python -m pip --version | cut -d' ' -f1,2",
        hidden="""
mkdir -p wheels b/src/newlib && cd b && echo 'x = 1' > src/newlib/__init__.py
printf '[build-system]\\nrequires=["setuptools"]\\nbuild-backend="setuptools.build_meta"\\n[project]\\nname="newlib"\\nversion="2.0"\\nrequires-python=">=3.13"\\n' > pyproject.toml
python -m pip wheel -q --no-deps --no-build-isolation --ignore-requires-python -w ../wheels . >/dev/null && cd .. && rm -rf b
""",
        prelude=[*P],
    ),
    case(
        "py_poetry_lock_outdated",
        "dependency_install",
        "poetry",
        [Run("poetry install --no-root --no-interaction", timeout=300)],
        {
            "pyproject.toml": '[tool.poetry]\nname = "proj"\nversion = "0.1.0"\ndescription = ""\nauthors = ["A <a@example.com>"]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\nidna = "^3.7"\n',
            "poetry.lock": '# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\npackage = []\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "0000000000000000000000000000000000000000000000000000000000000000"\n',
        },
        key=["pyproject.toml changed significantly since poetry.lock was last generated"],
        version="poetry --version",
        prelude=[*P],
    ),
    case(
        "py_uv_no_solution",
        "dependency_install",
        "uv",
        [Run("uv pip install --system --dry-run 'requests==99.0.0'", timeout=200)],
        key=["No solution found when resolving dependencies"],
        version="uv --version",
        prelude=[*P],
    ),
    case(
        "py_uv_locked_outdated",
        "dependency_install",
        "uv",
        [Run("uv sync --locked", timeout=300)],
        {
            "pyproject.toml": '[project]\nname = "proj"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["idna>=3.7", "six"]\n',
        },
        key=["--locked"],
        version="uv --version",
        hidden='printf \'[project]\\nname = "proj"\\nversion = "0.1.0"\\nrequires-python = ">=3.11"\\ndependencies = ["idna>=3.7"]\\n\' > pyproject.toml.old && cp pyproject.toml pyproject.toml.new && cp pyproject.toml.old pyproject.toml && uv lock -q && mv pyproject.toml.new pyproject.toml && rm pyproject.toml.old',
        prelude=[*P],
    ),
    case(
        "py_pipenv_deploy_outdated",
        "dependency_install",
        "pipenv",
        [
            Run(
                "pipenv install --deploy",
                timeout=300,
                env={"PIPENV_VENV_IN_PROJECT": "1", "PIPENV_NOSPIN": "1"},
            )
        ],
        {
            "Pipfile": '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\nidna = "*"\nsix = "*"\n\n[requires]\npython_version = "3.11"\n',
            "Pipfile.lock": '{"_meta": {"hash": {"sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, "pipfile-spec": 6, "requires": {"python_version": "3.11"}, "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]}, "default": {}, "develop": {}}\n',
        },
        key=["Aborting deploy"],
        version="pipenv --version",
        prelude=[*P],
    ),
    case(
        "py_precommit_hook_fetch_dns",
        "infra_network",
        "pre-commit",
        [Run("pre-commit run --all-files --show-diff-on-failure", timeout=200)],
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.4.2\n    hooks:\n      - id: black\n",
            "app.py": "x = 1\n",
        },
        key=["Could not resolve host: github.com"],
        version="pre-commit --version",
        hidden="git init -q . && git add -A && git -c user.email=a@b -c user.name=a commit -qm init",
        prelude=[*P],
    ),
    case(
        "py_build_sdist_failure",
        "build",
        "python -m build",
        [Run("python -m build --no-isolation --sdist --wheel .", timeout=200)],
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "proj"\nversion = "0.1.0"\n\n[tool.setuptools]\npackages = ["proj", "proj.plugins"]\npackage-dir = {"" = "src"}\n',
            "src/proj/__init__.py": "",
        },
        key=["error: package directory 'src/proj/plugins' does not exist"],
        version="python -m build --version",
        prelude=[*P],
    ),
    case(
        "py_lint_then_tests_always",
        "test_failure",
        "pytest",
        [
            "ruff check --no-cache --isolated .",
            Run("python -m pytest -q -p no:cacheprovider tests", always=True),
        ],
        {
            **CALC,
            "src/util.py": "import os\n",
            "tests/test_ok.py": "import calc\n\n\ndef test_div():\n    assert calc.div(4, 2) == 2\n\n\ndef test_add():\n    assert calc.add(2, 2) == 4\n",
        },
        failures=[("tests/test_ok.py::test_add", "assert 5 == 4", "tests/test_ok.py:9")],
        key=["assert 5 == 4"],
        failed_steps=[
            ("Run ruff check --no-cache --isolated .", "lint"),
            ("Run python -m pytest -q -p no:cacheprovider tests", "test_failure"),
        ],
        step="Run python -m pytest -q -p no:cacheprovider tests",
        version="ruff --version",
        prelude=[*P],
        note=(
            "if: always() runs the tests after lint failed. The log is the same shape as "
            "continue_on_error_lint_then_tests (nothing in a job log tells if: always() from "
            "continue-on-error), so both name the failing tests, the blocking failure in either "
            "reading; the lint step is in failed_steps with its own category (settled in j11a)"
        ),
    ),
    case(
        "py_typecheck_coe_then_pytest",
        "test_failure",
        "pytest",
        [
            Run("mypy --no-incremental --cache-dir=/dev/null src", continue_on_error=True),
            "python -m pytest -q -p no:cacheprovider tests",
        ],
        {
            **CALC,
            "src/typed.py": "def f(x: int) -> str:\n    return x\n",
            "tests/test_c.py": "import calc\n\n\ndef test_add_two():\n    assert calc.add(2, 2) == 4\n",
        },
        failures=[("tests/test_c.py::test_add_two", "assert 5 == 4", "tests/test_c.py:5")],
        key=["assert 5 == 4"],
        failed_steps=[
            ("Run mypy --no-incremental --cache-dir=/dev/null src", "type_check"),
            ("Run python -m pytest -q -p no:cacheprovider tests", "test_failure"),
        ],
        version=PYV,
        prelude=[*P],
        note="mypy has continue-on-error: the job fails because of the tests",
    ),
)
