"""Names `vulture` cannot see used (`.ci/run` checks bot/ for dead code with it).

Each entry says why the name is alive. Handlers registered with ``@router.register`` and
commands declared with ``@command`` are skipped by ``ignore_decorators`` in pyproject.toml.
Only ever add a name that something outside bot/ (tests, bench, docs, JSON, a library) reads.
"""
# ruff: noqa: B018, F821

# Fields of dataclasses serialised with asdict()/to_dict(): public JSON fields.
failed_steps  # diagnose Diagnosis
_.deep_link_anchor  # diagnose Diagnosis (read by renderers through to_dict and by tests)
end_line  # diagnose Step / LogLine
log_line  # diagnose LogLine
_.total_bytes  # diagnose LogReader statistics
_.end_line
_.log_line
ref_updated  # rebase UpdateResult (documented in docs/rebase.md)
_.ref_updated
description  # report SLO
series  # report SLO result
p95_queue_s  # report WorkflowStats / JobStats
last_run_at  # report WorkflowStats
other_prs  # memory Verdict (rendered, asserted in tests/memory)
overridden_by  # memory Verdict

# Read by a library, not by our code.
_.max_mem  # re2.Options
_.log_errors  # re2.Options
_.exc_text  # logging.LogRecord: the formatter prints the redacted traceback from it
_._flush_task  # holds the queue's flush task so the event loop does not drop it

# Public API used by the CLI docs, tests and bench/ (not by the service itself).
ENGINE  # diagnose.safe_regex: which regex engine is in use
token_requests  # GitHubApp counter (tests assert token reuse)
_.token_requests
_.diff  # optimize OptimizeResult.diff (docs/optimize.md)
_.claim  # JobQueue.claim: the queue contract (the worker pool uses claim_many)
_.open_sync  # rebase MirrorCache.open_sync: the CLI/bench entry
_.raise_for_status  # rebase UpdateResult / PushResult
EXAMPLE_SLOS  # report.slo: the documented example (docs/report.md)
extract_tests  # diagnose.extractors: the one-call form tests use
scan_log_against_diff  # diagnose.findings: documented entry (docs/diagnose.md, bench/diagnose.py)
generate  # report.synthetic: corpus generator for tests and bench/report.py
pages  # report.synthetic
concatenated  # report.synthetic
paths_trigger  # optimize.filters: tested public helper (tests/optimize/test_filters.py)

# Not read in bot/ yet: its owner decides (report it or drop it).
calls  # optimize.lookup.LookupStats.calls: counted, never read yet (i13: report it or drop it)

# Org report JSON fields (`pitcrew report --org --format json`), read through dataclasses.asdict.
_.baseline_ci_minutes
_.minutes_source
_.weekly_p95_queue_s

# One-secret form of webhook.matching_secret, kept for callers with a single secret (tests).
signature_valid

# bot/fix: shlex attributes the library reads; the sandbox's time limit is part of its result.
_.whitespace_split
_.commenters
_.seconds_limit

# The action table builder (tools/build_action_table.py, outside bot/) writes the compact form.
compact  # optimize.table.compact
