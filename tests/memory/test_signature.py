"""Signatures: the same failure in two runs hashes the same; a different one does not."""

from __future__ import annotations

import pytest

from bot.memory.signature import (
    MESSAGE_CAP,
    failure_signature,
    job_signature,
    normalise_message,
    normalise_test_id,
)

SAME_FAILURE_TWO_RUNS = [
    (
        "timestamps and durations",
        "2024-05-01T10:00:01.123Z AssertionError: timed out after 3.2s",
        "2024-06-11T22:41:09.9Z AssertionError: timed out after 12.75s",
    ),
    (
        "addresses",
        "AssertionError: <Foo object at 0x7f3a2c1b9d30> != None",
        "AssertionError: <Foo object at 0x7fe0aa01c2f0> != None",
    ),
    (
        "workspace paths",
        "FileNotFoundError: /home/runner/work/app/app/data/x.json",
        "FileNotFoundError: /home/runner/work/app2/app2/data/x.json",
    ),
    (
        "temporary paths",
        "OSError: /tmp/pytest-of-runner/pytest-3/test_io0/out.txt is locked",
        "OSError: /tmp/pytest-of-runner/pytest-17/test_io1/out.txt is locked",
    ),
    (
        "windows workspace",
        r"error in D:\a\app\app\src\main.c",
        r"error in D:\a\fork\fork\src\main.c",
    ),
    ("ports", "ConnectionRefusedError: localhost:43817", "ConnectionRefusedError: localhost:39001"),
    ("seeds", "Using --randomly-seed=123456 failed", "Using --randomly-seed=98 failed"),
    (
        "hex ids",
        "container 4f2a9c81d3e7 exited with 1",
        "container a1b2c3d4e5f6 exited with 1",
    ),
    (
        "uuids",
        "request 123e4567-e89b-12d3-a456-426614174000 failed",
        "request 9f8e7d6c-5b4a-3210-fedc-ba9876543210 failed",
    ),
    ("numbers", "expected 3 items, got 4", "expected 30 items, got 41"),
    ("ansi colours", "\x1b[31mAssertionError\x1b[0m: boom", "AssertionError: boom"),
    ("white space", "AssertionError:   boom\n", "AssertionError: boom"),
]


@pytest.mark.parametrize(
    ("first", "second"),
    [c[1:] for c in SAME_FAILURE_TWO_RUNS],
    ids=[c[0] for c in SAME_FAILURE_TWO_RUNS],
)
def test_same_failure_same_signature(first: str, second: str) -> None:
    assert failure_signature("tests/test_x.py::test_a", first) == failure_signature(
        "tests/test_x.py::test_a", second
    )


DIFFERENT = [
    ("other assertion", "assert x == y", "assert foo is None"),
    ("other exception", "KeyError: 'name'", "ValueError: 'name'"),
    ("other word", "expected status ok", "expected status failed"),
]


@pytest.mark.parametrize(
    ("first", "second"), [c[1:] for c in DIFFERENT], ids=[c[0] for c in DIFFERENT]
)
def test_different_assertion_different_signature(first: str, second: str) -> None:
    assert failure_signature("t::a", first) != failure_signature("t::a", second)


def test_the_test_id_is_part_of_it() -> None:
    assert failure_signature("t::a", "boom") != failure_signature("t::b", "boom")
    # digits in a test's own name tell tests apart
    assert failure_signature("t::test_http1", "x") != failure_signature("t::test_http2", "x")


def test_random_parameters_in_test_ids_are_normalised() -> None:
    first = normalise_test_id("tests/t.py::test_prop[0.318273-seed4412]")
    second = normalise_test_id("tests/t.py::test_prop[0.99-seed7]")
    assert first == second
    assert failure_signature("t::p[0.1]", "x") == failure_signature("t::p[0.7]", "x")


def test_job_signature_uses_job_category_and_cause() -> None:
    a = job_signature("build (3.11)", "build", "error: linker `cc` not found")
    assert a == job_signature("build (3.11)", "build", "error: linker `cc` not found")
    assert a != job_signature("build (3.12)", "build", "error: linker `cc` not found")
    assert a != job_signature("build (3.11)", "dependency", "error: linker `cc` not found")


def test_gigantic_messages_are_capped_before_hashing() -> None:
    head = "AssertionError: " + "x" * MESSAGE_CAP
    assert failure_signature("t", head + "tail one") == failure_signature("t", head + "tail 2")
    assert len(normalise_message("y" * 50_000_000)) == MESSAGE_CAP


def test_empty_and_non_utf8_messages_are_stable() -> None:
    assert failure_signature("t", "") == failure_signature("t", None)
    raw = b"AssertionError: \xff\xfe bad bytes"
    assert failure_signature("t", raw) == failure_signature("t", raw)
    assert len(failure_signature("t", raw)) == 16
