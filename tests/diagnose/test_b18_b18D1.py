# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 18, helper b18D1 (CI output pasted into GitHub issues: no step framing,
often no command, Jenkins time stamps): a child that a signal ended as a Python launcher
reports it (``exit-signal-crash``), sections under pytest's ``___ name ___`` rule that are
no test (tox's summary, check plugins' items), pip's hash detail and a PubGrub solver's
conclusion as key lines, pytest-xdist's worker that went down without a cause
(``xdist-worker-down``), the Jenkins Timestamper's prefix, cibuildwheel's own failure
(``cibuildwheel-failed``) and the ``assert`` source line above a bare AssertionError.

Each snippet is written in the shape the tool prints; the near misses keep what must not
change.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.extract_python import Pytest
from bot.diagnose.logline import clean_line
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import actions_job, fed, travis_one_command


def _paste(lines: list[str]) -> io.BytesIO:
    """Output pasted into an issue: no runner framing, no command, no exit line."""
    return io.BytesIO("".join(f"{line}\n" for line in lines).encode())


def _texts(diagnosis: Diagnosis) -> list[str]:
    return [k.text.strip() for k in diagnosis.key_lines]


# ---- a signal as a negative return code ------------------------------------------------

_TOX3_SIGSEGV = [
    "py38 run-test: commands[1] | stestr run",
    "ERROR: InvocationError for command /home/runner/build/acme/proj/.tox/py38/bin/stestr run (exited with code -11)",
    "___________________________________ summary ____________________________________",
    "ERROR:   py38: commands failed",
]


def test_tox3_invocation_error_with_minus_11_is_a_segfault_and_summary_no_test() -> None:
    diagnosis = diagnose(travis_one_command("tox", _TOX3_SIGSEGV))
    assert diagnosis.category == "segfault"
    assert diagnosis.rule == "exit-signal-crash"
    assert diagnosis.failing_tests == []  # tox's ``___ summary ___`` is no test's section
    assert _TOX3_SIGSEGV[1] in _texts(diagnosis)


def test_tox4_nox_and_subprocess_report_the_signal_the_same_way() -> None:
    for line in (
        "py311: exit -11 (3.52 seconds) /home/runner/work/proj/proj> pytest tests pid=4123",
        "nox > Command pytest tests failed with exit code -11",
        "subprocess.CalledProcessError: Command '['./build/test_runner']' returned non-zero exit status -11.",
        "py311: exit -7 (0.20 seconds) /home/runner/work/proj/proj> python -m pytest pid=88",
    ):
        diagnosis = diagnose(_paste([line]))
        assert diagnosis.category == "segfault", line


def test_ordinary_and_other_negative_exit_codes_are_no_crash() -> None:
    for line in (
        "ERROR: InvocationError for command /home/runner/.tox/py38/bin/pytest (exited with code 1)",
        "nox > Command pytest failed with exit code -110",
        "py311: exit 2 (1.10 seconds) /home/runner/work/proj/proj> pytest pid=12",
    ):
        assert diagnose(_paste([line])).category != "segfault", line


# ---- pytest sections that are no test --------------------------------------------------


def test_pytest_check_plugin_sections_are_no_tests() -> None:
    extractor = fed(
        Pytest(),
        [
            "_________________________________ FLAKE8-check _________________________________",
            "$(BUILD_DIR)/tests/test_zipp.py:354:80: E501 line too long (80 > 79 characters)",
            "_________________________________ flake8-check _________________________________",
            "src/pkg/mod.py:3:1: F401 'os' imported but unused",
            "__________________________________ isort-check __________________________________",
            "ERROR: /home/runner/work/proj/proj/src/pkg/mod.py Imports are incorrectly sorted.",
            "_____________________________________ mypy _____________________________________",
            "src/pkg/mod.py:5: error: Incompatible return value type",
            "_________________________________ mypy-status __________________________________",
            "mypy exited with status 1.",
            "___________________________________ summary ____________________________________",
        ],
    )
    assert extractor.tests() == []


