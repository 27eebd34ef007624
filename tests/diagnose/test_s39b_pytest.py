"""pytest formats read from pytest's and its plugins' sources (s39b).

* pytest-subtests (github.com/pytest-dev/pytest-subtests, ``tests/test_subtests.py``): ``-v``
  prints ``t.py::T::test_foo [custom message] (i=1) SUBFAIL  [100%]``, under xdist
  ``[gw0] [100%] SUBFAIL t.py::T::test_foo``, and ``-rf`` ``[custom message] (i=4) SUBFAIL
  t.py::T::test_foo - AssertionError: …``; pytest 9's built-in subtests
  (docs.pytest.org/en/stable/how-to/subtests.html) ``SUBFAILED[custom message] (i=1)
  test_subtest.py::test - assert (1 % 2) == 0``.
* pytest-xdist (``xdist/dsession.py``, ``handle_crashitem``): ``worker 'gw0' crashed while
  running 'tests/t.py::test_a'``.
* pytest's ``TerminalReporter._locationline``: ``-vv`` adds `` <- base.py`` for an inherited
  test.
* pytest-timeout (``pytest_timeout.py``, ``dump_stacks``): ``+++ Timeout +++`` after the
  ``-v`` location that never got its result word.
"""

from bot.diagnose.extractors import extract_failures, extract_tests

SUBTESTS_V = """\
test_sub.py::T::test_foo [custom message] (i=0) SUBPASS                  [100%]
test_sub.py::T::test_foo [custom message] (i=1) SUBFAIL                  [100%]
test_sub.py::T::test_foo [custom message] (i=3) SUBFAIL                  [100%]
test_sub.py::T::test_foo PASSED                                          [100%]
test_sub.py::test_bar [x] SUBSKIP (skip it)                              [100%]
"""


def test_subtests_verbose_names_the_test_and_not_a_passing_subtest() -> None:
    assert extract_tests(SUBTESTS_V) == ["test_sub.py::T::test_foo"]


def test_subtests_xdist_and_summary_forms() -> None:
    log = (
        "[gw0] [100%] SUBFAIL tests/test_s.py::T::test_foo\n"
        "[gw0] [100%] SUBPASS tests/test_s.py::T::test_ok\n"
        "[custom message] (i=4) SUBFAIL tests/test_s.py::T::test_bar - AssertionError: 4 < 4\n"
        "SUBFAILED[custom message] (i=1) tests/test_s.py::test_baz - assert (1 % 2) == 0\n"
    )
    failures = {f.test: f for f in extract_failures(log)}
    assert list(failures) == [
        "tests/test_s.py::T::test_foo",
        "tests/test_s.py::T::test_bar",
        "tests/test_s.py::test_baz",
    ]
    assert failures["tests/test_s.py::T::test_bar"].message == "AssertionError: 4 < 4"
    assert failures["tests/test_s.py::test_baz"].message == "assert (1 % 2) == 0"


def test_xdist_crashed_worker_names_its_test() -> None:
    log = (
        "[gw0] node down: Not properly terminated\n"
        "replacing crashed worker gw0\n"
        "worker 'gw0' crashed while running 'tests/test_big.py::test_load[all]'\n"
    )
    failures = extract_failures(log)
    assert [f.test for f in failures] == ["tests/test_big.py::test_load[all]"]
    assert failures[0].message is not None and "crashed while running" in failures[0].message


def test_inherited_test_under_vv() -> None:
    log = (
        "tests/test_a.py::TestB::test_c <- tests/base.py FAILED                   [ 50%]\n"
        "tests/test_a.py::TestB::test_d <- tests/base.py PASSED                   [100%]\n"
    )
    assert extract_tests(log) == ["tests/test_a.py::TestB::test_c"]


def test_timeout_thread_method_under_v() -> None:
    log = (
        "tests/test_w.py::test_ok PASSED                                     [ 50%]\n"
        "tests/test_w.py::test_waits \n"
        "+++++++++++++++++++++++++++++++++++ Timeout ++++++++++++++++++++++++++++++++++++\n"
        "~~~~~~~~~~~~~~~~~~~~~~~~~ Stack of MainThread (1401) ~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        '  File "/__w/r/r/tests/test_w.py", line 9, in test_waits\n'
        "    time.sleep(10)\n"
    )
    assert extract_tests(log) == ["tests/test_w.py::test_waits"]
    same_line = "tests/test_w.py::test_waits ++++++++++++++++++++ Timeout ++++++++++++++++++++\n"
    assert extract_tests(same_line) == ["tests/test_w.py::test_waits"]


def test_a_bare_node_id_without_a_timeout_is_no_failure() -> None:
    # ``--collect-only -q`` lists node ids alone on their lines
    log = "tests/test_w.py::test_a\ntests/test_w.py::test_b\n\n2 tests collected in 0.01s\n"
    assert extract_tests(log) == []
