"""pip's failures: the category a maintainer names and the line they read first (rules
``pip-resolution``, ``network-error``, ``project-manifest-not-found`` and the new
``pip-subprocess-exception`` and ``pip-check-broken``).

Each sample is built from pip's (or the wrapping tool's) own source:

- pip ``src/pip/_internal/resolution/resolvelib/factory.py`` (``Cannot install … because these
  package versions have conflicting dependencies``, ``ResolutionImpossible``, ``Could not
  find a version that satisfies the requirement``, ``No matching distribution found``); pip
  before 19 ``src/pip/_internal/index.py`` (the same two lines without ``ERROR:``, the first
  indented two spaces);
- pip ``src/pip/_internal/exceptions.py`` (``HashMismatch``, ``ExternallyManagedEnvironment``,
  ``InstallationSubprocessError``: the ``× … did not run successfully.`` / ``│ exit code: 1`` /
  ``╰─> [N lines of output]`` box, the output indented six spaces) and 19.3-21's
  ``src/pip/_internal/utils/subprocess.py`` (``ERROR: Command errored out with exit status
  1:`` / ``Complete output (N lines):``);
- pip ``src/pip/_internal/commands/check.py`` (``x 1.0 has requirement y>=2, but you have y
  1.0.``, ``x 1.0 requires y, which is not installed.``) and ``commands/install.py``'s
  warning after a successful install (``… but you have y 1.0 which is incompatible.``);
- pip ``src/pip/_internal/req/constructors.py`` (``… does not appear to be a Python project:
  neither 'setup.py' nor 'pyproject.toml' found.``);
- pip ``src/pip/_internal/network/session.py`` with urllib3's Retry (``Retrying (Retry(total=4,
  …)) after connection broken by 'ProxyError('Cannot connect to proxy.', OSError('Tunnel
  connection failed: 407 Proxy Authentication Required'))'``);
- pip-tools ``piptools/exceptions.py`` NoCandidateFound (``Could not find a version that
  matches …``, ``Tried: …``, ``There are incompatible versions in the resolved dependencies:``).
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.logreader import text_source
from tests.diagnose.joblogs import actions_job


def _plain(lines: list[str]) -> Diagnosis:
    return diagnose(text_source("\n".join(lines) + "\n"))


def _actions(command: str, lines: list[str], code: int = 1) -> Diagnosis:
    log: io.BytesIO = actions_job(command, lines, code)
    return diagnose(log.getvalue())


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


def _assert(result: Diagnosis, category: str, message: str) -> None:
    texts = _texts(result)
    assert result.category == category, (result.category, result.rule, texts)
    assert any(message in t for t in texts), texts


def _box(inner: list[str], package: str = "pyfoo") -> list[str]:
    """pip 22+'s report of a wheel build that failed, the backend's output inside."""
    output = ["running bdist_wheel", "running build", "running build_ext", *inner]
    return [
        f"  Building wheel for {package} (pyproject.toml): started",
        f"  Building wheel for {package} (pyproject.toml): finished with status 'error'",
        "  error: subprocess-exited-with-error",
        "  ",
        f"  × Building wheel for {package} (pyproject.toml) did not run successfully.",
        "  │ exit code: 1",
        f"  ╰─> [{len(output)} lines of output]",
        *["      " + line for line in output],
        "      [end of output]",
        "  ",
        "  note: This error originates from a subprocess, and is likely not a problem with pip.",
        f"  ERROR: Failed building wheel for {package}",
        f"Failed to build {package}",
        f"ERROR: Could not build wheels for {package}, which is required to install "
        "pyproject.toml-based projects",
    ]


PROXY_RETRY = (
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) "
    "after connection broken by 'ProxyError('Cannot connect to proxy.', OSError('Tunnel "
    "connection failed: 407 Proxy Authentication Required'))': /simple/foo/"
)


def test_proxy_refused_is_the_network_not_a_missing_package() -> None:
    result = _actions(
        "pip install foo",
        [
            PROXY_RETRY,
            "ERROR: Could not find a version that satisfies the requirement foo "
            "(from versions: none)",
            "ERROR: No matching distribution found for foo",
        ],
    )
    _assert(result, "infra_network", "Tunnel connection failed: 407")


def test_pip_before_19_no_version_found_without_error_prefix() -> None:
    lines = [
        "Collecting tensorflow==1.15",
        "  Could not find a version that satisfies the requirement tensorflow==1.15 "
        "(from versions: 2.2.0rc1, 2.2.0rc2)",
        "No matching distribution found for tensorflow==1.15",
        "You are using pip version 19.0.3, however version 20.0.2 is available.",
        "You should consider upgrading via the 'pip install --upgrade pip' command.",
    ]
    result = _plain(lines)
    assert result.rule == "pip-resolution"
    _assert(result, "dependency_install", "Could not find a version that satisfies")


def test_pip_tools_no_candidate_found() -> None:
    result = _actions(
        "pip-compile requirements.in",
        [
            "Could not find a version that matches django<2,>=3.2 "
            "(from -r requirements.in (line 1))",
            "Tried: 1.11, 2.0, 3.2, 4.0",
            "There are incompatible versions in the resolved dependencies:",
            "  django>=3.2 (from -r requirements.in (line 1))",
            "  django<2 (from django-foo==0.1->-r requirements.in (line 2))",
        ],
    )
    assert result.rule == "pip-resolution"
    _assert(result, "dependency_install", "Could not find a version that matches django")


def test_pip_check_broken_requirements() -> None:
    result = _plain(
        [
            "$ python -m pip check",
            "requests 2.31.0 has requirement urllib3<3,>=1.21.1, but you have urllib3 0.9.",
            "baz 0.3 requires qux, which is not installed.",
        ]
    )
    assert result.rule == "pip-check-broken"
    _assert(result, "dependency_install", "has requirement urllib3<3,>=1.21.1")


def test_install_warning_does_not_outrank_the_test_that_failed() -> None:
    """Near miss: pip's conflict warning after an install that succeeded, then a failed test."""
    result = _actions(
        "pip install foo && pytest",
        [
            "Installing collected packages: bar, foo",
            "ERROR: pip's dependency resolver does not currently take into account all the "
            "packages that are installed. This behaviour is the source of the following "
            "dependency conflicts.",
            "baz 1.0 requires qux, which is not installed.",
            "Successfully installed bar-2.0 foo-1.0",
            "============================= test session starts ==============================",
            "collected 1 item",
            "",
            "tests/test_a.py F                                                        [100%]",
            "",
            "=================================== FAILURES ===================================",
            "____________________________________ test_a ____________________________________",
            "",
            "    def test_a():",
            ">       assert 1 == 2",
            "E       assert 1 == 2",
            "",
            "tests/test_a.py:2: AssertionError",
            "=========================== short test summary info ============================",
            "FAILED tests/test_a.py::test_a - assert 1 == 2",
            "============================== 1 failed in 0.02s ===============================",
        ],
    )
    _assert(result, "test_failure", "assert 1 == 2")


