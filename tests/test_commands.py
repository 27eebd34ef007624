"""The command parser, registry, authorisation matrix and /help."""

from __future__ import annotations

import pytest

from bot.commands import Command, DuplicateCommand, is_authorised, parse_commands
from bot.feature import Feature, wire
from bot.features.registry import build_wiring


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param("/rebase", [("rebase", ())], id="bare"),
        pytest.param("/rebase merge", [("rebase", ("merge",))], id="with-arg"),
        pytest.param("please\n/retry\nthanks", [("retry", ())], id="middle-line"),
        pytest.param("> /rebase", [], id="quoted"),
        pytest.param("  /rebase", [], id="indented-is-not-a-command"),
        pytest.param("text /rebase", [], id="not-at-line-start"),
        pytest.param("```\n/rebase\n```", [], id="in-code-fence"),
        pytest.param("@pitcrew rebase", [("rebase", ())], id="mention"),
        pytest.param("@Pitcrew[bot] retry now", [("retry", ("now",))], id="mention-bot-suffix"),
        pytest.param("@someoneelse rebase", [], id="other-mention"),
        pytest.param("/rebase\n/rebase", [("rebase", ())], id="deduplicated"),
        pytest.param("/help\r\n/diagnose", [("help", ()), ("diagnose", ())], id="crlf-two"),
        pytest.param("/rebase 'unterminated", [("rebase", ("'unterminated",))], id="bad-quotes"),
        pytest.param("/rebased", [("rebased", ())], id="other-word"),
    ],
)
def test_parse_commands(body, expected):
    assert [(i.name, i.args) for i in parse_commands(body)] == expected


async def _noop(_ctx):
    return None


WRITE_CMD = Command(
    name="rebase", usage="/rebase", help="x", handler=_noop, permission="write", author_may_use=True
)


@pytest.mark.parametrize(
    "role, sender, allowed",
    [
        ("admin", "alice", True),
        ("maintain", "alice", True),
        ("write", "alice", True),
        ("triage", "alice", False),
        ("read", "alice", False),
        ("none", "alice", False),
        ("none", "author", True),  # the PR's author on their own PR
        ("read", "Author", True),  # logins compare case-insensitively
        ("custom-role", "alice", False),
    ],
)
def test_authorisation_matrix(role, sender, allowed):
    assert is_authorised(WRITE_CMD, role, sender=sender, author="author", overrides={}) is allowed


def test_repo_override_can_raise_level_and_drop_author():
    overrides = {"rebase": {"permission": "maintain", "author": False}}
    assert not is_authorised(WRITE_CMD, "write", sender="a", author="b", overrides=overrides)
    assert not is_authorised(WRITE_CMD, "none", sender="b", author="b", overrides=overrides)
    assert is_authorised(WRITE_CMD, "maintain", sender="a", author="b", overrides=overrides)


def test_help_lists_every_registered_command():
    registry = build_wiring().commands
    text = registry.render_help()
    assert {"help", "rebase", "retry", "status"} <= set(registry)
    for name in registry:
        assert f"`{registry[name].usage}`" in text


def test_a_duplicate_command_name_fails_at_start_up():
    one = Feature(name="one", commands=[WRITE_CMD])
    two = Feature(name="two", commands=[WRITE_CMD])
    with pytest.raises(DuplicateCommand, match="/rebase"):
        wire([one, two])


def test_wiring_is_what_the_list_says_whatever_was_imported():
    import bot.features.rebase  # noqa: F401  (importing registers nothing)

    wiring = wire([Feature(name="only-help", commands=[])])
    assert len(wiring.commands) == 0
    assert not wiring.intake_filters


def test_a_feature_listed_twice_fails_at_start_up():
    from bot.feature import DuplicateFeature

    with pytest.raises(DuplicateFeature):
        wire([Feature(name="one"), Feature(name="one")])


def test_intake_filters_come_from_the_listed_features_only():
    from bot.features import commands, config_check

    wiring = wire([commands.FEATURE])
    assert set(wiring.intake_filters) == {"issue_comment"}
    assert set(build_wiring().intake_filters) == {"issue_comment", "push"}
    assert config_check.FEATURE.intake_filters["push"]
