# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 13, helper b13D2 (whole Travis CI job logs): network failures in the
words of clients that name no errno (Emacs url.el and tls.el, cabal-install's HTTP
transport), Docker's warning that a container has no network (``docker-no-network``), and
a project's own check script as the command of a step no rule explains (``lint``).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep the fallbacks that may still succeed, a stronger
cause, and commands that only look like check scripts where they were.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import actions_job, travis_one_command

# ---- Emacs: package.el cannot reach an archive ----------------------------------------

_EMACS_URL_BACKTRACE = [
    "Loading /home/runner/build/acme/emacs.d/init.el (source)...",
    "Importing package-keyring.gpg...done",
    "Opening TLS connection to `elpa.gnu.org'...",
    "Opening TLS connection with `gnutls-cli --insecure -p 443 elpa.gnu.org'...",
    "Opening TLS connection with `gnutls-cli --insecure -p 443 elpa.gnu.org'...failed",
    "Opening TLS connection with `openssl s_client -connect elpa.gnu.org:443 -no_ssl2 -ign_eof'...",
    "Opening TLS connection with `openssl s_client -connect elpa.gnu.org:443 -no_ssl2 -ign_eof'...failed",
    "Opening TLS connection to `elpa.gnu.org'...failed",
    'Debugger entered--Lisp error: (error "Could not create connection to elpa.gnu.org:443")',
    '  signal(error ("Could not create connection to elpa.gnu.org:443"))',
    '  error("Could not create connection to %s:%d" "elpa.gnu.org" 443)',
    '  url-retrieve-synchronously("https://elpa.gnu.org/packages/archive-contents")',
    "  package-refresh-contents()",
    "  require-package(fullframe)",
    "  command-line()",
    "  normal-top-level()",
]

_EMACS_NEWER_URL = [
    "Contacting host: melpa.org:443",
    'Debugger entered--Lisp error: (error "Could not create connection to melpa.org:443")',
    '  url-http(#s(url :type "https" :host "melpa.org" :portspec 443) ...)',
    '  package--download-one-archive(("melpa" . "https://melpa.org/packages/") "archive-contents")',
]

_EMACS_TLS_FALLBACK_THEN_PACKAGE = [
    "Opening TLS connection to `melpa.org'...",
    "Opening TLS connection with `gnutls-cli --insecure -p 443 melpa.org'...failed",
    "Opening TLS connection with `gnutls-cli --insecure -p 443 melpa.org --protocols ssl3'...failed",
    "Opening TLS connection with `openssl s_client -connect melpa.org:443 -no_ssl2 -ign_eof'...done",
    "Opening TLS connection to `melpa.org'...done",
    'Debugger entered--Lisp error: (error "Package `emacs-25.1\' is unavailable")',
    '  signal(error ("Package `emacs-25.1\' is unavailable"))',
    "  package-install(scratch)",
    "  require-package(scratch)",
]


def test_emacs_url_connection_failure_is_the_network() -> None:
    """Emacs 24 on Travis: every TLS program fails, tls.el gives up and url.el's error comes
    back through the Lisp backtrace; the job exits 255."""
    diagnosis = diagnose(
        travis_one_command("lsb_release -a && ./test-startup.sh", _EMACS_URL_BACKTRACE, 255)
    )
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "network-error"
    assert diagnosis.retryable
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "Opening TLS connection to `elpa.gnu.org'...failed" in texts
    assert 'signal(error ("Could not create connection to elpa.gnu.org:443"))' in texts
    # the per-program attempts are fallbacks, not the verdict
    assert not any(
        "TLS connection with" in k.text for k in diagnosis.key_lines if k.rule == "network-error"
    )


def test_emacs_url_error_in_the_debugger_line_of_a_newer_emacs() -> None:
    """A newer Emacs (gnutls built in) prints no TLS program lines: the Debugger line
    carries url-http's message; in an Actions step running emacs in batch mode."""
    diagnosis = diagnose(actions_job("emacs -Q --batch -l test/startup.el", _EMACS_NEWER_URL, 255))
    assert diagnosis.category == "infra_network"
    assert any("melpa.org:443" in k.text for k in diagnosis.key_lines)


def test_emacs_tls_fallback_that_connected_is_not_the_cause() -> None:
    """Near miss: gnutls-cli fails but openssl connects (`...done`); the job then fails on
    a package the CI's Emacs cannot install, which stays the cause."""
    diagnosis = diagnose(
        travis_one_command("./test-startup.sh", _EMACS_TLS_FALLBACK_THEN_PACKAGE, 255)
    )
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "emacs-package"


# ---- cabal-install: no HTTP connection ------------------------------------------------

_CABAL_UPDATE_IN_DOCKER = [
    "Unable to find image 'acme/winghc:latest' locally",
    "latest: Pulling from acme/winghc",
    "Digest: sha256:39c84f763840b784fae1296a6110ab8432bcc1dab4989dcb91f973c53049986a",
    "Status: Downloaded newer image for acme/winghc:latest",
    "WARNING: IPv4 forwarding is disabled. Networking will not work.",
    "+ cabal update",
    "Config file path source is default config file.",
    "Downloading the latest package list from hackage.haskell.org",
    "cabal.exe: Couldn't establish HTTP connection. Possible cause: HTTP proxy",
    "server is down.",
]

