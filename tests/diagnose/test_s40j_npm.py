"""npm's error report: the message line, not the error's property lines or npm's fixed
advice, is what the key lines show.

Source: npm/cli `lib/utils/exit-handler.js` (npm 7+; npm 6 `lib/utils/error-handler.js`)
logs `code`, `syscall`, `file`, `path`, `dest`, `errno` of the error, each as
`npm ERR! <key> <value>` (npm 10: `npm error …`), then `lib/utils/error-message.js`' summary
and detail: the message (`npm ERR! network request to … failed, reason: connect ETIMEDOUT`,
`npm ERR! ENOTEMPTY: directory not empty, rename …`) and fixed advice (`npm ERR! network
This is a problem related to network connectivity.`, `npm ERR! enoent This is related to npm
not being able to find a file.`), then `A complete log of this run can be found in:`.
"""

from __future__ import annotations

from bot.diagnose import diagnose

HEAD = ["##[group]Run npm ci", "npm ci", "##[endgroup]"]
TAIL = ["##[error]Process completed with exit code 1."]


def run(body: list[str]) -> tuple[str, list[str]]:
    result = diagnose("\n".join(HEAD + body + TAIL).encode())
    return result.category, [k.text.strip() for k in result.key_lines]


def test_network_error_message_is_among_the_first_key_lines() -> None:
    message = (
        "npm ERR! network request to https://registry.npmjs.org/react failed, reason: "
        "connect ETIMEDOUT 104.16.0.35:443"
    )
    body = [
        "npm ERR! code ETIMEDOUT",
        "npm ERR! syscall connect",
        "npm ERR! errno ETIMEDOUT",
        message,
        "npm ERR! network This is a problem related to network connectivity.",
        "npm ERR! network In most cases you are behind a proxy or have bad network settings.",
        "npm ERR! network ",
        "npm ERR! network If you are behind a proxy, please make sure that the",
        "npm ERR! network 'proxy' config is set properly.  See: 'npm help config'",
        "",
        "npm ERR! A complete log of this run can be found in:",
        "npm ERR!     /home/runner/.npm/_logs/2024-03-01T10_00_00_000Z-debug-0.log",
    ]
    category, keys = run(body)
    assert category == "infra_network"
    assert message in keys[:3]
    assert "npm ERR! syscall connect" not in keys
    assert not any("This is a problem related to network connectivity" in k for k in keys)


def test_npm10_filesystem_error_message_is_kept() -> None:
    message = (
        "npm error ENOTEMPTY: directory not empty, rename "
        "'/home/runner/work/app/app/node_modules/webpack' -> "
        "'/home/runner/work/app/app/node_modules/.webpack-abc'"
    )
    body = [
        "npm error code ENOTEMPTY",
        "npm error syscall rename",
        "npm error path /home/runner/work/app/app/node_modules/webpack",
        "npm error dest /home/runner/work/app/app/node_modules/.webpack-abc",
        "npm error errno -39",
        message,
        "npm error A complete log of this run can be found in: /home/runner/.npm/_logs/x.log",
    ]
    category, keys = run(body)
    assert category == "dependency_install"
    assert "npm error code ENOTEMPTY" in keys
    assert message in keys[:3]
    assert "npm error errno -39" not in keys


def test_near_miss_a_test_named_errno_is_still_read() -> None:
    # only npm's own `npm ERR! errno` property line is set aside, not a test's output
    # that mentions errno
    body = [
        "  ✖ errno 5 is mapped to EIO",
        "    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
        "npm ERR! Test failed.  See above for more details.",
    ]
    result = diagnose(
        "\n".join(["##[group]Run npm test", "npm test", "##[endgroup]", *body, *TAIL]).encode()
    )
    texts = [k.text.strip() for k in result.key_lines]
    assert any("AssertionError" in t for t in texts)