def test_tests_with_check_like_names_stay_tests() -> None:
    extractor = fed(
        Pytest(),
        [
            "________________________________ test_summary _________________________________",
            "E       assert 1 == 2",
            "tests/test_report.py:4: AssertionError",
            "____________________________ TestCheck.test_black _____________________________",
            "E       assert False",
            "tests/test_fmt.py:9: AssertionError",
        ],
    )
    assert extractor.tests() == [
        "tests/test_report.py::test_summary",
        "tests/test_fmt.py::TestCheck::test_black",
    ]


def test_pytest_flake8_paste_is_lint_without_tests() -> None:
    lines = [
        "_________________________________ FLAKE8-check _________________________________",
        "$(BUILD_DIR)/zipp/__init__.py:351:80: E501 line too long (83 > 79 characters)",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "lint"
    assert diagnosis.failing_tests == []


# ---- pip's hash detail, a PubGrub conclusion --------------------------------------------

_PIP_HASHES = [
    "Collecting requests==2.31.0",
    "  Downloading requests-2.31.0-py3-none-any.whl (62 kB)",
    "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.",
    "    requests==2.31.0 from https://files.pythonhosted.org/packages/70/8e/requests-2.31.0-py3-none-any.whl#sha256=58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f:",
    "        Expected sha256 58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003e",
    "             Got        58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
]


def test_pip_hash_mismatch_shows_the_expected_hash() -> None:
    diagnosis = diagnose(
        actions_job("pip install --require-hashes -r requirements.txt", _PIP_HASHES)
    )
    assert diagnosis.category == "dependency_install"
    assert _PIP_HASHES[4].strip() in _texts(diagnosis)


def test_an_expected_line_elsewhere_is_no_pip_detail() -> None:
    diagnosis = diagnose(
        _paste(["    Expected: 5", "    Expected sha256 of the upload to be stable"])
    )
    assert diagnosis.category != "dependency_install"


_POETRY_SOLVER = [
    "Installing dependencies from lock file",
    "",
    "Because no versions of acme-plugin match >0.2.16,<0.3.0",
    " and acme-plugin (0.2.16) depends on acme-core (>=2.1.8,<3.0.0), acme-plugin (>=0.2.16,<0.3.0) requires acme-core (>=2.1.8,<3.0.0).",
    "So, because no versions of acme-core match >=2.1.8,<3.0.0",
    " and acme-core depends on acme-plugin (^0.2.16), version solving failed.",
]


def test_pubgrub_conclusion_is_a_key_line() -> None:
    diagnosis = diagnose(_paste(_POETRY_SOLVER))
    assert diagnosis.category == "dependency_install"
    texts = _texts(diagnosis)
    assert "So, because no versions of acme-core match >=2.1.8,<3.0.0" in texts
    assert "and acme-core depends on acme-plugin (^0.2.16), version solving failed." in texts


def test_so_because_in_prose_is_no_solver_line() -> None:
    diagnosis = diagnose(_paste(["So, because of the flaky mirror we pinned the image."]))
    assert diagnosis.category != "dependency_install"


# ---- pytest-xdist: a worker down, no cause --------------------------------------------

_XDIST_JENKINS = [
    "10:27:45 platform linux -- Python 3.7.3, pytest-6.2.4, py-1.10.0, pluggy-1.0.0.dev0",
    "10:27:45 plugins: forked-1.3.0, xdist-2.3.0",
    "10:27:45 gw0 I / gw1 I / gw2 I",
    "10:27:45 [gw0] node down: Not properly terminated",
    "10:27:45 ",
    "10:27:45 replacing crashed worker gw0",
    "10:27:45 [gw3] linux Python 3.7.3 cwd: /home/runner/agent/workspace/ui",
]


def test_xdist_worker_down_alone_names_no_cause() -> None:
    diagnosis = diagnose(_paste(_XDIST_JENKINS))
    assert diagnosis.category == "unknown"
    assert diagnosis.rule == "xdist-worker-down"
    texts = _texts(diagnosis)
    assert "[gw0] node down: Not properly terminated" in texts
    assert "replacing crashed worker gw0" in texts


def test_xdist_worker_that_crashed_running_a_test_stays_a_kill() -> None:
    lines = [
        "..[gw1] node down: Not properly terminated",
        "F",
        "replacing crashed worker gw1",
        "=================================== FAILURES ===================================",
        "______________________________ tests/test_big.py _______________________________",
        "worker 'gw1' crashed while running 'tests/test_big.py::test_load_all_rows'",
        "=========================== short test summary info ============================",
        "FAILED tests/test_big.py::test_load_all_rows - worker 'gw1' crashed while running 'tests/test_big.py::test_load_all_rows'",
        "========================= 1 failed, 2 passed in 0.01s ==========================",
    ]
    diagnosis = diagnose(actions_job("python -m pytest -n 2 tests", lines))
    assert diagnosis.category == "oom_killed"
    assert diagnosis.rule == "test-worker-died"


# ---- the Jenkins Timestamper's prefix --------------------------------------------------


def test_jenkins_time_stamp_is_not_the_tools_output() -> None:
    assert clean_line("10:27:45 replacing crashed worker gw0") == "replacing crashed worker gw0"
    assert clean_line("07:27:58   npm ERR! code 1") == "  npm ERR! code 1"
    # a tool's own clock (lager, with a fraction) and a bare time are output
    assert clean_line("13:24:47.349 [error] Crash") == "13:24:47.349 [error] Crash"
    assert clean_line("10:27:45") == "10:27:45"


# ---- cibuildwheel ----------------------------------------------------------------------

_CIBW_TRACEBACK = [
    "Successfully installed pip-19.3.1",
    "Traceback (most recent call last):",
    '  File "c:\\hostedtoolcache\\windows\\python\\3.7.5\\x64\\lib\\runpy.py", line 193, in _run_module_as_main',
    '    "__main__", mod_spec)',
    '  File "c:\\hostedtoolcache\\windows\\python\\3.7.5\\x64\\lib\\site-packages\\cibuildwheel\\__main__.py", line 180, in main',
    "    cibuildwheel.windows.build(**build_options)",
    '  File "c:\\hostedtoolcache\\windows\\python\\3.7.5\\x64\\lib\\site-packages\\cibuildwheel\\windows.py", line 128, in build',
    "    assert os.path.exists(os.path.join(config_python_path, 'Scripts', 'pip.exe'))",
    "AssertionError",
]


def test_cibuildwheel_traceback_is_a_build_failure_with_the_assert_shown() -> None:
    diagnosis = diagnose(_paste(_CIBW_TRACEBACK))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "cibuildwheel-failed"
    texts = _texts(diagnosis)
    assert "assert os.path.exists(os.path.join(config_python_path, 'Scripts', 'pip.exe'))" in texts
    assert "AssertionError" in texts
    assert not any("__main__.py" in t for t in texts)


def test_cibuildwheel_command_report_is_a_build_failure() -> None:
    line = "Error: Command ['python', '-m', 'pip', 'wheel', '/project', '--wheel-dir=/tmp/cibuildwheel/built_wheel', '--no-deps'] failed with code 1."
    diagnosis = diagnose(actions_job("python -m cibuildwheel --output-dir wheelhouse", [line]))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "cibuildwheel-failed"


def test_a_network_error_under_cibuildwheel_is_the_cause() -> None:
    lines = [
        "ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Max retries exceeded with url: /packages/x.whl (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno 101] Network is unreachable'))",
        "Error: Command ['python', '-m', 'pip', 'install', 'delocate'] failed with code 1.",
    ]
    diagnosis = diagnose(actions_job("python -m cibuildwheel --output-dir wheelhouse", lines))
    assert diagnosis.category == "infra_network"


# ---- the assert statement above a bare AssertionError ----------------------------------


def test_traceback_assert_source_line_scores_below_an_error_line() -> None:
    assert error_score("    assert os.path.exists(path)") == 5
    assert error_score("AssertionError") > 5
    # prose and pytest's own ``>       assert`` source line are not this shape
    assert error_score("assert that the cache is warm") == 0
    assert error_score(">       assert x == 1") == 0