_CABAL_ONE_LINE = [
    "Resolving dependencies...",
    "Downloading  aeson-1.4.2.0",
    "cabal: Couldn't establish HTTP connection. Possible cause: HTTP proxy server is down.",
]


def test_cabal_without_a_connection_in_a_container_without_network() -> None:
    """A Windows cross build in a container (cabal under wine): Docker warns that the
    container has no network and cabal update cannot reach Hackage. Both lines are shown;
    Docker's routine `Unable to find image … locally` is not the cause."""
    diagnosis = diagnose(
        travis_one_command(
            'docker run -v "$PWD:/appdata" acme/winghc cuib', _CABAL_UPDATE_IN_DOCKER
        )
    )
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "docker-no-network"
    texts = [k.text for k in diagnosis.key_lines]
    assert "WARNING: IPv4 forwarding is disabled. Networking will not work." in texts
    assert any(t.startswith("cabal.exe: Couldn't establish HTTP connection") for t in texts)
    assert diagnosis.summary is not None and "Unable to find image" not in diagnosis.summary


def test_cabal_install_without_a_connection() -> None:
    """cabal-install's message on one line (`die` in its HTTP transport), Actions step."""
    diagnosis = diagnose(actions_job("cabal install --only-dependencies", _CABAL_ONE_LINE))
    assert diagnosis.category == "infra_network"
    assert diagnosis.retryable


# ---- Docker: a container without networking -------------------------------------------

_BUILD_STEP_NO_NETWORK = [
    "Step 4/9 : RUN apt-get update && apt-get install -y libgmp-dev",
    " ---> [Warning] IPv4 forwarding is disabled. Networking will not work.",
    " ---> Running in 50fa4c7cb038",
    "Err:1 http://deb.debian.org/debian bookworm InRelease",
    "  Temporary failure resolving 'deb.debian.org'",
    "E: Unable to locate package libgmp-dev",
    "The command '/bin/sh -c apt-get update && apt-get install -y libgmp-dev' returned a non-zero code: 100",
]

_NO_NETWORK_BUT_COMPILE_ERROR = [
    "WARNING: IPv4 forwarding is disabled. Networking will not work.",
    "gcc -O2 -c src/main.c -o build/main.o",
    "src/main.c:12:5: error: implicit declaration of function 'frobnicate' [-Werror=implicit-function-declaration]",
    "make: *** [Makefile:7: build/main.o] Error 1",
]

_NO_NETWORK_UNEXPLAINED = [
    "WARNING: IPv4 forwarding is disabled. Networking will not work.",
    "render: 3 pages left unrendered",
]


def test_docker_build_step_without_network_names_the_network() -> None:
    """`docker build` prints the warning per RUN step (` ---> [Warning] …`); apt cannot
    resolve its mirror, and the missing package is only the consequence."""
    diagnosis = diagnose(travis_one_command("docker build -t acme/site .", _BUILD_STEP_NO_NETWORK))
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "docker-no-network"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "---> [Warning] IPv4 forwarding is disabled. Networking will not work." in texts
    assert "Temporary failure resolving 'deb.debian.org'" in texts


