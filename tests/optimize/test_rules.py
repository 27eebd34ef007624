"""Rule semantics, table-driven, on small inline workflows."""

from __future__ import annotations

import textwrap

import pytest

from bot.optimize import OptimizeConfig, RunHistory, optimize_text
from bot.optimize.actions import ActionCatalog, bundled_catalog

from .catalog import FAKE, sha

PATH = ".github/workflows/ci.yml"


def run(text: str, *, files=(), rules=None, history=None, **config):
    text = textwrap.dedent(text)
    result = optimize_text(
        PATH,
        text,
        repo_files=set(files),
        rules=rules,
        history=history,
        config=OptimizeConfig(**config),
    )
    new = result.changes.get(PATH, (text, text))[1]
    return result, new


BASIC = """\
name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - run: pytest
"""


# ---------------------------------------------------------------- concurrency
MIXED = object()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            BASIC,
            "cancel-in-progress: ${{ github.event_name == 'pull_request' }}",
            id="pr-and-default-branch-cancels-only-prs",
        ),
        pytest.param(
            BASIC.replace("  push:\n    branches: [main]\n", ""),
            "cancel-in-progress: true",
            id="pr-only-cancels-all",
        ),
        pytest.param(
            BASIC.replace(
                "  push:\n    branches: [main]\n", "  push:\n    branches: [feature/*]\n"
            ),
            "cancel-in-progress: true",
            id="push-to-feature-branches",
        ),
        pytest.param(BASIC.replace("  pull_request:\n", ""), None, id="default-branch-only-none"),
        # CI on pull requests plus a release/deploy path: only PR runs are ever cancelled
        pytest.param(BASIC.replace("name: CI", "name: Release"), MIXED, id="release-mixed"),
        pytest.param(BASIC.replace("name: CI", "name: Deploy prod"), MIXED, id="deploy-mixed"),
        pytest.param(
            BASIC.replace(
                "    runs-on: ubuntu-latest\n",
                "    runs-on: ubuntu-latest\n    environment: prod\n",
            ),
            MIXED,
            id="environment-mixed",
        ),
        pytest.param(
            BASIC.replace("name: CI", "name: Release").replace("  pull_request:\n", ""),
            None,
            id="release-without-pull-requests-never",
        ),
        pytest.param(BASIC.replace("jobs:", "concurrency: ci\njobs:"), None, id="already-set"),
        pytest.param(
            BASIC.replace(
                "on:\n  pull_request:\n  push:\n    branches: [main]\n", "on: workflow_dispatch\n"
            ),
            None,
            id="manual-only",
        ),
    ],
)
def test_concurrency(text, expected):
    result, new = run(text, rules=["concurrency"])
    if expected is None:
        assert not [f for f in result.findings if f.rule == "concurrency"]
        assert new == text
    elif expected is MIXED:
        assert (
            "concurrency:\n  group: ${{ github.workflow }}-${{ github.event_name == "
            "'pull_request' && github.ref || github.run_id }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
        ) in new
        assert "never cancelled" in result.findings[0].rationale
    else:
        assert "group: ${{ github.workflow }}-${{ github.ref }}" in new
        assert expected in new


def test_concurrency_in_a_callable_workflow_names_the_file():
    """Called, ``github.workflow`` is the caller's name: a group of it alone would equal the
    caller's group, which GitHub cancels as a deadlock."""
    text = BASIC.replace("on:\n", "on:\n  workflow_call:\n", 1)
    result, new = run(text, rules=["concurrency"])
    stem = PATH.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    assert f"  group: ${{{{ github.workflow }}}}-{stem}-${{{{ github.ref }}}}\n" in new
    assert "workflow_call" in result.findings[0].rationale
    _, plain = run(BASIC, rules=["concurrency"])
    assert "  group: ${{ github.workflow }}-${{ github.ref }}\n" in plain


def test_concurrency_saving_from_superseded_runs():
    history = RunHistory(
        window_days=15, superseded_minutes={PATH: 100}, superseded_pr_minutes={PATH: 40}
    )
    result, _ = run(BASIC, rules=["concurrency"], history=history)
    assert result.findings[0].minutes_saved == 80.0  # PR-only: 40 min / 15 days → 80 / month


