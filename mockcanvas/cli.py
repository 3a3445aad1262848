"""The ``mockcanvas`` command: ``mockcanvas serve`` runs the mock Canvas until Ctrl-C / SIGTERM.

Like ``moto_server``: one process, one in-memory world, printed tokens to call it with.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="mockcanvas",
        description="A stateful, in-memory mock of the Canvas LMS REST API.",
    )
    parser.add_argument("--version", action="version", version=f"mockcanvas {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    serve = sub.add_parser(
        "serve",
        help="serve the mock Canvas over HTTP",
        description="Serve the mock Canvas over HTTP until Ctrl-C or SIGTERM. "
                    "The world lives in memory; every restart starts from the world files again.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"interface to bind (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port to bind, 0 for any free port (default {DEFAULT_PORT})")
    serve.add_argument("--fixtures", nargs="+", metavar="FILE", action="extend",
                       help="world YAML file(s), loaded in order (default: the built-in world)")
    serve.add_argument("--auth-error-status", type=int, choices=(401, 403), default=401,
                       help="status of a permission denial: 401 as Canvas by default, 403 as with "
                            "the api_auth_error_updates feature flag")
    serve.add_argument("--shard-id", type=int, default=0, metavar="N",
                       help="shard of global ids (global = N * 10**13 + local id; default 0)")
    serve.add_argument("--progress-policy", default="background", metavar="POLICY",
                       help="when async jobs (category assignment, CSV import) run: background (default, "
                            "as Canvas), immediate, manual, polls:N or fail:MESSAGE")
    serve.add_argument("--live-events-url", metavar="URL",
                       help="POST each live event (group_category_*, group_*, group_membership_*) as "
                            "JSON to URL, in order, with retries; never slows the API")
    serve.add_argument("--live-events-bulk", action="store_true",
                       help="also record live events for Canvas's bulk paths (assign_unassigned_members, "
                            "CSV import, group_limit propagation), which emit none in Canvas")
    serve.add_argument("--journal-limit", type=int, default=10_000, metavar="N",
                       help="keep the last N requests in the request journal (GET /__mockcanvas__/requests; "
                            "default 10000)")
    serve.add_argument("--live-events-timeout", type=float, default=5.0, metavar="SECONDS",
                       help="seconds to wait for the consumer's answer to one POST before retrying "
                            "(default 5; delivery is at least once: see X-Mockcanvas-Event-Id)")
    serve.add_argument("--live-events-queue-max", type=int, default=10_000, metavar="N",
                       help="events waiting for the consumer; when full the oldest is dropped and counted "
                            "(default 10000)")
    serve.add_argument("--control-token", metavar="TOKEN",
                       help="require TOKEN on /__mockcanvas__/* (header X-Mockcanvas-Control-Token or "
                            "Authorization: Bearer); without it the control plane has no authentication")
    serve.add_argument("--header-timeout", type=float, default=30.0, metavar="SECONDS",
                       help="close a connection that has not sent a whole request head within SECONDS of "
                            "opening or of its last answer, and idle keep-alive connections (default 30)")
    serve.add_argument("--body-timeout", type=float, default=120.0, metavar="SECONDS",
                       help="answer 408 to a request whose body has not arrived within SECONDS of its "
                            "head (default 120)")
    openapi = sub.add_parser(
        "openapi",
        help="print the OpenAPI 3.1 document of the mock",
        description="Print the OpenAPI 3.1 document of every route of the mock (generated from its "
                    "router; the same document as GET /__mockcanvas__/openapi.json).",
    )
    openapi.add_argument("--output", "-o", metavar="FILE", help="write the document to FILE instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return _serve_command(args)
    if args.command == "openapi":
        return _openapi_command(args)
    return 2  # pragma: no cover - argparse rejects unknown commands first


def _openapi_command(args: argparse.Namespace) -> int:
    from .openapi import default_document, dumps

    text = dumps(default_document())
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        print(f"mockcanvas: error: {args.output}: {e.strerror or e}", file=sys.stderr)
        return 2
    return 0


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name given to ``--host``) only listens on this machine."""
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # another name, or "" / 0.0.0.0 / :: (every interface)