def test_docker_warning_does_not_outrank_a_compile_error() -> None:
    """Near miss: the container had no network, but the build needed none and failed on a
    compile error, which stays the cause (the warning never counts without a network
    error beside it)."""
    diagnosis = diagnose(
        actions_job('docker run -v "$PWD:/src" gcc:12 make -C /src', _NO_NETWORK_BUT_COMPILE_ERROR)
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "c-compile-error"
    assert all(k.rule != "docker-no-network" for k in diagnosis.key_lines)


def test_docker_warning_alone_names_nothing() -> None:
    """Near miss: the warning and a failure that says nothing about the network."""
    diagnosis = diagnose(actions_job("docker run --rm acme/render", _NO_NETWORK_UNEXPLAINED))
    assert diagnosis.category != "infra_network"
    assert diagnosis.rule != "docker-no-network"


# ---- a project's own check script -----------------------------------------------------

_ELIXIR_CHECK_SCRIPT = [
    "[debug] Using Earmark to parse to data structure we can work with.",
    "[debug] Ensure that there is a header at first.",
    "--------- START",
    "-- Actors",
    "\t'exactor' https://github.com/sasa1977/exactor 'Helpers for easier implementation of actors in Elixir'",
    "\t'elistrix' https://github.com/tobz/elistrix 'A latency / fault tolerance library to help isolate your applications from an uncertain world of slow or failed services'",
    "** (RuntimeError) Line does not match format: '[dummy](https://github.com/acme/dummy) - A mocking library' Is there a dot at the end?",
    "    check.exs:32: Awesome.parse_line/1",
    "    check.exs:224: Awesome.validate_list_item/1",
    '    (elixir) lib/enum.ex:1755: Enum."-reduce/3-lists^foldl/2-0-"/3',
]

_SHELL_CHECK_SCRIPT = [
    "Skip command rscp",
    "Missing man page for git-rename-remote: man/git-rename-remote.md",
]

_PYTHON_VALIDATE = [
    "Checking 3 locales against en.json",
    "FAILED: locales/fr.json is missing keys: cart.total",
]


def test_mix_run_check_script_is_lint() -> None:
    """An awesome list's checker (`mix run check.exs`) raising on an entry: lint, and the
    raised error is the summary (not a list entry that mentions failures)."""
    diagnosis = diagnose(travis_one_command("mix run check.exs", _ELIXIR_CHECK_SCRIPT))
    assert diagnosis.category == "lint"
    assert diagnosis.summary is not None
    assert diagnosis.summary.startswith("** (RuntimeError) Line does not match format:")


def test_shell_and_python_check_scripts_are_lint() -> None:
    """A check script by path with arguments (Travis) and a validate script run by python
    (Actions)."""
    shell = diagnose(
        travis_one_command(
            "./check_integrity.sh $(find bin | cut -b 5- | xargs)", _SHELL_CHECK_SCRIPT
        )
    )
    assert shell.category == "lint"
    python = diagnose(actions_job("python tools/validate-locales.py", _PYTHON_VALIDATE))
    assert python.category == "lint"
    assert any("missing keys" in k.text for k in python.key_lines)


def test_check_script_names_and_near_misses() -> None:
    """What the command patterns call a check script, and what they leave alone: make's
    and cargo's `check` targets, `npm run check`, and words that merely start with check."""
    rules = load_rules()
    assert rules.command_category("mix run check.exs") == "lint"
    assert rules.command_category("./tools/checkJSCurrent.sh") == "lint"
    assert rules.command_category("bash ci/lint_docs.sh") == "lint"
    assert rules.command_category("ruby validate.rb README.md") == "lint"
    assert rules.command_category("make check") == "test_failure"
    assert rules.command_category("./scripts/check-links.sh && npm test") == "test_failure"
    assert rules.command_category("cargo check") != "lint"
    assert rules.command_category("npm run check") != "lint"
    assert rules.command_category("./checkout.sh") is None
    assert rules.command_category("python checker.py") is None
    assert rules.command_category("./scripts/validator.sh") is None


def test_check_script_does_not_hide_a_test_failure() -> None:
    """Near miss: a check script that runs a test suite whose runner prints its failures;
    the failing tests decide."""
    lines = [
        "Running unit tests",
        "--- FAIL: TestParse (0.00s)",
        "    parse_test.go:12: got 1, want 2",
        "FAIL",
        "FAIL\texample.com/acme/parse\t0.004s",
    ]
    diagnosis = diagnose(travis_one_command("./check.sh", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["TestParse"]


# ---- Travis' verdict lines are not the cause ----------------------------------------


def test_travis_verdict_lines_score_like_the_runner_exit_line() -> None:
    """Travis' ``The command "…" exited with N.`` and ``Done. Your build exited with 1.``
    name the command, not the problem: they score as low as the Actions runner's exit line;
    a tool's own failure lines keep their score."""
    assert error_score('The command "./check_integrity.sh $(find bin)" exited with 1.') == 1
    assert error_score('The command "npm install" failed and exited with 1 during .') == 1
    assert error_score("Done. Your build exited with 1.") == 1
    assert error_score("##[error]Process completed with exit code 2.") == 1
    assert error_score("make: *** [Makefile:12: check] Error 2") > 1
    assert error_score("npm ERR! Test failed.  See above for more details.") > 1
    assert error_score('error: the command "cc" exited with status 1') > 1


def test_a_check_script_that_prints_advice_shows_its_own_lines() -> None:
    """A Travis check script whose only output is plain sentences: the key lines show them
    (``Run 'make docs' …`` is the script's advice, not an echoed ``Run`` header), and the
    summary is not Travis' exit line."""
    lines = [
        "Skip command rscp",
        "Run 'make docs' to create man/git-rename-remote.1 and man/git-rename-remote.html",
    ]
    diagnosis = diagnose(travis_one_command("./check_integrity.sh $(find bin | xargs)", lines))
    assert diagnosis.category == "lint"
    texts = [k.text for k in diagnosis.key_lines]
    assert lines[1] in texts
    assert diagnosis.summary is not None and not diagnosis.summary.startswith("The command")


def test_an_actions_run_header_in_the_tail_is_still_an_echo() -> None:
    """Near miss: in an Actions step a ``Run …`` line is the runner's echo of a step
    header (logs copied without their ``##[group]`` markers), never a key line."""
    lines = ["Run ./scripts/check-translations.sh", "3 locales checked"]
    diagnosis = diagnose(actions_job("./scripts/check-translations.sh", lines))
    assert all(not k.text.startswith("Run ") for k in diagnosis.key_lines)
