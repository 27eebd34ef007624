"""The category guess for logs nothing else could name (bot/diagnose/guess.py)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.diagnose import guess as guess_module
from bot.diagnose.engine import diagnose
from bot.diagnose.guess import LEAST_PROBABILITY, GuessModel, guess_category, words
from bot.diagnose.render import render_job_section
from bot.diagnose.rules import load_rules
from tests.diagnose.corpus import accuracy

MODEL_PATH = Path(guess_module.__file__).with_name(guess_module.MODEL_FILE)


def tiny_model() -> GuessModel:
    return GuessModel(
        documents={"build": 4, "infra_network": 4, "unknown": 1},
        counts={
            "linker": {"build": 3},
            "undefined": {"build": 1},
            "timeout": {"infra_network": 3},
            "connection": {"infra_network": 3, "build": 1},
            "exit": {"build": 4, "infra_network": 4, "unknown": 1},
        },
        alpha=0.1,
    )


def test_words_are_lower_case_tokens_extensions_and_the_step_title() -> None:
    found = words(["ERROR src/app.py:12: ModuleNotFoundError x1"], "Run Tests")
    assert {"error", "src", "app", "py", "modulenotfounderror", "x1", "run", "tests"} <= found
    assert "ext_py" in found
    assert "12" not in found  # numbers are not words
    assert not any(len(w) > 30 for w in words(["a" * 31 + " ok"], None))


def test_a_stem_inside_a_tool_name_is_a_word_of_its_own() -> None:
    """``ktlint`` and ``cpplint`` share ``lint`` with every linter the model was trained on."""
    found = words(["Exception in com.pinterest.ktlint.KtlintCommandLine.lintFiles"], None)
    assert {"stem_lint", "ktlint"} <= found
    assert "stem_compil" in words(["Error compiling Cython file:"], None)
    assert not {w for w in words(["assert 5 == 4"], None) if w.startswith("stem_")} - {
        "stem_assert"
    }


def test_only_the_first_key_lines_speak() -> None:
    lines = [f"line{i}" for i in range(20)]
    assert "line7" in words(lines, None) and "line8" not in words(lines, None)


def test_the_model_picks_the_category_its_words_speak_for() -> None:
    guess = tiny_model().guess({"linker", "undefined", "banana"})
    assert guess.category == "build"
    assert guess.probability > 0.9
    # words the model never saw, and a word seen with build in one log only, do not speak
    assert guess.words == ("linker",)
    assert tiny_model().guess({"timeout", "connection"}).category == "infra_network"


def test_no_words_leave_the_prior_and_a_low_probability() -> None:
    guess = tiny_model().guess(set())
    assert guess.probability < LEAST_PROBABILITY and guess.words == ()


def test_a_log_no_rule_knows_gets_a_marked_guess_not_a_confident_category(
    tmp_path: Path,
) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "Fetching packages...\n"
        "frob-get: could not resolve dependency tree: package zlib@2.0 requires libc>=9\n"
        "Error: Process completed with exit code 1.\n"
    )
    got = diagnose(log, name="job")
    assert got.rule is None
    assert got.category == "dependency_install"
    assert got.guess is not None and got.guess["probability"] >= LEAST_PROBABILITY
    assert got.guess["words"]
    assert not got.retryable and got.confidence < 0.5
    assert "guess" in (got.hint or "")
    section = render_job_section({"name": "build", "diagnosis": got.to_dict()})
    assert "a guess from the words" in section
    assert "maybe `dependency_install`" in section  # never stated as a finding
    assert "low confidence" not in section  # said once


def test_a_guessed_network_failure_is_not_offered_a_retry(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "Step 3/9 : RUN make\n"
        "frob: the job failed because the remote host closed the connection during handshake\n"
    )
    got = diagnose(log, name="job")
    assert got.category == "infra_network" and got.guess is not None
    assert not got.retryable
    assert "/retry" not in render_job_section({"name": "e2e", "diagnosis": got.to_dict()})


def test_evidence_is_never_overruled_by_a_guess(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "error: linking with `cc` failed: exit status: 1\n"
        "  = note: /usr/bin/ld: cannot find -lssl\n"
    )
    got = diagnose(log, name="job")
    assert got.rule is not None and got.guess is None


def test_a_log_with_no_words_stays_unknown(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text("##[error]Process completed with exit code 1.\n")
    got = diagnose(log, name="job")
    assert got.category == "unknown" and got.guess is None
    assert guess_category([], None) is None


def test_the_shipped_model_learnt_from_the_design_half_only() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    names = data["trained_on"]
    hints = data["hints_of"]  # each shipped rule's hint is a document, hint_weight times
    assert len(names) + data["hint_weight"] * len(hints) == sum(data["documents"].values())
    assert len(names) > 500
    assert all(accuracy.split_of(f"{name}.log") == "design" for name in names)
    shipped = {rule.id: rule for rule in load_rules().rules}
    assert hints and all(shipped[rule_id].hint for rule_id in hints)
    expected = accuracy.load_expected()
    assert all(name in expected for name in names)
    # a word of one or two logs (a project's or a test's name) is not a word for a category
    assert all(sum(per.values()) >= data["min_documents"] for per in data["counts"].values())


def test_unknown_and_unclear_guesses_are_not_returned() -> None:
    leaning_unknown = GuessModel({"unknown": 5, "build": 1}, {"x": {"unknown": 5}}, alpha=0.1)
    assert leaning_unknown.guess({"x"}).category == "unknown"
    assert guess_category(["x"], None, leaning_unknown) is None
    split = GuessModel({"build": 1, "lint": 1}, {"x": {"build": 1, "lint": 1}}, alpha=0.1)
    assert split.guess({"x"}).probability == 0.5
    assert guess_category(["x"], None, split) is None
    clear = guess_category(["linker undefined"], None, tiny_model())
    assert guess_category(["undefined"], None, tiny_model()) is None  # one log's word
    assert clear is not None and clear.category == "build"


def test_words_every_category_shares_do_not_make_a_guess() -> None:
    # "error" is a little likelier under build, and the prior leans there too: a posterior
    # over LEAST_PROBABILITY, but no word speaks clearly for build
    shared = GuessModel(
        {"build": 3, "lint": 1}, {"error": {"build": 3, "lint": 1}, "z": {"lint": 1}}, alpha=0.1
    )
    guess = shared.guess({"error"})
    assert guess.category == "build" and guess.probability >= LEAST_PROBABILITY
    assert guess_category(["error"], None, shared) is None
