# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 21 (and older design misses), helper b21D3: who printed a TypeScript
error decides its category. tsc (and vue-tsc, fork-ts-checker, even as a ``build`` script)
is the type checker: ``type_check``. A bundler's loader (ts-loader's ``[tsl] ERROR in``, the
loader ncc and webpack use) or ts-node's ``TSError: ⨯ Unable to compile TypeScript`` did not
compile the sources for the bundle or the run: ``build`` (rules ``ts-loader``, ``ts-node``),
unless the step's command is a type check. Also vite 5's thrown Rollup error
(``Error: [vite]: Rollup failed …``).
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import STRONG_SCORE, error_score
from tests.diagnose.joblogs import actions_job, travis_one_command


def _paste(lines: list[str]) -> io.BytesIO:
    return io.BytesIO("\n".join(lines).encode() + b"\n")


# ---- ts-loader (webpack, ncc) ------------------------------------------------------------

_TS_LOADER = [
    "> action@1.0.0 build",
    "> ncc build src/index.ts --license licenses.txt",
    "ncc: Version 0.38.1",
    "ncc: Compiling file index.js into CJS",
    "ncc: Using typescript@5.5.4 (local user-provided)",
    "Error: [tsl] ERROR in /home/runner/work/app/app/src/index.ts(10,28)",
    "      TS2306: File '/home/runner/work/app/app/src/types.ts' is not a module.",
    "[tsl] ERROR in /home/runner/work/app/app/src/index.ts(67,27)",
    "      TS7006: Parameter 'r' implicitly has an 'any' type.",
]

_WEBPACK_TS_LOADER = [
    "ERROR in /home/runner/work/app/app/src/main.ts",
    "./src/main.ts 3:18-25",
    "[tsl] ERROR in /home/runner/work/app/app/src/main.ts(3,19)",
    "      TS2304: Cannot find name 'foo'.",
    "ts-loader-default_e3b0c44298fc1c14",
    "webpack 5.91.0 compiled with 1 error in 2345 ms",
]


def test_ts_loader_errors_in_a_build_are_build() -> None:
    d = diagnose(actions_job("npm run build", _TS_LOADER))
    assert (d.category, d.rule) == ("build", "ts-loader")
    assert any("[tsl] ERROR in" in k.text for k in d.key_lines)


def test_ts_loader_under_webpack_pasted_without_framing_is_build() -> None:
    d = diagnose(_paste(_WEBPACK_TS_LOADER))
    assert (d.category, d.rule) == ("build", "ts-loader")


def test_ts_loader_in_a_type_check_step_stays_type_check() -> None:
    d = diagnose(actions_job("npm run type-check", _WEBPACK_TS_LOADER))
    assert d.category == "type_check"


# ---- ts-node -------------------------------------------------------------------------------

_TS_NODE = [
    "/home/runner/work/app/app/node_modules/ts-node/src/index.ts:261",
    "    return new TSError(diagnosticText, diagnosticCodes)",
    "           ^",
    "TSError: ⨯ Unable to compile TypeScript:",
    "test/api.spec.ts(2,26): error TS2307: Cannot find module '../dist/core'.",
    "",
    "    at createTSError (/home/runner/work/app/app/node_modules/ts-node/src/index.ts:261:12)",
    "    at getOutput (/home/runner/work/app/app/node_modules/ts-node/src/index.ts:367:40)",
]

_TS_NODE_10 = [
    "/home/runner/work/app/app/node_modules/ts-node/src/index.ts:859",
    "    return new TSError(diagnosticText, diagnosticCodes, diagnostics);",
    "           ^",
    "TSError: ⨯ Unable to compile TypeScript:",
    "scripts/seed.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
    "",
    "3 const n: number = 'x';",
    "        ~",
]


def test_ts_node_compile_error_before_tests_is_build() -> None:
    d = diagnose(travis_one_command('mocha --require ts-node/register "test/**/*.ts"', _TS_NODE))
    assert (d.category, d.rule) == ("build", "ts-node")
    texts = [k.text for k in d.key_lines]
    assert "TSError: ⨯ Unable to compile TypeScript:" in texts
    assert any("error TS2307" in t for t in texts)