@pytest.mark.parametrize(
    "line",
    [
        "ERROR: file:///home/runner/app does not appear to be a Python project: "
        "neither 'setup.py' nor 'pyproject.toml' found.",
        "ERROR: Directory '.' is not installable. Neither 'setup.py' nor 'pyproject.toml' found.",
    ],
)
def test_not_a_python_project_is_the_build_setup(line: str) -> None:
    """Like cargo's or SwiftPM's manifest not found: the install ran outside the checkout."""
    result = _plain([line])
    assert result.rule == "project-manifest-not-found"
    _assert(result, "build", "Python project" if "appear" in line else "is not installable")


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        (
            [
                "Exception: Can not find valid pkg-config name.",
                "Specify MYSQLCLIENT_CFLAGS and MYSQLCLIENT_LDFLAGS env vars manually",
            ],
            "Exception: Can not find valid pkg-config name.",
        ),
        (
            [
                "/bin/sh: 1: mysql_config: not found",
                "Traceback (most recent call last):",
                '  File "setup.py", line 15, in <module>',
                "OSError: mysql_config not found",
            ],
            "OSError: mysql_config not found",
        ),
        (
            [
                "Error: pg_config executable not found.",
                "",
                "pg_config is required to build psycopg2 from source.",
            ],
            "Error: pg_config executable not found.",
        ),
    ],
)
def test_the_backend_error_inside_pips_box_is_a_key_line(inner: list[str], message: str) -> None:
    result = _actions("pip install -r requirements.txt", _box(inner))
    _assert(result, "dependency_install", message)
    assert result.rule == "pip-resolution"  # pip's verdict still names the step's cause


def test_pip_21_complete_output_exception_is_a_key_line() -> None:
    result = _actions(
        "pip install pyfoo",
        [
            "Collecting pyfoo==0.3",
            "    ERROR: Command errored out with exit status 1:",
            "     command: /usr/bin/python3 -c 'import setuptools' egg_info",
            "         cwd: /var/pip-install-abc/pyfoo_1/",
            "    Complete output (4 lines):",
            "    Traceback (most recent call last):",
            '      File "<string>", line 1, in <module>',
            "        from Cython.Build import cythonize",
            "    RuntimeError: Cython is required to build pyfoo from source",
            "    ----------------------------------------",
            "ERROR: Command errored out with exit status 1: python setup.py egg_info "
            "Check the logs for full command output.",
        ],
    )
    _assert(result, "dependency_install", "RuntimeError: Cython is required")
    assert any(k.rule == "pip-subprocess-exception" for k in result.key_lines)


def test_indented_exception_without_pips_box_is_not_pips() -> None:
    """Near miss: an indented exception in a program's own output, no pip report around it."""
    result = _actions(
        "python scripts/check.py",
        [
            "Checking configs",
            "    ValueError: config 'a.toml' has no [tool] table",
            "Traceback (most recent call last):",
            '  File "scripts/check.py", line 3, in <module>',
            "SystemExit: 1",
        ],
    )
    assert result.rule != "pip-subprocess-exception"
    assert all(k.rule != "pip-subprocess-exception" for k in result.key_lines)


def test_a_passing_install_then_a_lint_error_is_lint() -> None:
    """Near miss: pip's ordinary output of an install that worked."""
    result = _actions(
        "pip install -r requirements.txt && flake8 src",
        [
            "Collecting requests",
            "  Using cached requests-2.31.0-py3-none-any.whl (62 kB)",
            "Installing collected packages: requests",
            "Successfully installed requests-2.31.0",
            "src/app.py:3:1: F401 'os' imported but unused",
        ],
    )
    _assert(result, "lint", "F401")
