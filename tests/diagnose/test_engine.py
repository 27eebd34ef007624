"""Engine: the real-tool corpus, and the ways a naive reader gets fooled."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from bot.diagnose.engine import diagnose, diagnose_text

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))


def test_corpus_is_big_and_covers_every_category():
    assert len(EXPECTED) >= 40
    cats = {c["category"] for c in EXPECTED.values()}
    assert cats >= {
        "test_failure",
        "lint",
        "format",
        "type_check",
        "build",
        "dependency_install",
        "infra_network",
        "oom_killed",
        "timeout",
        "disk_full",
        "segfault",
        "cancelled",
        "unknown",
    }


# the logs the engine passed before issue 11 grew the corpus keep passing; the accuracy on
# the rest is measured per half by corpus/accuracy.py (see test_corpus.py)
REGRESSION = sorted(name for name, label in EXPECTED.items() if label.get("regression"))


@pytest.mark.parametrize("name", REGRESSION)
def test_corpus_case(name):
    want = EXPECTED[name]
    got = diagnose(CORPUS / "logs" / f"{name}.log", name=name)
    assert got.category == want["category"]
    if want.get("step"):
        assert got.failing_step == want["step"]
    for test in want.get("failing_tests") or []:
        assert test in got.failing_tests
    if not want.get("failing_tests"):
        assert (
            got.failing_tests == []
            or got.category == "test_failure"
            or want["category"] == "segfault"
        )
    assert 0 <= got.confidence <= 1
    assert got.key_lines, "a diagnosis always shows at least one line"
    for key in got.key_lines:
        assert key.step and key.step_line >= 1
    assert got.retryable == (want["category"] in {"infra_network", "infra_runner"})


def _log(*steps: tuple[str, list[str], int | None]) -> bytes:
    out = ["Current runner version: '2.316.1'"]
    for cmd, lines, code in steps:
        out += [f"##[group]Run {cmd}", cmd, "##[endgroup]", *lines]
        if code:
            out.append(f"##[error]Process completed with exit code {code}.")
    out += [
        "Post job cleanup.",
        "##[error]The process '/usr/bin/git' failed with exit code 128",
        "Cleaning up orphan processes",
    ]
    return "".join(
        f"2024-01-01T00:00:{i % 60:02d}.0000000Z {line}\n" for i, line in enumerate(out)
    ).encode()


FOOLS = [
    pytest.param(
        _log(
            (
                "npm ci",
                ["npm WARN deprecated x", "npm ERR! code ECONNRESET", "added 3 packages"],
                None,
            ),
            ("npm test", ["not ok 1 - renders", "# fail 1"], 1),
        ),
        "test_failure",
        "Run npm test",
        ["renders"],
        id="error-in-successful-step-ignored",
    ),
    pytest.param(
        _log(
            (
                "pip install -r r.txt",
                [
                    "WARNING: Retrying (Retry(total=4)) after connection broken by "
                    "'ReadTimeoutError'",
                    "Successfully installed a-1",
                    "Traceback (most recent call last):",
                    "ModuleNotFoundError: No module named 'b'",
                ],
                1,
            )
        ),
        "build",
        "Run pip install -r r.txt",
        [],
        id="recovered-retry-in-failing-step",
    ),
    pytest.param(
        _log(("lint", ["Found 3 errors."], 1), ("pytest", ["FAILED t.py::a - x"], 1)),
        "test_failure",
        "Run pytest",
        ["t.py::a"],
        id="continue-on-error-then-real-failure",
    ),
    pytest.param(
        _log(("pytest", ["FAILED t.py::a - x"], 1), ("upload", ["No files were found"], 1)),
        "test_failure",
        "Run pytest",
        ["t.py::a"],
        id="always-step-after-failure",
    ),
    pytest.param(
        _log(
            (
                "make",
                [
                    "x.c:1:1: warning: unused [-Wunused]",
                    "DeprecationWarning: y",
                    "##[warning]disk almost full",
                ],
                2,
            )
        ),
        # issue 11: no rule matches, so the step's command names the kind of failure
        # (build, low confidence); the warnings are still not taken for the cause
        "build",
        "Run make",
        [],
        id="only-warnings-is-not-the-cause",
    ),
    pytest.param(
        _log(("cargo test", ["test a::b ... ok"], None)),
        "unknown",
        None,
        [],
        id="no-failed-step-cleanup-error-only",
    ),
]


@pytest.mark.parametrize(("log", "category", "step", "tests"), FOOLS)
def test_not_fooled(log, category, step, tests):
    got = diagnose(io.BytesIO(log))
    assert got.category == category
    if step:
        assert got.failing_step == step
    assert got.failing_tests == tests


def test_only_warnings_never_become_the_cause():
    (case,) = [p for p in FOOLS if p.id == "only-warnings-is-not-the-cause"]
    got = diagnose(io.BytesIO(case.values[0]))
    assert got.rule is None and got.confidence <= 0.5
    assert not any("warning" in k.text.lower() for k in got.key_lines)


def test_post_job_errors_never_chosen_when_a_step_failed():
    got = diagnose(_log(("go test ./...", ["--- FAIL: TestA (0.00s)"], 1)))
    assert got.failing_step == "Run go test ./..." and got.failing_tests == ["TestA"]
    assert got.failing_step_number == 2
    assert got.deep_link_anchor == "#step:2:4"


def test_plain_text_without_markers():
    got = diagnose(["compiling", "main.c:3:5: error: expected ';'", "make: *** [all] Error 1"])
    assert got.category == "build" and got.failing_step is None
    assert got.confidence < 0.9


def test_diagnose_text_check_run_output_and_annotations():
    got = diagnose_text(
        "3 problems found",
        name="eslint check",
        annotations=[
            {
                "path": "src/a.js",
                "start_line": 4,
                "annotation_level": "failure",
                "message": "src/a.js:4:1: error: Unexpected var",
            }
        ],
    )
    assert got.file == "eslint check"
    assert got.annotations[0]["location"] == "src/a.js:4"
    assert got.category == "build"


def test_empty_input():
    got = diagnose(b"")
    assert got.category == "unknown" and got.key_lines == [] and got.confidence <= 0.1


def test_to_dict_has_public_fields():
    data = diagnose(_log(("x", ["Killed"], 137))).to_dict()
    assert data["category"] == "oom_killed"
    for key in (
        "file",
        "category",
        "failing_step",
        "failing_tests",
        "key_lines",
        "retryable",
        "confidence",
        "rule",
        "hint",
        "annotations",
    ):
        assert key in data
    assert set(data["key_lines"][0]) >= {"line", "text", "step", "step_line"}


def test_candidate_flood_is_bounded(monkeypatch):
    from bot.diagnose import engine

    monkeypatch.setattr(engine, "MAX_CANDIDATES_PER_STEP", 10)
    lines = ["--- FAIL: TestFirst (0.00s)"] + [f"--- FAIL: TestN{i} (0.00s)" for i in range(100)]
    got = diagnose(_log(("go test", lines, 1)))
    assert got.category == "test_failure" and got.failing_step == "Run go test"
    assert got.failing_tests[0] == "TestFirst" and len(got.failing_tests) == 10


def test_unknown_failure_summary_is_the_exception_line_not_the_traceback_frame():
    from bot.diagnose.engine import diagnose

    ts = "2026-11-20T10:00:00.0000000Z "
    log = "".join(
        ts + line + "\n"
        for line in [
            "##[group]Run python tools/release.py",
            "python tools/release.py",
            "##[endgroup]",
            "Traceback (most recent call last):",
            '  File "tools/release.py", line 3, in <module>',
            "    json.loads(text)",
            '  File "/usr/lib/python3.11/json/decoder.py", line 353, in raw_decode',
            "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
            "##[error]Process completed with exit code 1.",
        ]
    )
    result = diagnose(log.encode())
    assert result.category == "unknown"
    assert result.summary.startswith("json.decoder.JSONDecodeError")


@pytest.mark.parametrize(
    ("title", "lines", "category"),
    [
        ("actions/setup-python@v5", ["Version 3.99 was not in the manifest"], "dependency_install"),
        ("golangci/golangci-lint-action@v6", ["exit status 1"], "lint"),
        ("npm run lint:css", ["something odd happened"], "lint"),
        ("./scripts/run_tests.sh", ["something odd happened"], "test_failure"),
        ("./scripts/release.sh", ["something odd happened"], "unknown"),
    ],
)
def test_without_a_rule_the_step_names_the_kind_of_failure(title, lines, category):
    got = diagnose(_log((title, lines, 1)))
    assert got.category == category and got.rule is None
    assert got.confidence <= 0.45


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "go mod download",
            [
                "go: example.com/m@v1.0.0: reading https://proxy.example/m/@v/v1.0.0.mod: "
                "503 Service Unavailable"
            ],
        ),
        (
            "mvn -B compile",
            [
                "[ERROR] Failed to execute goal on project demo: Could not resolve dependencies "
                "for project x:y:jar:1.0: Could not transfer artifact a:b:pom:1.2 from/to nexus "
                "(http://nexus/): status code: 503"
            ],
        ),
    ],
)
def test_a_resolver_failing_on_an_unreachable_registry_is_infrastructure(title, lines):
    got = diagnose(_log((title, lines, 1)))
    assert got.category == "infra_network"
    if title.startswith("go"):  # the resolver's rule outranked the network one: it is named
        assert got.alternative is not None and got.alternative["category"] == "dependency_install"


def test_a_resolver_failing_on_its_manifest_stays_a_dependency_problem():
    lines = ["go: example.com/m@v1.0.0: invalid version: unknown revision v1.0.0"]
    assert diagnose(_log(("go mod download", lines, 1))).category == "dependency_install"


def test_at_equal_priority_a_tools_own_rule_beats_a_generic_shape():
    """`In X line N:` is a generic lint shape (shellcheck); composer prints it above a
    503 too. The registry's status, a specific rule of the same priority, is the cause."""
    lines = [
        "In RemoteFilesystem.php line 407:",
        '  The "http://repo.example/packages.json" file could not be downloaded '
        "(HTTP/1.1 503 Service Unavailable)",
    ]
    assert diagnose(_log(("composer update", lines, 1))).category == "infra_network"