# ---------------------------------------------------------------- cache
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"requirements.txt"}, ["cache: pip"], id="requirements"),
        pytest.param(
            {"sub/requirements-dev.txt"},
            ["cache: pip", "cache-dependency-path: sub/requirements-dev.txt"],
            id="other-requirements-name",
        ),
        pytest.param({"Pipfile.lock"}, ["cache: pipenv"], id="pipenv"),
        pytest.param(set(), None, id="no-lockfile-no-cache"),
        pytest.param({"pyproject.toml"}, None, id="pyproject-is-not-a-lockfile"),
    ],
)
def test_cache_python_from_lockfiles(files, expected):
    result, new = run(BASIC, files=files, rules=["cache"])
    if expected is None:
        assert new == textwrap.dedent(BASIC)
        assert not result.findings
    else:
        for line in expected:
            assert f"          {line}\n" in new


@pytest.mark.parametrize(
    ("files", "cache"),
    [
        pytest.param({"package-lock.json"}, "npm", id="npm"),
        pytest.param({"yarn.lock"}, "yarn", id="yarn"),
        pytest.param({"yarn.lock", "package-lock.json"}, None, id="ambiguous"),
    ],
)
def test_cache_node(files, cache):
    text = BASIC.replace("setup-python@v6", "setup-node@v5").replace(
        'python-version: "3.12"', "node-version: 22"
    )
    result, new = run(text, files=files, rules=["cache"])
    if cache:
        assert f"          cache: {cache}\n" in new
    else:
        assert new == text and result.findings and not result.findings[0].fix


@pytest.mark.parametrize(
    "other",
    [
        "actions/cache@v4",
        "actions/cache/restore@v4",
        "Swatinem/rust-cache@v2",
        "gradle/actions/setup-gradle@v3",
    ],
)
def test_no_cache_when_job_already_caches(other):
    text = BASIC.replace("      - run: pytest", f"      - uses: {other}\n      - run: pytest")
    result, new = run(text, files={"requirements.txt"}, rules=["cache"])
    assert new == text and not result.findings


def test_cache_adds_with_block_when_missing():
    text = BASIC.replace('        with:\n          python-version: "3.12"\n', "")
    _, new = run(text, files={"requirements.txt"}, rules=["cache"])
    assert "      - uses: actions/setup-python@v6\n        with:\n          cache: pip\n" in new


# ---------------------------------------------------------------- timeout
def test_timeout_from_history_p99():
    durations = [4.0] * 98 + [9.0, 12.0]
    history = RunHistory(job_durations={PATH: {"test": durations}})
    _, new = run(BASIC, rules=["timeout"], history=history)
    assert "    timeout-minutes: 14\n" in new  # p99 = 9 → ×1.5 = 13.5 → 14


def test_timeout_history_matches_matrix_job_names():
    history = RunHistory(job_durations={PATH: {"test (3.12)": [10.0], "test (3.13)": [20.0]}})
    _, new = run(BASIC, rules=["timeout"], history=history)
    assert "timeout-minutes: 30\n" in new


def test_timeout_default_is_configurable_and_placed_after_runs_on():
    _, new = run(BASIC, rules=["timeout"], timeout_default=12)
    assert "    runs-on: ubuntu-latest\n    timeout-minutes: 12\n    steps:\n" in new


def test_reusable_workflow_caller_gets_no_timeout():
    text = "on: pull_request\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n"
    result, new = run(text, rules=["timeout"])
    assert new == text and not result.findings


# ---------------------------------------------------------------- permissions
def test_permissions_read_only_default_and_job_grants():
    text = BASIC.replace("      - run: pytest", "      - run: gh release create v1 dist/*")
    _, new = run(text, rules=["permissions"])
    assert "permissions:\n  contents: read\njobs:" in new
    assert "    permissions:\n      contents: write\n" in new


