"""``go test -json`` events (cmd/internal/test2json, https://pkg.go.dev/cmd/test2json:
``{"Time":…,"Action":"output","Package":…,"Test":…,"Output":…}``; a failed test ends with
``"Action":"fail"`` and its ``Test``; a package's own ``fail`` has none)."""

import json

from bot.diagnose.extractors import extract_failures

PKG = "example.com/app/calc"


def _event(action: str, test: str | None = None, output: str | None = None) -> str:
    fields: dict[str, object] = {"Time": "2024-05-01T12:00:00Z", "Action": action, "Package": PKG}
    if test is not None:
        fields["Test"] = test
    if output is not None:
        fields["Output"] = output
    return json.dumps(fields, separators=(",", ":"))


EVENTS = "\n".join(
    [
        _event("start"),
        _event("run", "TestAdd"),
        _event("output", "TestAdd", "=== RUN   TestAdd\n"),
        _event("output", "TestAdd", "    calc_test.go:12: Add(1, 2) = 4, want 3\n"),
        _event("output", "TestAdd", "--- FAIL: TestAdd (0.00s)\n"),
        _event("fail", "TestAdd"),
        _event("output", "TestSub", "--- PASS: TestSub (0.00s)\n"),
        _event("pass", "TestSub"),
        _event("fail", "TestMul/by_zero"),
        _event("output", None, f"FAIL\t{PKG}\t0.01s\n"),
        _event("fail"),
    ]
)


def test_go_test_json_events() -> None:
    failures = {f.test: f for f in extract_failures(EVENTS)}
    # the passing test and the package's own ``fail`` event are not failed tests
    assert list(failures) == ["TestAdd", "TestMul/by_zero"]
    assert failures["TestAdd"].message == "calc_test.go:12: Add(1, 2) = 4, want 3"
    assert failures["TestAdd"].location == "calc/calc_test.go:12"


def test_other_json_is_not_go() -> None:
    # a JSON logger's line, and an event with no package (not test2json's)
    log = (
        '{"level":"error","msg":"fail","Test":"TestX"}\n'
        '{"Action":"fail","Test":"TestX"}\n'
        '{"Action":"fail","Package":"example.com/app","Test":"setup"}\n'
    )
    assert extract_failures(log) == []
