# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 32, helper Y3 (pasted CI output): a database server the job could not
reach, a download the server cut off, R's package managers failing a download, a
dependency's npm install script, a CI test-report publisher that found no reports, and the
download a retrying client announced before it gave up.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.logline import clean_line
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
            "database-server-unreachable",
        ),
        (
            'psycopg2.OperationalError: connection to server at "localhost" (::1), port 5432 failed: Connection refused',
            "database-server-unreachable",
        ),
        (
            'connection to server at "db", port 5432 failed: timeout expired',
            "database-server-unreachable",
        ),
        (
            "PG::ConnectionBad: could not connect to server: No such file or directory",
            "database-server-unreachable",
        ),
        (
            "django.db.utils.OperationalError: could not connect to server: Connection refused",
            "database-server-unreachable",
        ),
        (
            'could not translate host name "postgres" to address: Name or service not known',
            "database-server-unreachable",
        ),
        (
            "org.postgresql.util.PSQLException: Connection to localhost:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
            "database-server-unreachable",
        ),
        (
            "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)",
            "database-server-unreachable",
        ),
        (
            "SQLSTATE[HY000] [2002] No such file or directory (SQL: select * from information_schema.tables)",
            "database-server-unreachable",
        ),
        (
            "Microsoft.Data.SqlClient.SqlException (0x80131904): A network-related or instance-specific error occurred while establishing a connection to SQL Server.",
            "database-server-unreachable",
        ),
        ("Error: aborted", "download-aborted"),
        ("##[error]Error: aborted", "download-aborted"),
        (
            "pip._vendor.urllib3.exceptions.ProtocolError: ('Connection broken: IncompleteRead(4096 bytes read, 12288 more expected)', IncompleteRead(4096 bytes read, 12288 more expected))",
            "download-aborted",
        ),
        ("curl: (18) transfer closed with 1048576 bytes remaining to read", "download-aborted"),
        (
            "Error in bootstrap(version, libpath) : failed to download renv 0.12.4",
            "r-package-download-failed",
        ),
        ("- Downloading renv ... FAILED", "r-package-download-failed"),
        ("Error: failed to retrieve package 'rlang'", "r-package-download-failed"),
        ("Error: failed to retrieve package 'Matrix' from CRAN", "r-package-download-failed"),
        (
            "Warning in download.packages(pkgs, destdir = tmpd, available = available,  : download of package ‘xml2’ failed",
            "r-package-download-failed",
        ),
        (
            "npm ERR! Failed at the sharp@0.25.4 install script.",
            "npm-dependency-script-failed",
        ),
        (
            "[xUnit] [ERROR] - No test reports found for the metric 'xUnit.Net' with the resolved pattern 'bin/**/testResults.xml'. Configuration error?.",
            "test-report-missing",
        ),
        (
            "ERROR: Step ‘Publish JUnit test result report’ failed: No test report files were found. Configuration error?",
            "test-report-missing",
        ),
    ],
)
def test_rule_matches(line: str, rule: str) -> None:
    assert rule in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # the server answered: credentials or a database that is not there
        (
            'connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  password authentication failed for user "postgres"',
            "database-server-unreachable",
        ),
        (
            'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "app_test" does not exist',
            "database-server-unreachable",
        ),
        (
            "SQLSTATE[HY000] [1045] Access denied for user 'root'@'localhost'",
            "database-server-unreachable",
        ),
        # a process that aborted, a run the user aborted, an abort in words
        ("Aborted (core dumped)", "download-aborted"),
        ("Error: aborted by user", "download-aborted"),
        ("npm ERR! aborted", "download-aborted"),
        ("curl: (22) The requested URL returned error: 404", "download-aborted"),
        # renv that got it, R's other failures
        ("- Downloading renv ... OK", "r-package-download-failed"),
        ("Error: failed to install package 'rlang'", "r-package-download-failed"),
        ("installation of package ‘xml2’ had non-zero exit status", "r-package-download-failed"),
        # the project's own script, and a workspace
        ("npm ERR! Failed at the proj@1.0.0 build script.", "npm-dependency-script-failed"),
        # reports that were found, and Jenkins' verdict line alone
        ("[xUnit] [INFO] - Processing xUnit.Net-v2 (default)", "test-report-missing"),
        ("Recording test results", "test-report-missing"),
    ],
)
def test_near_misses(line: str, rule: str) -> None:
    assert rule not in _ids(clean_line(line))


def test_postgres_socket_is_the_database_service() -> None:
    got = _paste(
        [
            "Run bundle exec rails db:prepare",
            "bin/rails aborted!",
            'ActiveRecord::ConnectionNotEstablished: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory (ActiveRecord::ConnectionNotEstablished)',
            "\tIs the server running locally and accepting connections on that socket?",
            "Tasks: TOP => db:prepare",
            "(See full trace by running task with --trace)",
        ]
    )
    assert got.category == "infra_network"
    assert got.rule == "database-server-unreachable"
    assert not got.retryable
    assert any(".s.PGSQL.5432" in k.text for k in got.key_lines)


def test_npm_dependency_install_script_is_the_install() -> None:
    got = _paste(
        [
            "Run npm ci",
            "npm ERR! code 1",
            "npm ERR! path /home/runner/work/app/app/node_modules/canvas",
            "npm ERR! command failed",
            "npm ERR! command sh -c node-pre-gyp install --fallback-to-build --update-binary",
            "npm ERR! Failed to execute '/opt/hostedtoolcache/node/20.11.0/x64/bin/node /opt/hostedtoolcache/node/20.11.0/x64/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js configure' (1)",
        ]
    )
    assert got.category == "dependency_install"
    assert got.rule == "npm-dependency-script-failed"
    assert any(k.text.endswith("node_modules/canvas") for k in got.key_lines)


