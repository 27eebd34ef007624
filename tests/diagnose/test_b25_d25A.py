# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 25, helper d25A (pastes from issues and posts): Ruby's report of an
uncaught exception and rake's ``rake aborted!`` verdict (scorer), the Open Build Service's
``[   45s] `` build-log stamp (logline), CTest's ``80: `` test-number prefix before a TAP
``not ok`` line (scorer), and the rules ``gradle-plugin-not-found``,
``ninja-depfile-error``, ``libmamba-error`` and npm's ``Conflicting peer dependency``.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep other tools' lines where they were.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.logline import clean_line
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import STRONG_SCORE, VERDICT_SCORE, error_score
from tests.diagnose.joblogs import actions_job, travis_one_command


def _rule_of(line: str) -> list[str]:
    ruleset = load_rules()
    return [r.id for r in ruleset.rules if any(p.search(line) for p in r.compiled)]


# ---- Ruby: an exception nothing rescued -------------------------------------------------

_RUBY_SOCKET = [
    "/usr/lib/ruby/gems/2.3.0/gems/httpclient-2.8.3/lib/httpclient/session.rb:625:in `rescue in create_socket': getaddrinfo: Try again (api.github.com:443) (SocketError)",
    "\tfrom /usr/lib/ruby/gems/2.3.0/gems/httpclient-2.8.3/lib/httpclient/session.rb:607:in `create_socket'",
    "\tfrom /usr/lib/ruby/2.3.0/timeout.rb:91:in `block in timeout'",
    "\tfrom /opt/resource/check:12:in `<main>'",
]


def test_ruby_uncaught_exception_line_is_an_error_line() -> None:
    assert error_score(_RUBY_SOCKET[0]) >= STRONG_SCORE
    # Ruby 3.4 quotes the method as 'Class#m'; a class without Error in its name
    assert (
        error_score("/app/bin/run:3:in 'Kernel#require': cannot load such file -- foo (LoadError)")
        >= STRONG_SCORE
    )
    assert (
        error_score("./deploy.rb:12:in `<main>': stopped by the user (Interrupt)") >= STRONG_SCORE
    )
    assert (
        error_score("x.rb:5:in `block in <main>': missing bundle (Bundler::GemNotFound)")
        >= STRONG_SCORE
    )


def test_ruby_frames_and_warnings_are_not_error_lines() -> None:
    assert error_score(_RUBY_SOCKET[1]) == 0
    assert error_score("/app/lib/x.rb:12: warning: method redefined; discarding old y") == 0
    # a frame with no message after it
    assert error_score("/app/lib/x.rb:12:in `y'") == 0


def test_ruby_getaddrinfo_is_the_network() -> None:
    diagnosis = diagnose(travis_one_command("bundle exec ./check", _RUBY_SOCKET))
    assert diagnosis.category == "infra_network"
    assert any("getaddrinfo: Try again" in k.text for k in diagnosis.key_lines)


# ---- rake: its verdict line ---------------------------------------------------------------


def test_rake_aborted_is_a_key_line_beside_the_reason() -> None:
    lines = [
        "rake aborted!",
        "No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)",
        "/home/runner/.rvm/gems/ruby-2.4.1/bin/ruby_executable_hooks:15:in `eval'",
        "(See full trace by running task with --trace)",
    ]
    diagnosis = diagnose(travis_one_command("rake", lines))
    assert diagnosis.rule == "rake-task-missing"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "rake aborted!" in texts
    assert lines[1] in texts
    # only rake's own verdict: a sentence that mentions it is not
    assert error_score("the rake aborted! message is printed by rake") < STRONG_SCORE


# ---- Open Build Service: the build log's seconds stamp ---------------------------------


def test_obs_build_log_stamp_is_not_the_tools_output() -> None:
    assert clean_line("[   45s] =================================== FAILURES ===") == (
        "=================================== FAILURES ==="
    )
    assert clean_line("[ 1234s] E       assert 1 == 2") == "E       assert 1 == 2"
    assert clean_line("[12345s] make: *** [all] Error 2") == "make: *** [all] Error 2"
    # not a right-aligned five-place field: a tool's own bracket stays
    assert clean_line("[5s] elapsed") == "[5s] elapsed"
    assert clean_line("[  45 s] x") == "[  45 s] x"


def test_obs_pytest_failure_is_read_under_the_stamp() -> None:
    lines = [
        "[   45s] =================================== FAILURES ===================================",
        "[   45s] ______________________________ test_sdist _______________________________",
        "[   45s] ",
        "[   45s]     def test_sdist():",
        "[   45s] >       assert build() == 0",
        "[   45s] E       assert 1 == 0",
        "[   45s] ",
        "[   45s] tests/test_build.py:7: AssertionError",
    ]
    diagnosis = diagnose(io.BytesIO("\n".join(lines).encode()))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["tests/test_build.py::test_sdist"]


# ---- CTest -V: the test's number before its TAP output ----------------------------------


def test_ctest_prefixed_tap_failure_is_a_verdict() -> None:
    assert error_score("80: not ok 10 - graphml output can be generated") >= VERDICT_SCORE
    assert error_score("not ok 10 - graphml output can be generated") >= VERDICT_SCORE
    # a TODO point is expected to fail, prefixed or not
    assert error_score("80: not ok 3 - later # TODO not yet") < VERDICT_SCORE
    assert error_score("80: ok 10 - passes") == 0


# ---- Gradle: a plugin no repository has -------------------------------------------------

