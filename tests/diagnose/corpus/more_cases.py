"""The corpus cases issue 11 added: many more tools, each run for real on a crafted project.

Imported by ``generate.py`` (``all_cases()``). Tools come from PATH plus two throwaway
installs: Python tools in the venv ``$PITCREW_CORPUS_PY`` (default ``/tmp/i11a/py``) and
node packages in ``$PITCREW_CORPUS_JS`` (default ``/tmp/pcjs``); Debian packages (golang-go,
ruby, rubocop, ruby-rspec, ruby-minitest, bundler, php-cli, phpunit, composer, clang,
shellcheck, cppcheck, valgrind) from apt. Infrastructure failures are real client errors
against what this machine offers: unresolvable hosts (no DNS outside the package
registries), a closed port, and tiny loopback servers (``serve()``) that answer 503 or
429, reset the connection, or present a self-signed certificate. Labels are written
here, by hand, from what each crafted failure is.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import generate as g
from generate import CHECKOUT, Case, Skip, StepSpec, write

PY_ENV = Path(os.environ.get("PITCREW_CORPUS_PY", "/tmp/i11a/py"))
HERE = Path(__file__).resolve().parent
GO_ENV = {"GOCACHE": "/tmp/i11a/gocache", "GOPATH": "/tmp/i11a/gopath", "GOFLAGS": "-mod=mod"}
SETUP_GO = StepSpec(
    "actions/setup-go@v5",
    "Setup go version spec 1.19\nFound in cache @ /opt/hostedtoolcache/go/1.19.8/x64\n",
)
SETUP_NODE = StepSpec(
    "actions/setup-node@v4", "Found in cache @ /opt/hostedtoolcache/node/20.20.2/x64\n"
)
SETUP_RUBY = StepSpec("ruby/setup-ruby@v1", "Using Ruby 3.1.2\n")
SETUP_PHP = StepSpec("shivammathur/setup-php@v2", "PHP 8.2 is installed\n")
SETUP_JAVA = StepSpec("actions/setup-java@v4", "Java 17.0.15 was found in the local cache\n")


@dataclass
class Run:
    """A visible workflow step that runs a command for real."""

    cmd: str
    continue_on_error: bool = False
    always: bool = False
    timeout: int = 180
    env: dict[str, str] | None = None


StepLike = Run | StepSpec | str


def _path() -> str:
    js_bin = g.JS_DIR / "node_modules" / ".bin"
    return f"{PY_ENV / 'bin'}:{g.VENV_BIN}:{js_bin}:{os.environ['PATH']}"


def scrub(text: str) -> str:
    """Machine paths of the throwaway installs → the runner's."""
    text = text.replace(str(PY_ENV), g.RUNNER_PYTHON)
    text = text.replace("../../pcjs/node_modules", "node_modules")
    text = text.replace("/tmp/i11a/gopath", "/home/runner/go").replace(
        "/tmp/i11a/gocache", "/home/runner/.cache/go-build"
    )
    text = text.replace("/usr/lib/go-1.19", "/opt/hostedtoolcache/go/1.19.8/x64")
    text = text.replace("/root/", "/home/runner/")
    runner_tmp = "/home/runner/work/_temp/pytest-of-runner/pytest-0/"
    text = re.sub(r"/tmp/pytest-of-\w+/pytest-\d+/", runner_tmp, text)
    return text


def run(root: Path, spec: Run) -> StepSpec:
    env = {
        "PATH": _path(),
        "HOME": str(root.parent / "home"),
        "PIP_CONFIG_FILE": "/dev/null",
        "PIP_FIND_LINKS": "",
        "RUSTUP_HOME": "/root/.rustup",
        "CARGO_HOME": "/root/.cargo",
        **GO_ENV,
        **(spec.env or {}),
    }
    (root.parent / "home").mkdir(exist_ok=True)
    cmd = port_of(spec.cmd)
    out, code = g.sh(cmd, root, timeout=spec.timeout, env=env)
    out = scrub(out.replace(str(root.parent / "home"), "/home/runner"))
    for kind, port in _SERVERS.items():  # the servers' ports are random: a stable one in the log
        stable = STABLE_PORTS[kind]
        out = out.replace(f"127.0.0.1:{port}", f"127.0.0.1:{stable}")
        out = out.replace(f"port={port}", f"port={stable}")
        cmd = cmd.replace(f"127.0.0.1:{port}", f"127.0.0.1:{stable}")
    return StepSpec(cmd, out, code, spec.continue_on_error, spec.always)


def need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool, path=_path()) is None:
            raise Skip(f"{tool} not found")


