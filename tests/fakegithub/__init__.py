"""A stateful fake of the GitHub REST API (and git smart HTTP) for Pitcrew's tests.

Layout: server.py (core pipeline), routing.py (route table: ``@route(METHOD, template)``),
routes_*.py (handlers by area), state.py (world + builders), shapes.py (JSON shapes from
GitHub's examples), gitstore.py (bare repos), githttp.py (smart HTTP), webhooks.py (signed
deliveries), shared.py (../shared access), fixtures.py (pytest fixtures).
"""

from .server import Call, FakeGitHub, Fault, GitRequest, generate_private_key
from .shared import check_payload, deep_merge, load_example, shared_dir, validate_call
from .webhooks import delivery_headers, send_webhook, sign

__all__ = [
    "Call",
    "FakeGitHub",
    "Fault",
    "GitRequest",
    "check_payload",
    "deep_merge",
    "delivery_headers",
    "generate_private_key",
    "load_example",
    "send_webhook",
    "shared_dir",
    "sign",
    "validate_call",
]