@pytest.mark.parametrize(
    ("step", "grants"),
    [
        ("uses: actions/deploy-pages@v4", ["id-token: write", "pages: write"]),
        ("uses: marocchino/sticky-pull-request-comment@v2", ["pull-requests: write"]),
        ("uses: aws-actions/configure-aws-credentials@v4", ["id-token: write"]),
        ("run: gh pr comment 1 --body hi", ["pull-requests: write"]),
    ],
)
def test_permissions_grants(step, grants):
    text = BASIC.replace("      - run: pytest", f"      - {step}")
    _, new = run(text, rules=["permissions"])
    for grant in grants:
        assert f"      {grant}\n" in new
    assert "      contents: read\n" in new


def test_permissions_top_level_added_even_when_jobs_declare_theirs():
    text = BASIC.replace(
        "    runs-on: ubuntu-latest\n",
        "    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n",
    )
    text += (
        "  release:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: softprops/action-gh-release@v2\n"
    )
    result, new = run(text, rules=["permissions"])
    assert "permissions:\n  contents: read\njobs:" in new
    # the job with its own block keeps it; the other gets what it visibly needs
    assert new.count("    permissions:\n") == 2
    assert "    permissions:\n      contents: write\n    steps:\n      - uses: softprops" in new
    assert "test declare their own" in result.findings[0].rationale


def test_permissions_not_applied_with_reusable_callers():
    text = "on: pull_request\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n"
    result, new = run(text, rules=["permissions"])
    assert new == text and result.findings and not result.findings[0].fix


# ---------------------------------------------------------------- paths-ignore
def test_paths_ignore_blocked_by_required_checks():
    result, new = run(BASIC, rules=["paths-ignore"], required_checks=frozenset({"test"}))
    assert new == textwrap.dedent(BASIC)
    assert "required status check" in result.findings[0].rationale
    assert result.findings[0].fix is False


def test_paths_ignore_unknown_required_checks_warns_in_rationale():
    result, new = run(BASIC, files={"docs/x.md"}, rules=["paths-ignore"])
    assert "  pull_request:\n    paths-ignore:\n      - '**.md'\n      - 'docs/**'\n" in new
    assert "required status check" in result.findings[0].rationale


def test_paths_ignore_skips_workflows_with_path_filters_already():
    text = BASIC.replace("  pull_request:\n", "  pull_request:\n    paths: [src/**]\n")
    result, _ = run(text, rules=["paths-ignore"])
    assert not result.findings


_MD_CHANGES_MATTER = [
    # a changelog check reads a Markdown file
    ("", "      - run: grep -q '#${{ github.event.number }}' CHANGES.md\n"),
    # a check of the pull request itself (its title), whatever files it changes
    ("", '      - run: test -n "${{ github.event.pull_request.title }}"\n'),
    # pre-commit hooks and secret scanners read every file, Markdown included
    ("", "      - uses: pre-commit/action@v3.0.1\n"),
    ("", "      - uses: gitleaks/gitleaks-action@v2\n"),
    ("", "      - run: ./scripts/mdlinkcheck\n"),
    # runs on PR metadata events (a retitled or relabelled PR has no new files)
    ("  pull_request:\n    types: [opened, synchronize, labeled]\n", ""),
    # a docs build in the matrix
    ("", "    strategy:\n      matrix:\n        env: [py312, docs]\n"),
]


@pytest.mark.parametrize(("trigger", "extra"), _MD_CHANGES_MATTER)
def test_paths_ignore_not_proposed_where_markdown_changes_matter(trigger, extra):
    text = textwrap.dedent(BASIC)
    if trigger:
        text = text.replace("  pull_request:\n", trigger, 1)
    if extra.startswith("    strategy"):
        text = text.replace("    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n" + extra)
    else:
        text += extra
    result, new = run(text, rules=["paths-ignore"])
    assert not result.findings and new == text


def test_paths_ignore_still_proposed_when_only_a_comment_or_output_names_markdown():
    text = "# see CONTRIBUTING.md\n" + textwrap.dedent(BASIC)
    text += (
        "      - uses: actions/upload-artifact@v4\n        with:\n          path: out/report.md\n"
    )
    result, _ = run(text, rules=["paths-ignore"])
    assert [f.rule for f in result.findings] == ["paths-ignore"]


