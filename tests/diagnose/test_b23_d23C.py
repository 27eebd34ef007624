# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 23's design half, helper d23C (pastes from issues and Q&A pages): the
message under a wrapped head (CMake's ``CMake Error at …:`` over its indented message,
RSpec's exception class over its message indented two more spaces), the first item under an
error line that heads a list, and Maven's resume command naming the module that failed.

Each snippet is written in the shape the tool prints; the near misses keep lines that only
look like a head's message out of the key lines.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.logreader import text_source
from bot.diagnose.scorer import TopLines, error_score


def _keys(lines: list[str]) -> list[str]:
    return [k.text.strip() for k in diagnose(text_source("\n".join(lines) + "\n")).key_lines]


def _scored(lines: list[str]) -> dict[str, int]:
    top = TopLines()
    for number, text in enumerate(lines, 1):
        top.offer(number, text)
    return {text: top.score(number, text) for number, text in top.best(8)}


# ---- CMake: the message under ``CMake Error at file:L (command):`` ----------------------

_CMAKE_MESSAGE = [
    "-- The CXX compiler identification is GNU 5.4.0",
    "CMake Error at cmake/utilities.cmake:6 (message):",
    "  The g++ version picked up is too old; please install a newer compiler such",
    "  as g++-7.",
    "Call Stack (most recent call first):",
    "  CMakeLists.txt:29 (vcpkg_detect_compiler)",
    "-- Configuring incomplete, errors occurred!",
]


def test_cmake_message_under_its_head_is_a_key_line() -> None:
    keys = _keys(_CMAKE_MESSAGE)
    assert "CMake Error at cmake/utilities.cmake:6 (message):" in keys
    assert "The g++ version picked up is too old; please install a newer compiler such" in keys


def test_cmake_message_in_a_packer_builder_prefix() -> None:
    lines = [
        "==> azure-arm: CMake Error at cmake/utilities.cmake:6 (message):",
        "==> azure-arm:   The g++ version picked up is too old; please install a newer compiler such",
        "==> azure-arm:   as g++-7.",
    ]
    assert "The g++ version picked up is too old; please install a newer compiler such" in _keys(
        lines
    )


def test_a_line_after_a_cmake_head_at_its_own_indentation_is_not_its_message() -> None:
    scored = _scored(
        ["CMake Error at CMakeLists.txt:4 (find_package):", "Call Stack (most recent call first):"]
    )
    assert "Call Stack (most recent call first):" not in scored


# ---- RSpec: an exception class over its message -----------------------------------------

_RSPEC_EXCEPTION = [
    "Failures:",
    "",
    "  1) Monitoring the budget adds two offers",
    '     Failure/Error: visit "/"',
    "     ChildProcess::TimeoutError:",
    "       process still alive after 90 seconds",
    "     # ./spec/requests/budget_monitor_spec.rb:7:in `block (2 levels) in <top (required)>'",
]


def test_ruby_namespaced_exception_class_is_an_error_line() -> None:
    assert error_score("     ChildProcess::TimeoutError:") >= 6
    assert (
        error_score("Selenium::WebDriver::Error::WebDriverError: unable to connect to chromedriver")
        >= 6
    )


def test_rspec_exception_message_scores_under_its_class() -> None:
    scored = _scored(_RSPEC_EXCEPTION)
    assert scored["       process still alive after 90 seconds"] >= 5
    assert "     ChildProcess::TimeoutError:" in scored


def test_a_line_not_indented_under_an_exception_class_is_not_its_message() -> None:
    scored = _scored(["     ChildProcess::TimeoutError:", "     # ./spec/a_spec.rb:7"])
    assert "     # ./spec/a_spec.rb:7" not in scored
    scored = _scored(["SocketError:", "", "  getaddrinfo: Name or service not known"])
    assert "  getaddrinfo: Name or service not known" not in scored


# ---- an error line that heads a list ----------------------------------------------------

_RUNS_ON_CHECK = [
    "ERROR: found workflows not using 'ubuntu-latest':",
    ".github/workflows/docs.yaml:21:    runs-on: ubuntu-22.04",
    ".github/workflows/trivy.yml:18:    runs-on: ubuntu-22.04",
]


def test_first_item_under_an_error_list_head_is_a_key_line() -> None:
    keys = _keys(_RUNS_ON_CHECK)
    assert keys[:2] == [
        "ERROR: found workflows not using 'ubuntu-latest':",
        ".github/workflows/docs.yaml:21:    runs-on: ubuntu-22.04",
    ]
    # the head outranks its item: it says what is wrong with it
    top = TopLines()
    for number, text in enumerate(_RUNS_ON_CHECK, 1):
        top.offer(number, text)
    assert top.best(1)[0][1] == _RUNS_ON_CHECK[0]


def test_git_checkout_overwrite_list() -> None:
    lines = [
        "error: The following untracked working tree files would be overwritten by checkout:",
        "\tpackage-lock.json",
        "Please move or remove them before you switch branches.",
    ]
    assert "package-lock.json" in _keys(lines)


def test_a_line_ending_in_a_colon_without_an_error_level_heads_no_list() -> None:
    scored = _scored(["Found these files:", "src/a.py:3: x = 1"])
    assert "src/a.py:3: x = 1" not in scored
    # nor an error line that does not end in a colon
    scored = _scored(["ERROR: the build failed", "Total time: 3 s"])
    assert "Total time: 3 s" not in scored


# ---- Maven: the module ``-rf`` resumes from -----------------------------------------------

_MAVEN_FOOTER = [
    "[ERROR] For more information about the errors and possible solutions, please read the following articles:",
    "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException",
    "[ERROR] ",
    "[ERROR] After correcting the problems, you can resume the build with the command",
    "[ERROR]   mvn <args> -rf :kogito-pmml-api-dependencies",
]


def test_maven_resume_command_names_the_failed_module() -> None:
    keys = _keys(_MAVEN_FOOTER)
    assert (
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException"
        in keys
    )
    assert "[ERROR]   mvn <args> -rf :kogito-pmml-api-dependencies" in keys


def test_maven_resume_scores_below_an_error_line() -> None:
    resume = error_score("[ERROR]   mvn <args> -rf :core")
    assert (
        5
        <= resume
        < error_score(
            "[ERROR] Failed to execute goal on project core: Could not resolve dependencies"
        )
    )
    assert error_score("mvn -rf :core clean install") == 0


# ---- Windows PowerShell: an error's message above its position line -----------------------

_POWERSHELL_NATIVE = [
    "npm : keywords if/then/else require v5 option",
    "At line:16 char:1",
    "+ npm run build:dev",
    "+ ~~~~~~~~~~~~~~~~~",
    "    + CategoryInfo          : NotSpecified: (keywords if/then/else require v5 option:String) [], RemoteException",
    "    + FullyQualifiedErrorId : NativeCommandError",
]


def test_powershell_native_command_message_is_the_key_line() -> None:
    assert _keys(_POWERSHELL_NATIVE)[0] == "npm : keywords if/then/else require v5 option"


def test_powershell_cmdlet_error_in_a_script_below_other_output() -> None:
    lines = [
        "Restoring packages for C:\\ci\\app.csproj...",
        "Get-Item : Cannot find path 'C:\\ci\\out\\app.zip' because it does not exist.",
        "At C:\\ci\\build.ps1:27 char:9",
        "+ $zip = Get-Item out\\app.zip",
        "+        ~~~~~~~~~~~~~~~~~~~~~",
        "    + CategoryInfo          : ObjectNotFound: (C:\\ci\\out\\app.zip:String) [Get-Item], ItemNotFoundException",
    ]
    assert "Get-Item : Cannot find path 'C:\\ci\\out\\app.zip' because it does not exist." in _keys(
        lines
    )


def test_a_line_above_a_position_line_without_the_error_view_shape_is_not_lent_a_score() -> None:
    scored = _scored(["Building the docs", "At line:3 char:1"])
    assert scored == {}


# ---- a paste in which nothing looked like anything ----------------------------------------


def test_unframed_paste_with_no_candidate_shows_its_last_line_once() -> None:
    lines = ["Starting flux-system-test-85846"] + [
        "Waiting for flux-system-test-85846 to be ready"
    ] * 9
    assert _keys(lines) == ["Waiting for flux-system-test-85846 to be ready"]


def test_a_paste_with_a_candidate_line_keeps_its_own_key_lines() -> None:
    lines = ["Waiting for db to be ready", "psql: error: connection refused", "Waiting for db"]
    assert _keys(lines) == ["psql: error: connection refused"]