@pytest.mark.parametrize(
    ("echo", "category"),
    [
        pytest.param('    2 | #include "config/version.h"', "build", id="quoted-project-header"),
        pytest.param(
            "    2 | #include <config/version.h>", "dependency_install", id="system-header"
        ),
    ],
)
def test_a_missing_header_is_the_projects_or_a_packages_by_its_include_form(echo, category):
    lines = [
        "src/core.cpp:2:10: fatal error: config/version.h: No such file or directory",
        echo,
        "compilation terminated.",
    ]
    assert diagnose(_log(("make", lines, 2))).category == category


def test_go_vet_inside_go_test_is_a_lint_finding_not_a_compile_error():
    lines = [
        "# example.com/proj/report",
        "report/report.go:6:9: fmt.Sprintf format %s has arg n of wrong type int",
        "FAIL\texample.com/proj/report [build failed]",
    ]
    assert diagnose(_log(("go test ./...", lines, 2))).category == "lint"
    compile_error = ["./main.go:9:14: undefined: syscall.Kill"]
    assert diagnose(_log(("go test ./...", compile_error, 2))).category == "build"


def test_a_lockfile_diff_after_regenerating_is_a_dependency_problem():
    lines = [
        "diff --git a/go.mod b/go.mod",
        "--- a/go.mod",
        "+++ b/go.mod",
        "-require x.io/y v1.6.0",
    ]
    got = diagnose(_log(("go mod tidy && git diff --exit-code", lines, 1)))
    assert got.category == "dependency_install"
    assert any("-require x.io/y v1.6.0" in k.text for k in got.key_lines)
    source = ["--- a/src/app.py", "+++ b/src/app.py"]
    assert diagnose(_log(("black --check --diff .", source, 1))).category == "format"


def test_every_failing_test_is_named_past_a_hundred():
    """A suite broken at its root fails hundreds of tests: each is named (the cap is for floods)."""
    lines = [f"--- FAIL: TestCase{i} (0.00s)" for i in range(180)]
    lines += ["FAIL", "FAIL\texample.com/pkg\t0.01s"]
    got = diagnose(_log(("go test ./...", lines, 1)))
    assert got.category == "test_failure"
    assert got.failing_tests == [f"TestCase{i}" for i in range(180)]