# ---------------------------------------------------------------- merge-group
def test_merge_group_added_and_head_ref_group_fixed():
    text = BASIC.replace("jobs:", "concurrency:\n  group: ci-${{ github.head_ref }}\njobs:")
    _, new = run(text, rules=["merge-group"], merge_queue_branches=frozenset({"main"}))
    assert "  pull_request:\n  merge_group:\n" in new
    assert "group: ci-${{ github.head_ref || github.ref }}" in new


def test_merge_group_not_without_a_merge_queue():
    result, _ = run(BASIC, rules=["merge-group"])
    assert not result.findings


# ---------------------------------------------------------------- deprecated-action
@pytest.mark.parametrize(
    ("uses", "expected"),
    [
        ("actions/checkout@v2", "actions/checkout@v5"),
        ("actions/checkout@v3.5.2", "actions/checkout@v5.0.0"),  # an exact pin stays exact
        ("actions/setup-node@v2", "actions/setup-node@v5"),
        ("'actions/cache@v3'", "'actions/cache@v5'"),
        ("actions/checkout@v4", "actions/checkout@v4"),  # not retired: untouched
    ],
)
def test_deprecated_action_upgrades(uses, expected):
    text = BASIC.replace("actions/checkout@v5", uses)
    _, new = run(text, rules=["deprecated-action"], actions=FAKE)
    assert f"      - uses: {expected}\n" in new


def _deprecated(uses: str, catalog=FAKE):
    text = BASIC.replace("actions/checkout@v5", uses)
    result, new = run(text, rules=["deprecated-action"], actions=catalog)
    return [f for f in result.findings if f.rule == "deprecated-action"], new


def test_sha_pin_resolved_from_the_table_not_the_comment():
    # the comment claims v4, but the SHA is v2.3.4's commit: node12
    findings, new = _deprecated(f"actions/checkout@{sha('v2.3.4')} # v4")
    assert f"      - uses: actions/checkout@{sha('v5.0.0')} # v5.0.0\n" in new
    assert findings[0].fix and "node12" in findings[0].message
    assert "v2.3.4" in findings[0].rationale and "test catalog" in findings[0].rationale


def test_sha_pin_without_comment_gains_one():
    _, new = _deprecated(f"actions/checkout@{sha('v3.5.2')}")
    assert f"      - uses: actions/checkout@{sha('v5.0.0')} # v5.0.0\n" in new


def test_sha_pin_on_current_runtime_untouched():
    findings, new = _deprecated(f"actions/checkout@{sha('v4.2.2')} # v3")
    assert findings == [] and "# v3\n" in new


def test_branch_ref_judged_by_its_commit():
    findings, _ = _deprecated("actions/checkout@main")
    assert findings == []


def test_unknown_ref_of_known_action_is_not_judged_offline():
    findings, new = _deprecated("actions/checkout@feature-x")
    assert findings == [] and "actions/checkout@feature-x" in new


def test_unknown_ref_after_an_online_lookup_is_reported_unjudged():
    catalog = ActionCatalog(
        {"actions/checkout": {**FAKE.repos["actions/checkout"], "looked_up": True}}
    )
    findings, new = _deprecated("actions/checkout@feature-x", catalog)
    assert [(f.fix, "not judged" in f.message) for f in findings] == [(False, True)]
    assert "actions/checkout@feature-x" in new


def test_failed_lookup_is_reported_unjudged():
    catalog = ActionCatalog({"actions/checkout": {"failed": "rate limited (HTTP 403)"}})
    findings, _ = _deprecated("actions/checkout@v2", catalog)
    assert len(findings) == 1 and "not judged: rate limited" in findings[0].message


def test_unknown_action_is_left_alone():
    findings, _ = _deprecated("someone/else@v1")
    assert findings == []


def test_composite_running_retired_action_one_level_down():
    findings, new = _deprecated("some/composite@v1")
    assert "      - uses: some/composite@v2\n" in new
    assert "actions/checkout@v2" in findings[0].message and "node12" in findings[0].message


