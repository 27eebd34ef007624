# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 26, helper d26B (pastes of CI output): tools known from their own
output shape — the OCaml compiler/dune (``ocaml-compile-error``), Cython
(``cython-compile-error``), yarn 1 building a dependency (``yarn-package-script-failed``),
Codecov's uploader (``codecov-upload-failed``), clang-tidy (``clang-tidy``,
``clang-tidy-finding``), cpplint (``cpplint``), sbt-scalafmt (``scalafmt-check``),
editorconfig-checker (``editorconfig-checker``) — and the Actions runner's `Failed to resolve
action download info` no longer read as a DNS failure.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or of the same tool) that must not be read as that finding.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job

RULES = load_rules(None)


def _ids(line: str) -> set[str]:
    return {r.id for r in RULES.match(line)}


# ---- OCaml / dune ---------------------------------------------------------------------

_DUNE_ENABLED_IF = [
    'File "benchmarks/dune", line 8, characters 7-22:',
    "8 |   (not %{env:CI=false}))",
    "           ^^^^^^^^^^^^^^^",
    "Error: Only architecture, system, model, os_type, ccomp_type, profile,",
    "ocaml_version, context_name and arch_sixtyfour variables are allowed in this",
    "'enabled_if' field. Please upgrade your dune language to at least 3.15.",
]

_OCAML_TYPE_ERROR = [
    "(cd _build/default && /usr/bin/ocamlc.opt -w @1..3@5..28 -g -o src/.re.objs/byte/re__Core.cmo -c -impl src/core.ml)",
    'File "src/core.ml", lines 120-122, characters 2-30:',
    "120 | ..let x =",
    "Error: This expression has type int but an expression was expected of type",
    "         string",
]


def test_dune_error_under_its_file_head_is_a_build_error() -> None:
    d = diagnose(actions_job("./ci.sh", _DUNE_ENABLED_IF))
    assert (d.category, d.rule) == ("build", "ocaml-compile-error")
    assert any(k.text.startswith("Error: Only architecture") for k in d.key_lines)
    d = diagnose(actions_job("./ci.sh", _OCAML_TYPE_ERROR))
    assert (d.category, d.rule) == ("build", "ocaml-compile-error")


def test_ocaml_warnings_as_errors() -> None:
    lines = [
        'File "lib/x.ml", line 3, characters 4-5:',
        "3 | let y = 1",
        "        ^",
        "Error (warning 32 [unused-value-declaration]): unused value y.",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("build", "ocaml-compile-error")


def test_bare_error_line_without_ocaml_head_is_not_ocaml() -> None:
    """Python's traceback head (`File "x.py", line 3, in f`) is not OCaml's location."""
    lines = [
        "Traceback (most recent call last):",
        '  File "setup.py", line 3, in <module>',
        "Error: something went wrong",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert d.rule != "ocaml-compile-error"
    # a warning under the same head does not fail the build
    d = diagnose(
        actions_job(
            "./ci.sh",
            [
                'File "lib/x.ml", line 3, characters 4-5:',
                "Warning 26 [unused-var]: unused variable y.",
            ],
        )
    )
    assert d.rule != "ocaml-compile-error"


# ---- Cython ---------------------------------------------------------------------------

_CYTHON = [
    "      Error compiling Cython file:",
    "      ------------------------------------------------------------",
    "      ...",
    "              FIELD_TYPE.LONG: int if PYTHON3 else long,",
    "                                                   ^",
    "      ------------------------------------------------------------",
    "",
    "      cymysql/converters.py:313:45: undeclared name not builtin: long",
]


def test_cython_compile_error_is_a_build_error() -> None:
    d = diagnose(actions_job("./ci.sh", _CYTHON))
    assert (d.category, d.rule) == ("build", "cython-compile-error")
    texts = [k.text.strip() for k in d.key_lines]
    assert "cymysql/converters.py:313:45: undeclared name not builtin: long" in texts


def test_file_line_col_without_cython_banner_is_not_cython() -> None:
    d = diagnose(actions_job("./ci.sh", ["src/x.pyx:3:4: something odd"]))
    assert d.rule != "cython-compile-error"


# ---- yarn 1: a dependency's install script failed --------------------------------------

_YARN_NODE_GYP = [
    "yarn install v1.22.19",
    "[1/4] Resolving packages...",
    "[2/4] Fetching packages...",
    "[3/4] Linking dependencies...",
    "[4/4] Building fresh packages...",
    "error /home/runner/work/app/app/node_modules/node-pty: Command failed.",
    "Exit code: 1",
    "Command: node scripts/install.js",
    "Arguments: ",
    "Directory: /home/runner/work/app/app/node_modules/node-pty",
    "Output:",
    "Error: spawn node-gyp ENOENT",
]


def test_yarn_install_script_failure_is_dependency_install() -> None:
    d = diagnose(actions_job("./ci.sh", _YARN_NODE_GYP))
    assert (d.category, d.rule) == ("dependency_install", "yarn-package-script-failed")
    assert any(k.text == "Error: spawn node-gyp ENOENT" for k in d.key_lines)


def test_yarn_command_failed_outside_node_modules_is_not_an_install_script() -> None:
    assert "yarn-package-script-failed" not in _ids("error Command failed with exit code 1.")
    assert "yarn-package-script-failed" not in _ids("error /home/runner/work/app: Command failed.")


# ---- Codecov's uploader -----------------------------------------------------------------


def test_codecov_uploader_error_is_the_upload() -> None:
    lines = [
        "[2022-08-01T07:49:36.042Z] ['info'] Detected GitHub Actions as the CI provider.",
        "[2022-08-01T07:49:36.045Z] ['info'] Pinging Codecov: https://codecov.io/upload/v4?package=github-action-2.1.0-uploader-0.2.4&token=*******",
        '[2022-08-01T07:49:36.419Z] [\'error\'] There was an error running the uploader: Error uploading to https://codecov.io: Error: There was an error fetching the storage URL during POST: 429 - {"message":"Rate limit reached."}',
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert d.category == "infra_network"
    assert "codecov-upload-failed" in _ids(
        "[2022-08-01T07:49:36.419Z] ['error'] There was an error running th"
    )
    assert "codecov-upload-failed" in _ids(
        "Codecov: Failed to properly upload: The process '/home/runner/work/_actions/codecov/codecov-action/v3/dist/codecov' failed with exit code 255"
    )
    assert "codecov-upload-failed" in _ids(
        'error - 2024-03-01 10:00:00,123 -- Upload failed: {"message":"Token required because branch is protected"}'
    )


def test_info_lines_of_the_uploader_are_not_errors() -> None:
    assert "codecov-upload-failed" not in _ids(
        "[2022-08-01T07:49:36.018Z] ['info'] => Found 1 possible coverage files:"
    )
    assert "codecov-upload-failed" not in _ids(
        "    raise JSONRPCException(response['error'], status)"
    )


# ---- clang-tidy -------------------------------------------------------------------------


def test_clang_tidy_findings_with_check_names() -> None:
    lines = [
        "/src/a.cpp:28:5: warning: parameter 'x' is const-qualified in the function declaration; const-qualification of parameters only has an effect in function definitions [readability-avoid-const-params-in-decls]",
        "/src/b.cpp:9:3: error: use nullptr [modernize-use-nullptr,-warnings-as-errors]",
        "2 warnings treated as errors",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("lint", "clang-tidy")


def test_clang_tidy_finding_cut_before_its_check_name() -> None:
    lines = [
        "clang-tidy found problems! Output:",
        "Running clang-tidy on file src/Equations.cpp",
        "50051 warnings generated.",
        "/src/Equations.hpp:28:5: warning: parameter 'flux_for_field' is const-qualified in the fun",
        "ction declaration; const-qualification of parameters only has an effect in function definitions [readability-avoid-const-params-in-decls]",
        "Suppressed 50356 warnings (50050 in non-user code, 306 NOLINT).",
    ]
    d = diagnose(actions_job("make clang-tidy-hash", lines))
    assert d.category == "lint"
    texts = [k.text for k in d.key_lines]
    assert "clang-tidy found problems! Output:" in texts
    assert any("is const-qualified in the fun" in t for t in texts)


def test_compiler_warnings_are_not_clang_tidy() -> None:
    """A compiler's own `-W` warning names its flag, not a clang-tidy check; without a
    clang-tidy report line around it a bare warning is not a finding."""
    assert "clang-tidy" not in _ids("src/a.c:3:5: warning: unused variable 'x' [-Wunused-variable]")
    lines = [
        "src/a.c:3:5: warning: unused variable 'x' [-Wunused-variable]",
        "1 warning generated.",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert d.rule not in ("clang-tidy", "clang-tidy-finding")


# ---- cpplint ----------------------------------------------------------------------------


def test_cpplint_counts_and_findings() -> None:
    lines = [
        "Category 'build/header_guard' errors found: 32",
        "Category 'build/include' errors found: 41",
        "Category 'build/include_order' errors found: 659",
        "Category 'legal/copyright' errors found: 2",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("lint", "cpplint")
    texts = [k.text for k in d.key_lines]
    assert "Category 'build/header_guard' errors found: 32" in texts
    assert "Category 'build/include_order' errors found: 659" in texts
    finding = 'no_guards.h:0:  No copyright message found.  You should have a line: "Copyright [year] <Copyright Owner>"  [legal/copyright] [5]'
    assert "cpplint" in _ids(finding)
    assert "cpplint" in _ids("src/a.cc(12):  Missing space before {  [whitespace/braces] [5]")
    assert "cpplint" in _ids("Total errors found: 4")


def test_cpplint_near_misses() -> None:
    assert "cpplint" not in _ids("Total errors found: 0")
    assert "cpplint" not in _ids("Category 'build/include' errors found: 0")
    assert "cpplint" not in _ids("src/a.cc:12: see [docs/style] for details")


# ---- sbt-scalafmt -----------------------------------------------------------------------


def test_scalafmt_check_is_format() -> None:
    lines = [
        "[warn] /home/runner/build/core/src/test/scala/com/x/MockedFactory.scala isn't formatted properly!",
        "[warn] /home/runner/build/core/src/test/scala/com/x/SchedulerTest.scala isn't formatted properly!",
        "[error] (Test / scalafmtCheck) 2 files must be formatted",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("format", "scalafmt-check")
    assert any(
        k.text.endswith("MockedFactory.scala isn't formatted properly!") for k in d.key_lines
    )


def test_scalafmt_near_misses() -> None:
    assert "scalafmt-check" not in _ids('echo "sorry, that address isn\'t formatted properly."')
    assert "scalafmt-check" not in _ids("[warn] /x/README.md isn't formatted properly!")


# ---- editorconfig-checker ---------------------------------------------------------------


def test_editorconfig_checker_annotation_is_lint_not_psalm() -> None:
    lines = ["> editorconfig-checker", "", "##[error]trailing whitespace", "", "1 errors found"]
    d = diagnose(actions_job("npm run editorconfig", lines))
    assert (d.category, d.rule) == ("lint", "editorconfig-checker")
    for line in (
        "::error file=README.md,line=12::Trailing whitespace",
        "\t12: Trailing whitespace",
        "\t3-5: Wrong indent style found (tabs instead of spaces)",
        "\t7: Wrong amount of left-padding spaces(want multiple of 2)",
        "\tFinal newline expected",
    ):
        assert "editorconfig-checker" in _ids(line), line


def test_editorconfig_near_misses() -> None:
    assert "editorconfig-checker" not in _ids("this line has trailing whitespace in prose")
    assert "editorconfig-checker" not in _ids("##[error]Process completed with exit code 1.")


# ---- the Actions runner cannot resolve an action: not DNS -------------------------------


def test_unresolvable_action_is_not_the_network() -> None:
    lines = [
        "Prepare all required actions",
        "Getting action download info",
        "Failed to resolve action download info. Error: Unable to resolve action `o/a@v1`, unable to find version `v1`",
        "Retrying in 18.122 seconds",
        "Error: Unable to resolve action `o/a@v1`, unable to find version `v1`",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("dependency_install", "actions-action-unresolved")
    # urllib3's resolver failure still is
    assert "network-error" in _ids(
        "urllib3.exceptions.NameResolutionError: HTTPSConnection(host='api.github.com', port=443): Failed to resolve 'api.github.com' ([Errno -2] Name or service not known)"
    )


# ---- the bundler threw: a frame of its own package (older design misses) ----------------


def test_error_thrown_from_the_bundlers_own_code_is_a_build_error() -> None:
    # an error no bundler rule knows by its words (rollup 0.x's `Could not load null: …` is
    # node-build's own line since d26A): the bundler's frame says who threw it
    lines = [
        "TypeError: Cannot read properties of undefined (reading 'id')",
        "    at /home/runner/build/app/node_modules/rollup/dist/rollup.js:7320:10",
        "    at process._tickCallback (node.js:369:9)",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("build", "js-bundler-threw")
    assert any(k.text.startswith("TypeError: Cannot read properties") for k in d.key_lines)
    for frame in (
        "    at Module.setSource (file:///var/www/app/node_modules/rollup/dist/es/shared/node-entry.js:17191:37)",
        "    at new Compilation (/app/node_modules/webpack/lib/Compilation.js:12:3)",
        "    at failureErrorWithLog (/app/node_modules/@vitejs/plugin-react/dist/index.js:1:2)",
    ):
        assert "js-bundler-threw" in _ids(frame), frame


def test_vite_build_failed_line_and_frames_are_key_lines() -> None:
    lines = [
        "vite v6.3.5 building for production...",
        "✓ 1 modules transformed.",
        "✗ Build failed in 28ms",
        "error during build:",
        "",
        "Error",
        "    at Module.setSource (file:///app/node_modules/rollup/dist/es/shared/node-entry.js:17191:37)",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert (d.category, d.rule) == ("build", "node-build")
    texts = [k.text.strip() for k in d.key_lines]
    assert "✗ Build failed in 28ms" in texts
    assert any(t.startswith("at Module.setSource") for t in texts)


def test_frames_outside_a_bundler_package_are_not_the_bundler() -> None:
    assert "js-bundler-threw" not in _ids(
        "    at Object.<anonymous> (/app/src/rollup/index.js:3:1)"
    )
    assert "js-bundler-threw" not in _ids(
        "    at run (/app/node_modules/jest-circus/build/run.js:3:1)"
    )
    assert "js-bundler-threw" not in _ids(
        "    at x (/app/node_modules/rollup-plugin-foo/index.js:3:1)"
    )


# ---- Prettier 1.x --check: the bare file list under its heading --------------------------


def test_prettier_1_check_lists_bare_files() -> None:
    lines = [
        "Checking formatting...",
        "packages/core/src/application.ts",
        "Code style issues found in the above file(s). Forgot to run Prettier?",
    ]
    d = diagnose(actions_job("./ci.sh", lines))
    assert d.category == "format"
    assert "packages/core/src/application.ts" in [k.text for k in d.key_lines]


def test_eslint_file_heading_after_a_clean_prettier_check_is_not_a_format_finding() -> None:
    lines = [
        "Checking formatting...",
        "All matched files use Prettier code style!",
        "",
        "/home/runner/work/app/app/src/Menu.js",
        "  3:1  error  'x' is defined but never used  no-unused-vars",
    ]
    d = diagnose(actions_job("npm run lint", lines))
    assert d.rule != "prettier-check-file"
    # a bare file name before the heading is not read either
    d = diagnose(actions_job("./ci.sh", ["src/app.ts", "Error: boom"]))
    assert d.rule != "prettier-check-file"