def test_ts_node_10_pretty_diagnostics_pasted_are_build() -> None:
    d = diagnose(_paste(_TS_NODE_10))
    assert (d.category, d.rule) == ("build", "ts-node")


def test_ts_node_after_tsc_own_errors_is_type_check() -> None:
    """tsc failed first (its own lines, no TSError above them); a later ts-node run that
    trips over the same broken types is the consequence."""
    lines = [
        "node_modules/@types/jasmine/index.d.ts(142,47): error TS1005: ';' expected.",
        "[16:40:38] E/launcher - Error: TSError: ⨯ Unable to compile TypeScript",
        "e2e/app.e2e-spec.ts (3,1): Cannot find name 'describe'. (2304)",
    ]
    d = diagnose(_paste(lines))
    assert (d.category, d.rule) == ("type_check", "tsc")


def test_ts_node_rule_needs_its_own_words() -> None:
    rules = load_rules()
    ids = {r.id for r in rules.match("TSError: ⨯ Unable to compile TypeScript:")}
    assert "ts-node" in ids
    for near in (
        "Unable to compile TypeScript sources, see above",
        "class TSError extends BaseError {",
        "[tsl] note: compiled with warnings",
    ):
        assert not {"ts-node", "ts-loader"} & {r.id for r in rules.match(near)}


# ---- the type checker stays type_check -----------------------------------------------------


def test_tsc_in_a_build_script_is_type_check() -> None:
    lines = [
        "> app@1.0.0 build",
        "> tsc",
        "src/index.ts(5,6): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.",
    ]
    d = diagnose(actions_job("npm run build", lines))
    assert (d.category, d.rule) == ("type_check", "tsc")


def test_fork_ts_checker_under_webpack_is_type_check() -> None:
    lines = [
        "ERROR in ./src/pages/Landing.tsx:12:45",
        "TS2339: Property 'isFetching' does not exist on type '{ foodList: Food[]; }'.",
        "    11 | const Landing = () => {",
        "  > 12 |   const { foodList, isFetching } = useFoodList();",
        "webpack 5.88.2 compiled with 1 error in 9123 ms",
    ]
    d = diagnose(actions_job("npm run build", lines))
    assert (d.category, d.rule) == ("type_check", "tsc")


def test_vue_tsc_before_vite_build_is_type_check() -> None:
    lines = [
        "> vue-tsc --noEmit && vite build",
        "src/components/Space.vue:41:22 - error TS2339: Property 'publicLinkType' does not exist on type 'SpaceResource'.",
        "Found 1 error in src/components/Space.vue:41",
    ]
    d = diagnose(actions_job("pnpm build", lines))
    assert (d.category, d.rule) == ("type_check", "tsc")


# ---- vite 5 ----------------------------------------------------------------------------


def test_vite_thrown_rollup_error_is_build() -> None:
    lines = [
        "x Build failed in 4m 47s",
        "error during build:",
        'Error: [vite]: Rollup failed to resolve import "element-plus/es" from "/srv/app/src/App.vue".',
        "This is most likely unintended because it can break your application at runtime.",
        "    at viteWarn (file:///srv/app/node_modules/vite/dist/node/chunks/dep-DkOS1hkm.js:67620:27)",
    ]
    d = diagnose(_paste(lines))
    assert (d.category, d.rule) == ("build", "node-build")
    assert any("Rollup failed to resolve import" in k.text for k in d.key_lines)


def test_vite_rollup_words_mid_line_are_not_the_error() -> None:
    rules = load_rules()
    assert "node-build" not in {
        r.id for r in rules.match("note: see [vite]: Rollup failed in the docs")
    }


# ---- xcodebuild's list of failed build commands ------------------------------------------

_XCODE_SUMMARY = [
    "** BUILD FAILED **",
    "",
    "",
    "The following build commands failed:",
    "\tCompileSwiftSources normal arm64 com.apple.xcode.tools.swift.compiler (in target 'Async' from project 'Pods')",
    "\tCompileSwift normal arm64 /Users/runner/work/app/app/Pods/AsyncSwift/Source/Async.swift (in target 'Async' from project 'Pods')",
    "(2 failures)",
]


