"""Shapes many tools print for a failed system call or a refused login, whatever the tool:
shared by the generic scorer (:mod:`bot.diagnose.scorer`, which must see such a line as an
error) and the no-rule fallback (:mod:`bot.diagnose.fallback`, which reads its category).

- Node's (libuv's) system error names the call, its argument and the error code, in no
  error word: ``spawn gh ENOENT`` (execa prints it under its ``Command failed with ENOENT:
  …``), ``connect ECONNREFUSED 127.0.0.1:5432``, ``getaddrinfo ENOTFOUND registry.x``,
  ``read ECONNRESET``, ``listen EADDRINUSE: address already in use :::3000``. Alone on its
  line (a thrown error's message), it is the concrete reason for whatever failed.
- A program that could not be started because it is not installed: Node's ``spawn x
  ENOENT``, execa's ``Command failed with ENOENT``, node-which's ``not found: x`` (npx
  --no-install, exit status 127): a tool the job needs is missing (``dependency_install``).
- A host or service that refused the job's credentials: OpenSSH's ``Permission denied
  (publickey,password).`` and ``Permission denied, please try again.``, a service's ``bad
  credentials`` / ``invalid credentials``, a CLI's ``Login failed. Please check the
  credentials``: the secret the step uses is wrong (``infra_network``: the remote refused).
"""

from __future__ import annotations

import re

# the codes a Node system error ends its call with (libuv's names, upper case)
_UV_CODE = (
    r"E(?:NOENT|ACCES|PERM|CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|NOTFOUND|ADDRINUSE"
    r"|ADDRNOTAVAIL|PIPE|HOSTUNREACH|NETUNREACH|AI_AGAIN|EXIST|NOTDIR|ISDIR|MFILE|NOTEMPTY"
    r"|BUSY|NOSPC|ROFS|NOMEM|PROTO)"
)
# what the reader's prefilter must let through (case-sensitive: ``EACCES``, not ``eacces``)
NODE_SYSCALL_PREFILTER = r"\b" + _UV_CODE + r"\b"
# the whole line, after an optional ``Error: `` (the prefix alone makes it an error line)
NODE_SYSCALL = re.compile(
    r"^(?:spawn(?:Sync)? \S+|connect|getaddrinfo|getnameinfo|read|write|listen|bind"
    r"|open|close|stat|lstat|mkdir|rmdir|unlink|rename|scandir|opendir|readlink|symlink"
    r"|chmod|access|copyfile|uv_cwd|uv_os_\w+|queryA{1,4}|querySrv) " + _UV_CODE + r"\b"
)
MISSING_PROGRAM = re.compile(
    r"\bspawn(?:Sync)? \S+ ENOENT\b|\bCommand failed with ENOENT\b|^not found: [\w@.+/~-]+$"
)
# the words that make such a line name its cause to the scorer (with ``permission denied``,
# which it reads already), in any case
CREDENTIALS_CAUSE = r"(?:bad|invalid|wrong|incorrect) (?:[\w-]+ )?credentials"
CREDENTIALS_REFUSED = re.compile(
    r"\bPermission denied \((?:publickey|password|keyboard-interactive|hostbased|gssapi-)"
    r"|\bPermission denied, please try again\b"
    rf"|\b(?i:{CREDENTIALS_CAUSE})\b"
    r"|\b[Ll]ogin failed\b[.,:;]? (?:[Pp]lease )?(?:check|verify) (?:the|your) credentials\b"
)
