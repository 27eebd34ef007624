# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 14, helper b14D1 (whole Travis CI job logs): Cabal's verdict when a
module the .cabal file lists has no source file (``haskell-build-failed``), the classic
Docker builder's ``The command '…' returned a non-zero code: N`` (``docker-build``), which
makes a failed ``docker build`` the cause rather than the ``docker run``/``docker create``
of the image it did not produce, and a bare CR inside printed text (an assertion's repr of
``'<html>\\r\\n'``) that is no progress-bar redraw.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep other tools' look-alike lines and real redraws as
they were.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.logreader import clean_line
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import TravisCommand, actions_job, travis_timed_job


def travis_job(commands: list[TravisCommand]) -> io.BytesIO:
    """A Travis CI job of several timed script commands (see :func:`travis_timed_job`)."""
    return travis_timed_job(commands)


_RULES = load_rules()


def _matches(rule_id: str, line: str) -> bool:
    return any(r.id == rule_id for r in _RULES.match(line))


# ---- Cabal: a listed module without a source file -------------------------------------

_CABAL_NO_SOURCE_IN_DOCKER = [
    "Step 9/18 : RUN cabal build Paths_ShellCheck &&   ghc -isrc -idist/build/autogen --make shellcheck",
    " ---> Running in 775f961e78fd",
    "Package has never been configured. Configuring with default flags. If this",
    "fails, please run configure manually.",
    "Resolving dependencies...",
    "Configuring ShellCheck-0.6.0...",
    # stderr in colour, the colour codes splitting the line as docker relays it
    "\x1b[91mWarning: Ignoring 'Paths_Sh\x1b[0m\x1b[91mellCheck. The whole library will be built. (Support",
    "for module and file targets has not been implemented yet.)",
    "\x1b[0mPreprocessing library ShellCheck-0.6.0...",
    "\x1b[91msetup: can't fin\x1b[0m\x1b[91md source for ShellCheck/Formatter/JSON1 in src,",
    "dist/\x1b[0m\x1b[91mbuild/autogen",
    "\x1b[0mThe command '/bin/sh -c cabal build Paths_ShellCheck &&   ghc -isrc -idist/build/autogen --make shellcheck' returned a non-zero code: 1",
]

_DOCKER_CREATE_NO_IMAGE = [
    "Unable to find image 'acme/shellcheck:current' locally",
    "Error response from daemon: manifest for acme/shellcheck:current not found",
]

_DOCKER_RUN_NO_IMAGE = [
    "Unable to find image 'acme/shellcheck:current' locally",
    "docker: Error response from daemon: manifest for acme/shellcheck:current not found.",
    "See 'docker run --help'.",
]