def case(
    name: str,
    category: str,
    tool: str,
    steps: Sequence[StepLike],
    files: dict[str, str] | None = None,
    *,
    failures: Sequence[tuple[str, str, str | None]] = (),
    tests: Sequence[str] = (),
    key: Sequence[str] = (),
    failed_steps: Sequence[tuple[str, str]] = (),
    version: str = "",
    needs: Sequence[str] = (),
    prelude: Sequence[StepSpec] = (CHECKOUT,),
    hidden: str = "",
    js: bool = False,
    provenance: str = "",
    note: str = "",
    step: str = "",
) -> Case:
    """A case whose steps run for real (``Run``/str) or are framed (``StepSpec``)."""

    def build(root: Path) -> list[StepSpec]:
        need(*needs)
        write(root, files or {})
        if js:
            if not (g.JS_DIR / "node_modules").is_dir():
                raise Skip(f"node packages not installed in {g.JS_DIR}")
            (root / "node_modules").symlink_to(g.JS_DIR / "node_modules")
        if hidden:
            out, code = g.sh(hidden, root, timeout=300, env={"PATH": _path(), **GO_ENV})
            if code:
                raise Skip(f"preparation failed: {out[-600:]}")
        specs = list(prelude)
        for item in steps:
            spec = Run(item) if isinstance(item, str) else item
            specs.append(run(root, spec) if isinstance(spec, Run) else spec)
        if not any(s.exit or s.raw_error for s in specs):
            raise Skip("no step failed:\n" + specs[-1].output[-1500:])
        return specs

    return Case(
        name,
        category,
        build,
        failing_tests=list(tests),
        note=note,
        tool=tool,
        version=version,
        failures=list(failures),
        key_lines=list(key),
        failed_steps=list(failed_steps),
        provenance=provenance,
        step=step,
    )


_SERVERS: dict[str, int] = {}
STABLE_PORTS = {
    "503": 8503,
    "429": 8429,
    "reset": 8104,
    "tls": 8443,
    "502": 8502,
    "500": 8500,
    "slow": 8901,
}


class _Status(http.server.BaseHTTPRequestHandler):
    status = 503

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        if self.status == 429:
            self.send_header("Retry-After", "2")
        body = (
            f"<html><body><h1>{self.status} {self.responses[self.status][0]}</h1></body></html>\n"
        )
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Slow(socketserver.BaseRequestHandler):
    """Accepts and reads the request, then never answers: a client's read time-out."""

    def handle(self) -> None:
        self.request.recv(1024)
        time.sleep(60)


class _Reset(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(1024)
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()


def serve(kind: str) -> int:
    """A loopback server in this process: an HTTP status (``503``, ``429``, ``502``, ``500``),
    ``reset``, ``slow`` (never answers) or ``tls`` (self-signed)."""
    if kind in _SERVERS:
        return _SERVERS[kind]
    handler: type[socketserver.BaseRequestHandler]
    if kind == "reset":
        handler = _Reset
    elif kind == "slow":
        handler = _Slow
    else:
        handler = type(f"Status{kind}", (_Status,), {"status": 200 if kind == "tls" else int(kind)})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if kind == "tls":
        tmp = Path(tempfile.mkdtemp(prefix="pitcrew-tls-"))
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=pypi.internal.example",
                "-keyout",
                str(tmp / "k.pem"),
                "-out",
                str(tmp / "c.pem"),
            ],
            check=True,
            capture_output=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp / "c.pem", tmp / "k.pem")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SERVERS[kind] = server.server_address[1]
    return _SERVERS[kind]


def port_of(text: str) -> str:
    """Commands name ``{p503}``, ``{p429}``, ``{preset}``, ``{ptls}``…: the ports are random."""
    for kind in STABLE_PORTS:
        if "{p" + kind + "}" in text:
            text = text.replace("{p" + kind + "}", str(serve(kind)))
    return text


MORE_CASES: list[Case] = []


def add(*cases: Case) -> None:
    MORE_CASES.extend(cases)


# the cases, one module per ecosystem; each calls add()
import cases_b2_a  # noqa: E402,F401
import cases_b2_b  # noqa: E402,F401
import cases_b4_ran  # noqa: E402,F401
import cases_b5_faults  # noqa: E402,F401
import cases_b5_tests  # noqa: E402,F401
import cases_extra  # noqa: E402,F401
import cases_go_rust  # noqa: E402,F401
import cases_js  # noqa: E402,F401
import cases_jvm_ruby_php  # noqa: E402,F401
import cases_native_infra  # noqa: E402,F401
import cases_python  # noqa: E402,F401