def test_archived_action_reported_and_no_release_to_move_to():
    findings, new = _deprecated("old/archived-action@v1")
    messages = sorted(f.message for f in findings)
    assert any("archived" in m for m in messages)
    assert any("node12" in m and "not applied" in m for m in messages)
    assert "old/archived-action@v1" in new


def test_upgrade_not_applied_when_the_new_major_drops_an_input():
    catalog = ActionCatalog({k: dict(v) for k, v in FAKE.repos.items()})
    catalog.repos["actions/checkout"]["inputs"] = {"": {sha("v5.0.0"): ["fetch-depth", "ref"]}}
    text = BASIC.replace(
        "actions/checkout@v5", "actions/checkout@v2\n        with:\n          lfs: true"
    )
    result, new = run(text, rules=["deprecated-action"], actions=catalog)
    assert new == text
    assert "v5.0.0 has no input `lfs`" in result.findings[0].message
    text = text.replace("lfs: true", "fetch-depth: 0")
    _, new = run(text, rules=["deprecated-action"], actions=catalog)
    assert "actions/checkout@v5\n" in new


def test_docker_actions_are_not_node():
    assert _deprecated("other/docker@v1")[0] == []


def test_bundled_table_flags_real_retired_majors():
    """Facts read from the actions' own action.yml: checkout v2 ran on node12, v3 on node16."""
    catalog = bundled_catalog()
    newest = catalog.newest_current("actions/checkout", "")
    assert newest is not None and newest.using not in ("node12", "node16")
    findings, new = _deprecated("actions/checkout@v2", catalog)
    assert "node12" in findings[0].message
    assert f"actions/checkout@v{newest.major}\n" in new
    findings, _ = _deprecated("actions/checkout@v3", catalog)
    assert "node16" in findings[0].message


def test_set_output_rewritten():
    text = BASIC.replace(
        "      - run: pytest", '      - run: echo "::set-output name=v::$(cat VERSION)"'
    )
    _, new = run(text, rules=["deprecated-action"])
    assert '      - run: echo "v=$(cat VERSION)" >> "$GITHUB_OUTPUT"\n' in new


# ---------------------------------------------------------------- pin-sha
SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"


def test_pin_sha_offline_unknown_action_is_reported_not_fixed():
    text = BASIC.replace("      - run: pytest", "      - uses: someone/unknown-action@v4")
    result, new = run(text, rules=["pin-sha"])
    assert new == text
    assert [(f.rule, f.fix) for f in result.findings] == [("pin-sha", False)]


def test_pin_sha_offline_from_the_bundled_table():
    catalog = bundled_catalog()
    commit, tag = catalog.resolve("codecov/codecov-action", "v4")
    assert commit and tag and tag.startswith("v4.")
    text = BASIC.replace("      - run: pytest", "      - uses: codecov/codecov-action@v4")
    _, new = run(text, rules=["pin-sha"])
    assert f"      - uses: codecov/codecov-action@{commit} # {tag}\n" in new


def test_pin_sha_never_pins_the_slsa_generator():
    text = BASIC.replace(
        "      - run: pytest",
        "      - uses: slsa-framework/slsa-github-generator/actions/delegator/secure-attach@v2.0.0",
    )
    result, new = run(text, rules=["pin-sha"], pin_resolver=lambda r, t: (SHA, t))
    assert new == text and result.findings == []


def test_pin_sha_with_resolver_adds_version_comment():
    text = BASIC.replace("      - run: pytest", "      - uses: codecov/codecov-action@v4")
    calls = []

    def resolver(repo, ref):
        calls.append((repo, ref))
        return SHA, "v4.6.0"

    _, new = run(text, rules=["pin-sha"], pin_resolver=resolver)
    assert f"      - uses: codecov/codecov-action@{SHA} # v4.6.0\n" in new
    assert calls == [("codecov/codecov-action", "v4")]  # actions/* are first-party: not pinned


