"""`pitcrew setup [--org ORG] [--url URL] [--github-url URL] [--port P] [--env-file PATH]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.envfile import DEFAULT_ENV_FILE

DEFAULT_SETUP_PORT = 3000


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic has no public alias
    setup = subparsers.add_parser(
        "setup", help="register the GitHub App from its manifest and write the env file"
    )
    setup.add_argument("--org", help="register the App for this organisation (default: you)")
    setup.add_argument("--url", help="public URL of this Pitcrew (the webhook is URL/webhook)")
    setup.add_argument(
        "--github-url",
        default="https://github.com",
        help="GitHub's web URL (GitHub Enterprise Server: https://HOST)",
    )
    setup.add_argument("--api-url", help="REST API URL (default: derived from --github-url)")
    setup.add_argument("--host", default="127.0.0.1", help="address of the setup page")
    setup.add_argument(
        "--port", type=int, default=DEFAULT_SETUP_PORT, help="port of the setup page (0 = any)"
    )
    setup.add_argument("--env-file", default=DEFAULT_ENV_FILE, help="where to write the settings")
    setup.add_argument(
        "--key-file", help="where to write the private key (default: beside the env file)"
    )
    setup.add_argument("--name", help="the App's name (default: app.yml's; must be unique)")
    setup.add_argument("--force", action="store_true", help="replace an existing env/key file")
    setup.set_defaults(func=run_setup)


def run_setup(args: argparse.Namespace) -> int:
    from bot.setup.flow import SetupFlow, SetupOptions, run_flow
    from bot.setup.manifest import api_url_for, load_app_yml

    env_file = Path(args.env_file)
    key_file = Path(args.key_file) if args.key_file else None
    if not args.force:
        for path in (env_file, key_file):
            if path is not None and path.exists():
                print(
                    f"pitcrew setup: {path} already exists: not overwriting it "
                    "(pass --force to replace it)",
                    file=sys.stderr,
                )
                return 1
    if not env_file.parent.is_dir():
        print(f"pitcrew setup: directory {env_file.parent} does not exist", file=sys.stderr)
        return 1
    options = SetupOptions(
        github_url=args.github_url.rstrip("/"),
        api_url=(args.api_url or api_url_for(args.github_url)).rstrip("/"),
        env_file=env_file,
        key_file=key_file,
        public_url=args.url,
        org=args.org,
        name=args.name,
        force=args.force,
        template=load_app_yml(),
    )

    def announce(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        outcome = asyncio.run(run_flow(SetupFlow(options), args.host, args.port, announce))
    except OSError as exc:
        print(f"pitcrew setup: cannot serve the setup page: {exc.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pitcrew setup: interrupted; nothing was written", file=sys.stderr)
        return 130
    stream = sys.stdout if outcome.exit_code == 0 else sys.stderr
    print(f"pitcrew setup: {outcome.message}", file=stream, flush=True)
    return outcome.exit_code
