"""What a tool said it was doing right above its first error joins the key lines: Ansible's
header of the task that failed and docker's pull of an image; not apt's fixed preamble, which
it prints before every install. Docker's "Unable to find image … locally" is routine."""

from __future__ import annotations

from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import diagnose_paste, rule_ids


def _announced(lines: list[str]) -> list[str]:
    return [k.text.strip() for k in diagnose_paste(lines).key_lines if k.rule == "announced"]


def test_ansible_task_header_names_the_task_that_failed() -> None:
    got = _announced(
        [
            "TASK [geerlingguy.mysql : Copy my.cnf global MySQL configuration.] ***********",
            "changed: [127.0.0.1]",
            "",
            "TASK [geerlingguy.mysql : Ensure MySQL is started and enabled on boot.] *******",
            'fatal: [127.0.0.1]: FAILED! => {"changed": false, "msg": "Unable to start service'
            ' mysql: Job for mysql.service failed because the control process exited"}',
            "",
            "PLAY RECAP *********************************************************************",
            "127.0.0.1                  : ok=8    changed=4    unreachable=0    failed=1",
        ]
    )
    assert got == [
        "TASK [geerlingguy.mysql : Ensure MySQL is started and enabled on boot.] *******"
    ]


def test_ansible_1x_task_header_under_a_vagrant_prefix() -> None:
    got = _announced(
        [
            "==> default: changed: [127.0.0.1]",
            "==> default: TASK: [mysql | Ensure MySQL is started and enabled on boot.] *** ",
            '==> default: failed: [127.0.0.1] => {"failed": true}',
            "==> default: msg: start: Job failed to start",
        ]
    )
    assert len(got) == 1 and got[0].startswith("TASK: [mysql | Ensure MySQL is started")


def test_docker_pull_announces_the_registry_error() -> None:
    lines = [
        "Unable to find image 'elasticsearch:7.6.1' locally",
        "7.6.1: Pulling from library/elasticsearch",
        'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": EOF.',
        "See 'docker run --help'.",
    ]
    got = diagnose_paste(lines)
    texts = [k.text.strip() for k in got.key_lines]
    assert texts[:2] == [lines[2], lines[1]]
    assert lines[0] not in texts


def test_docker_not_finding_an_image_locally_is_routine() -> None:
    assert error_score("Unable to find image 'appropriate/curl:latest' locally") == 0
    # near miss: docker's own failure to find one stays an error line
    assert error_score("Error: No such image: appropriate/curl:latest") > 0


def test_apt_preamble_is_no_announcement() -> None:
    got = _announced(
        [
            "Reading package lists...",
            "Building dependency tree...",
            "Reading state information...",
            "E: Unable to locate package kernel-package",
        ]
    )
    assert got == []


def test_travis_apt_addon_summary_is_apt_install() -> None:
    assert rule_ids("apt-get install failed")[:1] == ["apt-install"]
    assert "apt-install" not in rule_ids("apt-get install failed for 2 packages, retrying")