# ---------------------------------------------------------------- security
@pytest.mark.parametrize(
    ("text", "rule", "count"),
    [
        pytest.param(
            "on: issues\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            '      - run: echo "${{ github.event.issue.title }}"\n',
            "script-injection",
            1,
            id="issue-title",
        ),
        pytest.param(
            "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            "      - run: echo ${{ github.head_ref }}\n",
            "script-injection",
            1,
            id="head-ref",
        ),
        pytest.param(
            "on: issues\njobs:\n  a:\n    runs-on: x\n    steps:\n      - env:\n"
            '          T: ${{ github.event.issue.title }}\n        run: echo "$T"\n',
            "script-injection",
            0,
            id="env-is-safe",
        ),
        pytest.param(
            "on: issues\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            "      - run: echo ${{ github.event.issue.number }}\n",
            "script-injection",
            0,
            id="number-is-safe",
        ),
        pytest.param(
            "on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            "      - uses: actions/checkout@v5\n        with:\n"
            "          ref: ${{ github.event.pull_request.head.sha }}\n",
            "pwn-request",
            1,
            id="prt-checkout-head",
        ),
        pytest.param(
            "on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            "      - uses: actions/checkout@v5\n",
            "pwn-request",
            0,
            id="prt-base-checkout",
        ),
        pytest.param(
            "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n"
            "      - uses: actions/checkout@v5\n        with:\n"
            "          ref: ${{ github.event.pull_request.head.sha }}\n",
            "pwn-request",
            0,
            id="plain-pr-is-fine",
        ),
        pytest.param(
            "on: push\njobs:\n  a:\n    uses: evil/wf/.github/workflows/x.yml@v1\n"
            "    secrets: inherit\n",
            "secrets-inherit",
            1,
            id="third-party-inherit",
        ),
        pytest.param(
            "on: push\njobs:\n  a:\n    uses: ./.github/workflows/x.yml\n    secrets: inherit\n",
            "secrets-inherit",
            0,
            id="local-inherit",
        ),
    ],
)
def test_security_rules_report_never_fix(text, rule, count):
    result, new = run(text, rules=[rule])
    assert new == text
    assert len([f for f in result.findings if f.rule == rule and not f.fix]) == count


def test_secrets_inherit_same_owner_is_first_party():
    text = (
        "on: push\njobs:\n  a:\n    uses: acme/wf/.github/workflows/x.yml@v1\n"
        "    secrets: inherit\n"
    )
    result, _ = run(text, rules=["secrets-inherit"], owner="acme")
    assert not result.findings


# ---------------------------------------------------------------- runner-image
def _runner(text: str):
    result, new = run(text, rules=["runner-image"])
    return [f for f in result.findings if f.rule == "runner-image"], new


def test_runner_image_pinned_stays_pinned():
    findings, new = _runner(BASIC.replace("ubuntu-latest", "ubuntu-20.04"))
    assert "    runs-on: ubuntu-24.04\n" in new
    assert findings[0].fix and "2025-04-15" in findings[0].message
    assert "runner-images/issues/11101" in findings[0].rationale


@pytest.mark.parametrize(
    ("label", "replacement", "source"),
    [
        ("macos-14", "macos-15", "runner-images/issues/13518"),  # Apple silicon stays arm64
        ("macos-13", "macos-15-intel", "runner-images/issues/13046"),  # Intel stays x86_64
        ("macos-11", "macos-15-intel", "github.blog/changelog/2024-05-20-"),
    ],
)
def test_runner_image_macos_keeps_its_architecture_and_names_its_source(label, replacement, source):
    findings, new = _runner(BASIC.replace("ubuntu-latest", label))
    assert f"    runs-on: {replacement}\n" in new
    assert source in findings[0].rationale


def test_every_retired_image_has_a_dated_source():
    from datetime import date

    from bot.optimize.rules.runners import RETIRED_IMAGES

    for label, image in RETIRED_IMAGES.items():
        assert label == image.label and image.source.startswith("https://github.")
        assert date.fromisoformat(image.retired) <= date(2026, 12, 4), label
        assert image.replacement not in RETIRED_IMAGES


def test_runner_image_latest_and_supported_untouched():
    assert _runner(BASIC) == ([], BASIC)
    text = BASIC.replace("ubuntu-latest", "windows-2022")
    assert _runner(text) == ([], text)