def test_npm_own_script_path_is_not_a_dependency() -> None:
    got = _paste(
        [
            "npm error code 2",
            "npm error path /home/runner/work/app/app",
            "npm error command failed",
            "npm error command sh -c tsc -p .",
        ]
    )
    assert got.rule != "npm-dependency-script-failed"
    # a dependency's path without npm's `command failed` (an ENOENT reading its manifest)
    enoent = _paste(
        [
            "npm ERR! code ENOENT",
            "npm ERR! syscall open",
            "npm ERR! path /home/runner/work/app/app/node_modules/abbrev/package.json",
        ]
    )
    assert enoent.rule != "npm-dependency-script-failed"


def test_renv_bootstrap_is_the_package_manager() -> None:
    got = _paste(
        [
            "# Bootstrapping renv 0.12.4 --------------------------------------------------",
            "##[error]Error in bootstrap(version, libpath) : failed to download renv 0.12.4",
            "Calls: source ... eval.parent -> eval -> eval -> eval -> eval -> bootstrap",
            "Execution halted",
            "##[error]Process completed with exit code 1.",
        ]
    )
    assert got.category == "dependency_install"
    assert got.rule == "r-package-download-failed"


def test_setup_action_download_aborted_names_the_download() -> None:
    got = _paste(
        [
            "Run actions/setup-node@v4",
            "Attempting to download 20.x...",
            "Not found in manifest. Falling back to download directly from Node",
            "Acquiring 20.11.1 - x64 from https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.gz",
            "aborted",
            "Waiting 12 seconds before trying again",
            "aborted",
            "Waiting 17 seconds before trying again",
            "Error: aborted",
        ]
    )
    assert got.category == "infra_network"
    assert got.retryable
    texts = [k.text for k in got.key_lines]
    assert texts[0] == "Error: aborted"
    assert any(t.startswith("Acquiring 20.11.1 - x64 from https://nodejs.org/") for t in texts)


def test_a_repeated_error_without_retry_note_keeps_its_own_line() -> None:
    # the same words twice with no retry note between them: the earlier one is no attempt
    # of the last, so the download above it is not what the last one was doing
    got = _paste(
        [
            "$ ./fetch.sh",
            "Downloading https://example.org/tool.tar.gz",
            "aborted",
            "cleanup",
            "Error: aborted",
        ]
    )
    assert "Downloading https://example.org/tool.tar.gz" not in [k.text for k in got.key_lines]
    retried = _paste(
        [
            "$ ./fetch.sh",
            "Downloading https://example.org/tool.tar.gz",
            "aborted",
            "Retrying in 5 seconds...",
            "Error: aborted",
        ]
    )
    assert "Downloading https://example.org/tool.tar.gz" in [k.text for k in retried.key_lines]


def test_jenkins_missing_test_reports_names_the_failed_step() -> None:
    got = _paste(
        [
            "+ ./build.sh -os=Linux",
            "Build step 'Execute shell' marked build as failure",
            "[xUnit] [INFO] - Starting to record.",
            "[xUnit] [INFO] - Processing xUnit.Net-v2 (default)",
            "[xUnit] [ERROR] - No test reports found for the metric 'xUnit.Net' with the resolved pattern 'bin/**/testResults.xml'. Configuration error?.",
            "[xUnit] [INFO] - Failing BUILD.",
            "[xUnit] [INFO] - Stop build.",
        ]
    )
    assert got.category == "unknown"
    assert got.rule == "test-report-missing"
    texts = [k.text for k in got.key_lines]
    assert "Build step 'Execute shell' marked build as failure" in texts


def test_missing_test_reports_lose_to_the_build_error() -> None:
    got = _paste(
        [
            "src/print.cpp:3:10: fatal error: 'fstream' file not found",
            "make: *** [bin/print.o] Error 1",
            "Build step 'Execute shell' marked build as failure",
            "Recording test results",
            "ERROR: Step ‘Publish JUnit test result report’ failed: No test report files were found. Configuration error?",
            "Finished: FAILURE",
        ]
    )
    assert got.category == "build"


def test_jenkins_step_line_alone_is_not_a_missing_report() -> None:
    got = _paste(["Build step 'Execute shell' marked build as failure", "Finished: FAILURE"])
    assert got.rule != "test-report-missing"


def test_database_consistency_crash_report_names_the_checker() -> None:
    got = _paste(
        [
            "<===begin===>",
            "Metadata:",
            "model: User",
            "checker: DatabaseConsistency::Checkers::ColumnPresenceChecker",
            "Stack trace:",
            '/home/runner/work/app/app/vendor/bundle/ruby/3.3.0/gems/activerecord-7.1.3/lib/active_record/connection_adapters/postgresql_adapter.rb:58:in `new_client\': connection to server at "127.0.0.1", port 5432 failed: Connection refused (ActiveRecord::ConnectionNotEstablished)',
        ]
    )
    assert got.category == "infra_network"
    texts = [k.text for k in got.key_lines]
    assert "checker: DatabaseConsistency::Checkers::ColumnPresenceChecker" in texts
    # the crash report's own line is no cause: alone it says unknown
    alone = _paste(
        [
            "<===begin===>",
            "Metadata:",
            "checker: DatabaseConsistency::Checkers::MissingIndexChecker",
            "Stack trace:",
            "undefined method `indexes' for nil (NoMethodError)",
        ]
    )
    assert alone.rule != "database-server-unreachable"
    # the same words outside a crash report are nobody's
    assert _paste(["checker: DatabaseConsistency::Checkers::MissingIndexChecker"]).rule is None