def _serve_command(args: argparse.Namespace) -> int:
    from .seed import WorldError, load_world
    from .settings import Settings
    from .store.progress import parse_policy

    if not 0 <= args.port <= 65535:
        print(f"mockcanvas: error: --port must be 0..65535, not {args.port}", file=sys.stderr)
        return 2
    if args.shard_id < 0:
        print(f"mockcanvas: error: --shard-id must be >= 0, not {args.shard_id}", file=sys.stderr)
        return 2
    try:
        parse_policy(args.progress_policy)
    except ValueError as e:
        print(f"mockcanvas: error: --progress-policy: {e}", file=sys.stderr)
        return 2
    if args.journal_limit < 1:
        print(f"mockcanvas: error: --journal-limit must be >= 1, not {args.journal_limit}", file=sys.stderr)
        return 2
    if args.live_events_url is not None and not args.live_events_url.startswith(("http://", "https://")):
        print(f"mockcanvas: error: --live-events-url must be an http(s) URL, not {args.live_events_url!r}",
              file=sys.stderr)
        return 2
    for flag, value in (("--live-events-timeout", args.live_events_timeout),
                        ("--header-timeout", args.header_timeout), ("--body-timeout", args.body_timeout)):
        if not 0 < value < 1e6:  # NaN fails too
            print(f"mockcanvas: error: {flag} must be a positive number of seconds, not {value}", file=sys.stderr)
            return 2
    if args.live_events_queue_max < 1:
        print(f"mockcanvas: error: --live-events-queue-max must be >= 1, not {args.live_events_queue_max}",
              file=sys.stderr)
        return 2
    if args.control_token is not None and not args.control_token.strip():
        print("mockcanvas: error: --control-token must not be empty", file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        print(f"mockcanvas: warning: --host {args.host} is not a loopback address: anyone who can reach this "
              "port can use the test control plane (/__mockcanvas__/: reset the world, read the request "
              "journal and live events)"
              + ("" if args.control_token else " without authentication; set --control-token"),
              file=sys.stderr)
    settings = Settings(auth_error_status=args.auth_error_status, shard_id=args.shard_id,
                        progress_policy=args.progress_policy, live_events_url=args.live_events_url,
                        live_events_bulk=args.live_events_bulk, live_events_timeout=args.live_events_timeout,
                        live_events_queue_max=args.live_events_queue_max, control_token=args.control_token,
                        header_timeout=args.header_timeout, body_timeout=args.body_timeout)
    try:
        store = load_world(args.fixtures or None, settings=settings)
    except WorldError as e:
        print(f"mockcanvas: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a missing or unreadable world file
        name = e.filename if e.filename is not None else ""
        print(f"mockcanvas: error: {name}: {e.strerror or e}" if name else f"mockcanvas: error: {e}",
              file=sys.stderr)
        return 2
    store.requests.limit = args.journal_limit
    try:
        return asyncio.run(_serve(store, args.host, args.port))
    except KeyboardInterrupt:  # Ctrl-C where signal handlers are not available (Windows)
        return 0


async def _serve(store, host: str, port: int) -> int:
    from aiohttp import web

    from .app import create_app
    from .seed import world_summary

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows; or not the main thread
            pass

    runner = web.AppRunner(create_app(store), access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as e:
            print(f"mockcanvas: error: cannot listen on {host}:{port}: {e.strerror or e}", file=sys.stderr)
            return 1
        bound = runner.addresses[0][1]
        shown = f"[{host}]" if ":" in host else host
        lines = [f"mockcanvas listening on http://{shown}:{bound}"]
        rows = world_summary(store)
        if rows:
            wt = max(len(str(r["token"])) for r in rows)
            wi = max(len(str(r["user_id"])) for r in rows)
            wn = max(len(str(r["name"])) for r in rows)
            for r in rows:
                lines.append(f"  {r['token']:<{wt}}  user {r['user_id']:>{wi}}  {r['name']:<{wn}}  {r['role']}")
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        await stop.wait()
    finally:
        await runner.cleanup()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