def test_runner_image_matrix_values_include_and_exclude_edited_together():
    text = """\
        on: push
        jobs:
          test:
            strategy:
              matrix:
                os: [ubuntu-22.04, macos-13, 'windows-2019']
                py: ["3.12"]
                exclude:
                  - os: windows-2019
                    py: "3.12"
            runs-on: ${{ matrix.os }}
            steps:
              - run: make
        """
    findings, new = _runner(text)
    assert "os: [ubuntu-22.04, macos-15-intel, 'windows-2022']" in new
    assert "- os: windows-2022\n" in new
    assert sorted(f.fix for f in findings) == [True, True]


def test_runner_image_matrix_that_already_has_the_replacement_is_reported():
    text = BASIC.replace("ubuntu-latest", "${{ matrix.os }}").replace(
        "    steps:",
        "    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-24.04]\n    steps:",
    )
    findings, new = _runner(text)
    assert new == text and not findings[0].fix and "twice" in findings[0].message


def test_runner_image_two_retired_labels_never_collapse_into_one():
    text = BASIC.replace("ubuntu-latest", "${{ matrix.os }}").replace(
        "    steps:", "    strategy:\n      matrix:\n        os: [macos-11, macos-12]\n    steps:"
    )
    findings, new = _runner(text)
    assert new == text and findings and not any(f.fix for f in findings)


def test_runner_image_matrix_rows_never_become_duplicates():
    rows = (
        "    strategy:\n      matrix:\n        combo:\n"
        "          - {otp: '25', os: macos-14}\n          - {otp: '25', os: macos-15}\n"
        "          - {otp: '26', os: macos-14}\n    steps:"
    )
    text = BASIC.replace("ubuntu-latest", "${{ matrix.combo.os }}").replace("    steps:", rows)
    findings, new = _runner(text)
    assert new == text and findings and not any(f.fix for f in findings)
    assert "twice" in findings[0].message
    distinct = text.replace("{otp: '25', os: macos-15}", "{otp: '27', os: macos-15}")
    findings, new = _runner(distinct)
    assert findings[0].fix and new.count("os: macos-15}") == 3


def test_runner_image_expression_reported_without_fix():
    text = BASIC.replace("ubuntu-latest", "${{ inputs.os }}")
    findings, new = _runner(text)
    assert new == text
    assert [(f.fix, "cannot be checked" in f.message) for f in findings] == [(False, True)]


def test_runner_image_matrix_key_case_is_ignored():
    text = BASIC.replace("ubuntu-latest", "${{ matrix.OS }}").replace(
        "    steps:", "    strategy:\n      matrix:\n        os: [windows-2019]\n    steps:"
    )
    findings, new = _runner(text)
    assert "os: [windows-2022]" in new and findings[0].fix


def test_runner_image_self_hosted_never_touched():
    text = BASIC.replace("ubuntu-latest", "[self-hosted, ubuntu-20.04]")
    assert _runner(text) == ([], text)


def test_runner_image_nested_matrix_and_templated_labels():
    text = """\
        on: push
        jobs:
          a:
            strategy:
              matrix:
                combo:
                  - {os: ubuntu-20.04, py: "3.8"}
                  - os: windows-2022
            runs-on: ${{ matrix.combo.os }}
            steps:
              - run: make
          b:
            strategy:
              matrix:
                os: [ubuntu, macos]
            runs-on: ${{ matrix.os }}-latest
            steps:
              - run: make
          c:
            strategy:
              matrix:
                v: ["20.04"]
            runs-on: ubuntu-${{ matrix.v }}
            steps:
              - run: make
          d:
            runs-on: ${{ github.repository == 'x/y' && 'windows-2019' || 'ubuntu-latest' }}
            steps:
              - run: make
        """
    findings, new = _runner(text)
    by_job = {f.message.split("`")[1]: f for f in findings}
    assert '- {os: ubuntu-24.04, py: "3.8"}' in new and by_job["a"].fix
    assert "b" not in by_job  # ubuntu-latest / macos-latest
    assert not by_job["c"].fix and "ubuntu-20.04" in by_job["c"].message
    assert not by_job["d"].fix and "windows-2019" in by_job["d"].message