def test_cabal_missing_module_source_in_docker_build_is_the_cause() -> None:
    """The release build: `docker build` fails in its cabal step, and every later command
    fails because the image does not exist; `docker create`'s `manifest … not found` is the
    consequence, Cabal's line the cause."""
    diagnosis = diagnose(
        travis_job(
            [
                ('docker build -t "$name:current" .', _CABAL_NO_SOURCE_IN_DOCKER, 1),
                ('docker run "$name:current" --version', _DOCKER_RUN_NO_IMAGE, 125),
                ('id=$(docker create "$name:current")', _DOCKER_CREATE_NO_IMAGE, 1),
                (
                    "ls -l shellcheck",
                    ["ls: cannot access shellcheck: No such file or directory"],
                    2,
                ),
            ]
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "haskell-build-failed"
    texts = [k.text for k in diagnosis.key_lines]
    assert "setup: can't find source for ShellCheck/Formatter/JSON1 in src," in texts
    assert not any("manifest for" in t for t in texts)


def test_cabal_missing_module_source_in_an_actions_step() -> None:
    """cabal-install 3 on Actions, the Cabal library's `die` prefixed with the program."""
    diagnosis = diagnose(
        actions_job(
            "cabal build all",
            [
                "Resolving dependencies...",
                "Build profile: -w ghc-9.4.8 -O1",
                "Preprocessing library for acme-0.1.0.0..",
                "Error: cabal: can't find source for Acme/Internal/Parser in src, dist-newstyle/build/x86_64-linux/ghc-9.4.8/acme-0.1.0.0/build/autogen",
            ],
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "haskell-build-failed"


@pytest.mark.parametrize(
    "line",
    [
        "setup: can't find source for ShellCheck/Formatter/JSON1 in src,",
        "Setup.exe: can't find source for Data/Acme in src",
        "cabal: can't find source for module Acme.Types",
        "can't find source for MyDummy in ., dist-newstyle/build/x86_64-linux/ghc-9.8.2/p-0.1/build/autogen",
        "acme       > setup: can't find source for Acme/Parser in src,",
    ],
)
def test_cabal_can_t_find_source_shapes(line: str) -> None:
    assert _matches("haskell-build-failed", line)


@pytest.mark.parametrize(
    "line",
    [
        # Perl's Devel::NYTProf-style warning and a GN build error: other tools, other words
        "Can't find source for '/home/runner/lib/Acme.pm'",
        "ERROR: Can't find source for: drivers/virtio/virtblock.c",
        # a renderer's warning about a map layer (no module, no search path)
        "[Warning] Render: can't find source for layer 'water' in style",
        "# can't find source for interface SelectOption",
    ],
)
def test_can_t_find_source_near_misses(line: str) -> None:
    assert not _matches("haskell-build-failed", line)


# ---- Docker's classic builder: a RUN step that failed ---------------------------------

_CLASSIC_BUILD_UNKNOWN_TOOL = [
    "Step 6/9 : RUN ./bootstrap && ./configure --prefix=/opt/acme && make",
    " ---> Running in 2b7c91d5e6a0",
    "checking for a BSD-compatible install... /usr/bin/install -c",
    "bootstrap: templates/site.m4 is older than templates/site.in; rerun autoreconf",
    "The command '/bin/sh -c ./bootstrap && ./configure --prefix=/opt/acme && make' returned a non-zero code: 2",
]


def test_classic_docker_build_failure_outranks_the_missing_image_after_it() -> None:
    """A RUN step fails with output no rule knows; Docker's own verdict names the failed
    build, which is the cause of the `docker run` that cannot find the image next."""
    diagnosis = diagnose(
        travis_job(
            [
                ("docker build -t acme/site .", _CLASSIC_BUILD_UNKNOWN_TOOL, 1),
                ("docker run acme/site make check", _DOCKER_RUN_NO_IMAGE, 125),
                ("docker create acme/site", _DOCKER_CREATE_NO_IMAGE, 1),
            ]
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "docker-build"
    assert any("returned a non-zero code: 2" in k.text for k in diagnosis.key_lines)
    assert not any("manifest for" in k.text for k in diagnosis.key_lines)


@pytest.mark.parametrize(
    ("line", "hit"),
    [
        ("The command '/bin/sh -c make' returned a non-zero code: 2", True),
        (
            "The command '/bin/sh -c apt-get install -y 'libgmp-dev'' returned a non-zero code: 100",
            True,
        ),
        # Travis's own exit line and a shell's message are not Docker's builder
        ('The command "make test" exited with 2.', False),
        ("The command 'make' failed with exit status 2", False),
    ],
)
def test_classic_builder_line(line: str, hit: bool) -> None:
    assert _matches("docker-build", line) is hit


# ---- a bare CR inside printed text ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # pytest's repr of a string that held CRLFs, the CRs printed raw
        (
            "E       assert 'answer from port 83\\n' == '<html>\r\\n<head><t.../body>\r\\n</html>\r\\n'\r\n",
            "E       assert 'answer from port 83\\n' == '<html>\\n<head><t.../body>\\n</html>\\n'",
        ),
        # near misses: redraws keep what the terminal finally showed
        (
            "Receiving objects:  50% (1/2)\rReceiving objects: 100% (2/2), done.",
            "Receiving objects: 100% (2/2), done.",
        ),
        ("50%\r75%\r100%", "100%"),
        ("downloading 10%\r   ", "   "),
        ("travis_fold:end:git.checkout\r\x1b[0K", "travis_fold:end:git.checkout"),
    ],
)
def test_clean_line_cr_inside_text(raw: str, want: str) -> None:
    assert clean_line(raw) == want


_PYTEST_REPR_WITH_CR = [
    "============================= test session starts ==============================",
    "platform linux2 -- Python 2.7.16, pytest-3.0.5, py-1.8.0, pluggy-0.4.0 -- /usr/local/bin/python",
    "rootdir: /home/runner/build/acme/proxy/test, inifile: pytest.ini",
    "collected 2 items",
    "",
    "test_redirect.py::test_answer[3-False] \x1b[31mFAILED\x1b[0m",
    "test_redirect.py::test_ok \x1b[32mPASSED\x1b[0m",
    "",
    "=================================== FAILURES ===================================",
    "\x1b[1m\x1b[31m____________________________ test_answer[3-False] _____________________________\x1b[0m",
    "",
    "\x1b[1m    def test_answer(nginxproxy):\x1b[0m",
    '\x1b[1m        r = nginxproxy.get("http://3.web.acme.tld/port")\x1b[0m',
    '\x1b[1m>       assert "answer from port 83\\n" == r.text\x1b[0m',
    "\x1b[1m\x1b[31mE       assert 'answer from port 83\\n' == '<html>\r\\n<head><t.../body>\r\\n</html>\r\\n'\x1b[0m",
    "\x1b[1m\x1b[31mE         - answer from port 83\x1b[0m",
    "\x1b[1m\x1b[31mE         + <html>\x1b[0m",
    "",
    "\x1b[1m\x1b[31mtest_redirect.py\x1b[0m:17: AssertionError",
    "\x1b[1m\x1b[31m====================== 1 failed, 1 passed in 0.51 seconds ======================\x1b[0m",
]


def test_pytest_message_keeps_an_assertion_with_a_raw_cr() -> None:
    """The assertion line is the failure's message, not the diff line after it."""
    diagnosis = diagnose(travis_job([("make test-debian", _PYTEST_REPR_WITH_CR, 2)]))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["test_redirect.py::test_answer[3-False]"]
    (failure,) = diagnosis.failures
    assert failure.message.startswith("assert 'answer from port 83\\n' == '<html>")
    assert failure.location == "test_redirect.py:17"