_GRADLE_PLUGIN = [
    "FAILURE: Build failed with an exception.",
    "",
    "* Where:",
    "Settings file '/home/runner/work/app/app/settings.gradle.kts' line: 19",
    "",
    "* What went wrong:",
    "Plugin [id: 'com.example.patches', version: '1.3.3'] was not found in any of the following sources:",
    "",
    "- Gradle Core Plugins (plugin is not in 'org.gradle' namespace)",
    "- Included Builds (No included builds contain this plugin)",
    "- Plugin Repositories (could not resolve plugin artifact 'com.example.patches:com.example.patches.gradle.plugin:1.3.3')",
    "  Searched in the following repositories:",
    "    Gradle Central Plugin Repository",
    "",
    "BUILD FAILED in 3s",
]


def test_gradle_plugin_not_found_is_a_dependency() -> None:
    diagnosis = diagnose(actions_job("./gradlew build", _GRADLE_PLUGIN))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "gradle-plugin-not-found"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert _GRADLE_PLUGIN[6] in texts
    assert _GRADLE_PLUGIN[10] in texts


def test_gradle_plugin_line_shapes() -> None:
    assert "gradle-plugin-not-found" in _rule_of(
        "Plugin [id: 'org.jetbrains.kotlin.jvm', version: '9.9.9', apply: false] was not found in any of the following sources:"
    )
    assert "gradle-plugin-not-found" in _rule_of(
        "Plugin [id: 'com.github.johnrengelman.shadow'] was not found in any of the following sources:"
    )
    # a plugin that was found but failed to apply is no resolution failure
    assert "gradle-plugin-not-found" not in _rule_of(
        "An exception occurred applying plugin request [id: 'com.android.application']"
    )


# ---- ninja: the depfile the compiler wrote ------------------------------------------------


def test_ninja_depfile_error_is_a_build_error() -> None:
    lines = [
        "[1/8] Building C object CMakeFiles/outlib.dir/outlib.c.o",
        "FAILED: CMakeFiles/outlib.dir/outlib.c.o",
        "/usr/bin/cc -MMD -MT CMakeFiles/outlib.dir/outlib.c.o -MF CMakeFiles/outlib.dir/outlib.c.o.d -o CMakeFiles/outlib.dir/outlib.c.o -c ../outlib.c",
        "depfile has multiple output paths.",
        "ninja: build stopped: subcommand failed.",
    ]
    diagnosis = diagnose(actions_job("ninja -C build", lines))
    assert diagnosis.category == "build"
    assert "depfile has multiple output paths." in [k.text.strip() for k in diagnosis.key_lines]
    assert "ninja-depfile-error" in _rule_of(
        "expected depfile 'foo.o.d' to mention 'foo.o', got 'bar.o'"
    )
    # newer ninja warns (and goes on): a warning is not the cause
    assert "ninja-depfile-error" not in _rule_of(
        "ninja: warning: depfile has multiple output paths"
    )


# ---- micromamba / mamba 2 ------------------------------------------------------------------


def test_libmamba_error_lines() -> None:
    assert "libmamba-error" in _rule_of("critical libmamba pip failed to install packages")
    assert "libmamba-error" in _rule_of("error    libmamba Could not solve for environment specs")
    assert "libmamba-error" not in _rule_of("warning  libmamba Cache file not found")
    assert "libmamba-error" not in _rule_of("info     libmamba Parsing MatchSpec python=3.11")


def test_pip_hash_mismatch_stays_pips_under_micromamba() -> None:
    lines = [
        "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.",
        "    unknown package:",
        "        Expected sha256 f94731917f4478250d24b98d0ea57566b2cfadbb5ff82c5e2e2dfba4f461c972",
        "             Got        236ee70cf9f5f253c1e526526ac3e2b0ffec8e1cbe8a44bc8413ee9b39760e12",
        "",
        "critical libmamba pip failed to install packages",
    ]
    diagnosis = diagnose(actions_job("micromamba create -y -f env.yml", lines))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule != "libmamba-error"
    assert "critical libmamba pip failed to install packages" in [
        k.text.strip() for k in diagnosis.key_lines
    ]


# ---- npm: ERESOLVE's conflicting peer --------------------------------------------------


def test_npm_conflicting_peer_dependency_is_a_key_line() -> None:
    lines = [
        "npm error code ERESOLVE",
        "npm error ERESOLVE could not resolve",
        "npm error",
        "npm error While resolving: @testing-library/jest-dom@6.4.5",
        "npm error Found: jest@27.5.1",
        "npm error node_modules/jest",
        'npm error   dev jest@"^27.5.1" from the root project',
        "npm error",
        "npm error Could not resolve dependency:",
        'npm error peerOptional jest@">= 28" from @testing-library/jest-dom@6.4.5',
        "npm error node_modules/@testing-library/jest-dom",
        "npm error",
        "npm error Conflicting peer dependency: jest@29.7.0",
        "npm error node_modules/jest",
    ]
    diagnosis = diagnose(actions_job("npm ci", lines))
    assert diagnosis.category == "dependency_install"
    assert "npm error Conflicting peer dependency: jest@29.7.0" in [
        k.text.strip() for k in diagnosis.key_lines
    ]
    assert "npm-install" in _rule_of("npm ERR! Conflicting peer dependency: react@18.2.0")
    assert "npm-install" not in _rule_of("Conflicting peer dependency: react@18.2.0")
