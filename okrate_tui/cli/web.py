"""``okrate web``: the app in a browser, served from this machine by textual-serve.

Each browser tab runs its own ``okrate`` process as the login that started the server,
on the same database and as the same person; the page itself asks nobody to log in, so
it listens on loopback unless ``--allow-remote`` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import shlex
import signal
import socket
import sys

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.core.db import ENV_VAR, resolve

DEFAULT_PORT = 8000
NO_LOGIN = (
    "the page has no login of its own: anyone who reaches this port uses okrate as you; "
    "prefer an SSH tunnel (ssh -L 8000:127.0.0.1:8000 host) or the team server"
)


def register(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser(
        "web",
        help="open the app in a browser (served from this machine with textual-serve)",
        description="Serve the app to a browser. Every tab runs the app as you, on this database. "
        "Example: okrate web, then open http://127.0.0.1:8000/ "
        "(from another machine: ssh -L 8000:127.0.0.1:8000 host).",
    )
    web.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, loopback)")
    web.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})")
    web.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers reach the server by, when it differs (a proxy, a tunnel to another port)",
    )
    web.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on an address other machines reach (the page has no login of its own)",
    )
    web.set_defaults(func=cmd_web)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def is_loopback(host: str) -> bool:
    """Does ``host`` reach only this machine?"""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(ctx: Context) -> str:
    """The shell command textual-serve runs for each tab: this interpreter, this database,
    this person. A password in the database URL goes through the environment, never
    onto a command line (``ps`` shows those to everyone)."""
    argv = [sys.executable, "-m", "okrate_tui"]
    target = resolve(ctx.url)
    if target.kind == "sqlite":
        assert target.path is not None
        argv += ["--db", str(target.path.absolute())]
    elif target.has_password:
        os.environ[ENV_VAR] = str(ctx.url)  # the tabs inherit this process's environment
    else:
        argv += ["--db", str(ctx.url)]
    if ctx.as_handle:
        argv += ["--as", ctx.as_handle]
    return shlex.join(argv)


def public_url(host: str, port: int) -> str:
    """Where a browser finds a server listening on ``host``: a wildcard address names
    this machine instead."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def cmd_web(ctx: Context, args: argparse.Namespace) -> int:
    remote = not is_loopback(args.host)
    if remote and not args.allow_remote:
        raise UsageError(
            f"--host {args.host} lets other machines reach the app, and the page has no login of its own: "
            "add --allow-remote to mean it, or keep 127.0.0.1 and reach it through an SSH tunnel"
        )
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("okrate web needs textual-serve: pip install 'okrate-tui[web]'") from None
    ctx.db()  # a missing database or a refused person is said here, not in every tab
    ctx.identity().resolve()
    ctx.close()
    url = (args.public_url or public_url(args.host, args.port)).rstrip("/")
    server = _server_class(Server)(app_command(ctx), host=args.host, port=args.port, title="okrate", public_url=url)
    target = resolve(ctx.url)
    where = str(target.path.absolute()) if target.path is not None else target.describe()
    announce = f"okrate: serving the app on {url}/ ({where}); Ctrl+C stops"
    try:
        server.serve(announce, NO_LOGIN if remote else None)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def _server_class(base: type) -> type:
    """textual-serve's server, saying where it listens once it does (not its banner)."""
    from aiohttp import web

    class OkrateServer(base):
        def serve(self, announce: str, warning: str | None) -> None:
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for stop in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(stop, self.request_exit)

            def listening(*_: object) -> None:
                print(announce, flush=True)
                if warning:
                    print(f"okrate: warning: {warning}", file=sys.stderr, flush=True)

            web.run_app(
                self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop, print=listening
            )

        async def on_startup(self, app: web.Application) -> None:
            """No banner: ``serve`` says where the app is once the port is open."""

    return OkrateServer