def test_xcodebuild_failed_commands_name_the_file() -> None:
    d = diagnose(_paste(_XCODE_SUMMARY))
    assert d.category == "build"
    assert any(k.rule == "xcode-failed-command" and "Async.swift" in k.text for k in d.key_lines)


def test_xcodebuild_progress_commands_are_not_failures() -> None:
    """The same words open every command of the build's progress output: only the
    summary's list counts."""
    lines = [
        "CompileSwift normal arm64 /Users/runner/work/app/app/Sources/A.swift (in target 'A' from project 'A')",
        "    cd /Users/runner/work/app/app",
        "Ld /Users/runner/Library/Developer/Xcode/DerivedData/A/Build/Products/Debug/A normal",
        "** BUILD FAILED **",
    ]
    d = diagnose(_paste(lines))
    assert not any(k.rule == "xcode-failed-command" for k in d.key_lines)


# ---- GNU make on Windows cannot start a recipe's program ---------------------------------


def test_make_createprocess_failure_is_the_cause() -> None:
    lines = [
        "[ 97%] Linking CXX executable fc_script.exe",
        r"process_begin: CreateProcess(D:\a\app\app\bin\tool.exe, ..\..\bin\tool gen.lua, ...) failed.",
        "make (e=216): Error 216",
        r"mingw32-make[2]: *** [CMakeFiles\tool.dir\build.make:148: tool.exe] Error 216",
        "mingw32-make: *** [Makefile:135: all] Error 2",
    ]
    d = diagnose(_paste(lines))
    assert (d.category, d.rule) == ("build", "make-createprocess-failed")
    texts = [k.text for k in d.key_lines]
    assert "make (e=216): Error 216" in texts
    assert any(t.startswith("process_begin: CreateProcess(") for t in texts)


def test_make_createprocess_near_misses() -> None:
    rules = load_rules()
    for near in (
        "make: *** [all] Error 2",
        "  process_begin: CreateProcess failed (quoted in a note)",
        "remake (e=2) done",
    ):
        assert "make-createprocess-failed" not in {r.id for r in rules.match(near)}
    assert "make-createprocess-failed" in {
        r.id
        for r in rules.match("mingw32-make[1] (e=2): The system cannot find the file specified.")
    }


# ---- GHC's message line with the Actions view's level in front ---------------------------


def test_ghc_message_line_copied_with_its_error_level() -> None:
    lines = [
        "[ 84 of 458] Compiling Agda.Utils.HashTable",
        "",
        "/home/runner/work/app/app/src/Utils/HashTable.hs:129:35: error:",
        "Error:     Variable not in scope: fastRem :: Int -> t0 -> Int",
        "    |",
        "129 |         !targetBucket = hashCode' `fastRem` remSize",
    ]
    d = diagnose(_paste(lines))
    assert (d.category, d.rule) == ("build", "ghc-compile-error")
    assert any(
        k.rule == "ghc-error-message" and "Variable not in scope: fastRem" in k.text
        for k in d.key_lines
    )


def test_ghc_message_level_needs_ghc_indent() -> None:
    rules = load_rules()
    assert "ghc-error-message" not in {
        r.id for r in rules.match("[ERROR] Variable not in scope: x")
    }


# ---- Go's flag package refuses the command line ----------------------------------------


def test_go_flag_usage_error_is_the_line_to_read() -> None:
    lines = [
        "+export GIT_PROVE_OPTS=--timer --jobs 3 --state=failed,slow,save",
        "All tests successful.",
        "+t/trace_schema_validator/trace_schema_validator --trace2_event_file=/var/tmp/x --progress=10000",
        "flag provided but not defined: -trace2_event_file",
        "Usage of t/trace_schema_validator/trace_schema_validator:",
        "  -progress int",
        "    \tPrint progress message each time we have validated this many lines.",
    ]
    d = diagnose(travis_one_command("ci/run-build-and-tests.sh", lines, code=2))
    assert "flag provided but not defined: -trace2_event_file" in [k.text for k in d.key_lines]


def test_go_flag_words_elsewhere_are_not_strong() -> None:
    assert error_score("flag provided but not defined: -trace2_event_file") >= STRONG_SCORE
    assert error_score("  docs: a flag provided but not defined is reported") < STRONG_SCORE
