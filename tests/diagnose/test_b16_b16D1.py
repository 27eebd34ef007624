# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 16, helper b16D1 (whole Travis CI job logs): ``apt-get update`` that
cannot use a repository's index (``apt-index-fetch``), as apt prints it when a third-party
source of the build image answers 404 for one architecture's ``Packages`` file, when a
source has no Release file (apt >= 1.5 makes that an error) and when a release changed its
Suite; and the near misses that stay with ``apt-install`` (a package file under ``pool/``
that 404s: a stale index) or are only warnings (the ``W:`` forms older apt goes on after).
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import travis_one_command

# electron's script/cibuild: `sudo apt-get update` through a Python helper that raises
_CIBUILD_APT_UPDATE = [
    "Setup travis CI",
    "Hit:2 http://us-central1.gce.archive.ubuntu.com/ubuntu trusty-updates InRelease",
    "Get:5 http://dl.hhvm.com/ubuntu trusty InRelease [2,104 B]",
    "Ign:19 http://dl.hhvm.com/ubuntu trusty/main i386 Packages",
    "Err:19 http://dl.hhvm.com/ubuntu trusty/main i386 Packages",
    "  404  Not Found [IP: 52.84.14.76 80]",
    "Fetched 238 kB in 7s (31.9 kB/s)",
    "Reading package lists...",
    "W: http://dl.hhvm.com/ubuntu/dists/trusty/InRelease: Signature by key 36AEF64D0207E7EEE352D4875A16E7281BE7A449 uses weak digest algorithm (SHA1)",
    "E: Failed to fetch http://dl.hhvm.com/ubuntu/dists/trusty/main/binary-i386/Packages  404  Not Found [IP: 52.84.14.76 80]",
    "E: Some index files failed to download. They have been ignored, or old ones used instead.",
    "",
    "Traceback (most recent call last):",
    '  File "./script/cibuild", line 129, in <module>',
    "    sys.exit(main())",
    '  File "./script/cibuild", line 63, in main',
    "    execute(['sudo', 'apt-get', 'update'])",
    '  File "/home/runner/build/acme/app/script/lib/util.py", line 174, in execute',
    "    raise e",
    "subprocess.CalledProcessError: Command '['sudo', 'apt-get', 'update']' returned non-zero exit status 100",
]


def test_index_404_of_a_third_party_source_is_the_cause() -> None:
    diagnosis = diagnose(travis_one_command("./script/cibuild", _CIBUILD_APT_UPDATE))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "apt-index-fetch"
    assert not diagnosis.retryable
    first = diagnosis.key_lines[0].text.strip()
    assert first.startswith(
        "E: Failed to fetch http://dl.hhvm.com/ubuntu/dists/trusty/main/binary-i386/Packages  404"
    )
    assert diagnosis.hint is not None and "sources.list" in diagnosis.hint


def test_missing_release_file_of_a_ppa_in_newer_apt() -> None:
    lines = [
        "Hit:1 http://archive.ubuntu.com/ubuntu focal InRelease",
        "Ign:2 http://ppa.launchpad.net/acme/tools/ubuntu focal InRelease",
        "Err:3 http://ppa.launchpad.net/acme/tools/ubuntu focal Release",
        "  404  Not Found [IP: 91.189.95.85 80]",
        "Reading package lists...",
        "E: The repository 'http://ppa.launchpad.net/acme/tools/ubuntu focal Release' does not have a Release file.",
        "N: Updating from such a repository can't be done securely, and is therefore disabled by default.",
        "N: See apt-secure(8) manpage for repository creation and user configuration details.",
    ]
    diagnosis = diagnose(travis_one_command("sudo apt-get update -qq", lines, 100))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "apt-index-fetch"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert (
        "E: The repository 'http://ppa.launchpad.net/acme/tools/ubuntu focal Release' does not have a Release file."
        in texts
    )


def test_release_that_changed_its_suite() -> None:
    lines = [
        "Get:1 http://deb.debian.org/debian buster InRelease [122 kB]",
        "Reading package lists...",
        "E: Repository 'http://deb.debian.org/debian buster InRelease' changed its 'Suite' value from 'stable' to 'oldstable'",
        "N: This must be accepted explicitly before updates for this repository can be applied. See apt-secure(8) manpage for details.",
    ]
    diagnosis = diagnose(travis_one_command("apt-get update", lines, 100))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "apt-index-fetch"


@pytest.mark.parametrize(
    "line",
    [
        "E: Failed to fetch http://dl.hhvm.com/ubuntu/dists/trusty/main/binary-i386/Packages  404  Not Found [IP: 52.84.14.161 80]",
        "E: Failed to fetch https://packages.example.org/debian/dists/stable/InRelease  403  Forbidden [IP: 10.0.0.1 443]",
        "E: The repository 'http://ppa.launchpad.net/couchdb/stable/ubuntu trusty Release' does not have a Release file.",
        "E: The repository 'http://security.debian.org/debian-security stretch/updates Release' no longer has a Release file.",
        "E: Repository 'http://deb.debian.org/debian buster InRelease' changed its 'Codename' value from 'buster' to 'bullseye'",
    ],
)
def test_index_shapes_match(line: str) -> None:
    assert "apt-index-fetch" in [r.id for r in load_rules().match(line)]


@pytest.mark.parametrize(
    "line",
    [
        # a package file under pool/: the index was stale, apt-install says so
        "E: Failed to fetch http://archive.ubuntu.com/ubuntu/pool/main/c/curl/libcurl3_7.35.0-1ubuntu2.13_amd64.deb  404  Not Found [IP: 91.189.88.149 80]",
        # warnings older apt prints and goes on after
        "W: Failed to fetch http://ppa.launchpad.net/couchdb/stable/ubuntu/dists/trusty/main/binary-amd64/Packages  404  Not Found",
        "W: The repository 'http://ppa.launchpad.net/couchdb/stable/ubuntu trusty Release' does not have a Release file.",
        "W: Failed to fetch http://repo.mongodb.org/apt/ubuntu/dists/trusty/mongodb-org/3.2/InRelease  Could not connect to repo.mongodb.org:80 (13.33.167.9), connection timed out",
        # the per-item line and its status line of apt's progress
        "Err:19 http://dl.hhvm.com/ubuntu trusty/main i386 Packages",
        "  404  Not Found [IP: 52.84.14.76 80]",
        # the summary after the real error
        "E: Some index files failed to download. They have been ignored, or old ones used instead.",
    ],
)
def test_near_misses_do_not_match(line: str) -> None:
    assert "apt-index-fetch" not in [r.id for r in load_rules().match(line)]


def test_stale_index_package_404_stays_apt_install() -> None:
    lines = [
        "Reading package lists...",
        "Building dependency tree...",
        "Err:1 http://archive.ubuntu.com/ubuntu/ trusty-updates/main amd64 libcurl3 amd64 7.35.0-1ubuntu2.13",
        "  404  Not Found [IP: 91.189.88.149 80]",
        "E: Failed to fetch http://archive.ubuntu.com/ubuntu/pool/main/c/curl/libcurl3_7.35.0-1ubuntu2.13_amd64.deb  404  Not Found [IP: 91.189.88.149 80]",
        "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?",
    ]
    diagnosis = diagnose(travis_one_command("sudo apt-get install -y libcurl3", lines, 100))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "apt-install"
