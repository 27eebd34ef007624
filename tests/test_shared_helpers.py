"""The shared helpers (markdown, timeparse, roles) and the settings' number parsing."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import pytest

from bot.markdown import table_cell
from bot.roles import ROLES, role_rank
from bot.timeparse import SpanError, parse_span, parse_timestamp, timestamp_seconds


def test_a_table_cell_keeps_pipes_and_line_breaks_from_breaking_the_table():
    assert table_cell("a|b\nc") == "a\\|b c"
    assert table_cell(3) == "3"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01 12:00:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),  # the older REST form
        ("2024-05-01T05:00:00-07:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ],
)
def test_github_timestamps_parse_to_utc(text, expected):
    assert parse_timestamp(text) == expected
    assert timestamp_seconds(text) == expected.timestamp()


def test_a_missing_timestamp_is_none_but_epoch_seconds_need_one():
    assert parse_timestamp("") is None
    with pytest.raises(ValueError, match="not a timestamp"):
        timestamp_seconds("")
    with pytest.raises(ValueError, match="not a timestamp"):
        timestamp_seconds("yesterday")


@pytest.mark.parametrize(
    "text, expected",
    [("7d", timedelta(days=7)), ("4w", timedelta(weeks=4)), ("36h", timedelta(hours=36)),
     ("90m", timedelta(minutes=90)), ("2", timedelta(days=2))],
)  # fmt: skip
def test_spans(text, expected):
    assert parse_span(text) == expected


@pytest.mark.parametrize("bad", ["7x", "", "0d", "-1d"])
def test_a_bad_span_is_a_value_error_whose_message_argparse_shows(bad, capsys):
    with pytest.raises(ValueError):
        parse_span(bad)
    parser = argparse.ArgumentParser(prog="p")
    parser.add_argument("--window", type=parse_span)
    with pytest.raises(SystemExit):
        parser.parse_args([f"--window={bad}"])
    assert "span" in capsys.readouterr().err  # the helper's own words, not "invalid value"
    assert issubclass(SpanError, argparse.ArgumentTypeError)


def test_roles_rank_in_order_and_a_custom_role_ranks_lowest():
    assert [role_rank(r) for r in ROLES] == list(range(len(ROLES)))
    assert role_rank("admin") > role_rank("write") > role_rank("read")
    assert role_rank("custom-release-manager") == role_rank("none")


@pytest.mark.parametrize(
    "var, value, words",
    [("PITCREW_PORT", "http", "must be an integer"),
     ("PITCREW_RETRY_BASE_S", "fast", "must be a number"),
     ("PITCREW_RECONCILE_INTERVAL_S", "5 min", "must be a number")],
)  # fmt: skip
def test_a_malformed_number_setting_names_its_variable(var, value, words):
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match=f"{var} {words}, got '{value}'"):
        load_settings({"PITCREW_WEBHOOK_SECRET": "s", var: value})
    settings = load_settings({"PITCREW_WEBHOOK_SECRET": "s", "PITCREW_PORT": "8080"})
    assert settings.port == 8080 and settings.retry_base_s == 2.0
