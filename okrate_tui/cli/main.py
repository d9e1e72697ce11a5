"""Entry point of the ``okrate`` command.

Bad input exits 2 with one line on standard error and leaves the database as it was;
unexpected failures exit 1 with one line (set ``OKRATE_DEBUG=1`` for a traceback).
Textual is imported only when the app opens, so scripted calls start fast; ``--version``
and shell completion answer before anything else is imported.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from okrate_tui import __version__

if TYPE_CHECKING:
    from okrate_tui.cli.context import Context

PROG = "okrate"


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(f"{PROG} ").strip()
        where = f"{command}: " if command and command != PROG else ""
        self.exit(2, f"{PROG}: {where}{message} (see '{self.prog} --help')\n")


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The full parser, or (``commands=False``) just the options that open the app."""
    parser = Parser(
        prog=PROG,
        description="Goals, key results, tasks and reviews in the terminal. Run without a command to open the app.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a file path, sqlite:///FILE or postgresql://… "
        "(default: $OKRATE_DB, else a file in your data folder)",
    )
    parser.add_argument(
        "--as",
        dest="as_handle",
        metavar="HANDLE",
        help="act as this person (default: $OKRATE_AS, else your login name)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo organisation (made on first use), in the app or with a command",
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    from okrate_tui.cli import (
        access,
        admin,
        agenda,
        completion,
        goals,
        info,
        key_results,
        milestones,
        reports,
        server_cmd,
        sessions,
        tasks,
        web,
    )
    from okrate_tui.cli.help import add_epilogs

    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    tasks.register(subparsers)
    goals.register(subparsers)
    key_results.register(subparsers)
    milestones.register(subparsers)
    admin.register(subparsers)
    reports.register(subparsers)
    access.register(subparsers)
    sessions.register(subparsers)
    server_cmd.register(subparsers, run=main)
    agenda.register(subparsers)
    info.register(subparsers)
    completion.register(subparsers)
    web.register(subparsers)
    add_epilogs(parser)
    return parser


def _fail(code: int, message: str) -> int:
    line = " ".join(message.split())
    print(f"{PROG}: {line}", file=sys.stderr)
    return code


def _parse(argv: list[str]) -> argparse.Namespace:
    """Opening the app needs only the global options: skip loading every command then."""
    if not any(a in ("-h", "--help", "--version") for a in argv):
        args, rest = build_parser(commands=False).parse_known_args(argv)
        if not rest:
            return args
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest:
        where = " ".join(w for w in (PROG, args.command, getattr(args, "action", None)) if w)
        parser.exit(2, f"{PROG}: unrecognised arguments: {' '.join(rest)} (see '{where} --help')\n")
    return args


def main(argv: Sequence[str] | None = None, *, session: Context | None = None) -> int:
    """Run one command line. ``session`` is a server session's context (the key's
    person and the server's database): nothing on the command line may change it.
    Whatever the command prints shows hidden characters as ``U+001B`` (stored text
    never drives the terminal); the app draws the terminal itself."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words == ["--version"]:
        print(f"{PROG} {__version__}")
        return 0
    from okrate_tui.cli.output import harmless_output

    with harmless_output():
        return _main(words, session)


def _main(words: list[str], session: Context | None) -> int:
    if "_ARGCOMPLETE" in os.environ and session is None and "SSH_ORIGINAL_COMMAND" not in os.environ:
        from okrate_tui.cli.completion import complete

        complete(build_parser())
    from okrate_tui.cli.keyboard import keys_as_typed

    args = _parse(words)
    with keys_as_typed(args.command is None):  # the app's keys from now on, not the terminal's line
        return _run(args, session)


def _run(args: argparse.Namespace, session: Context | None) -> int:
    from okrate_tui.cli.context import Context, UsageError
    from okrate_tui.core.db import resolve
    from okrate_tui.core.errors import OkrateError

    if session is not None and session.server is not None:
        scrub = session.server.scrub  # the server's paths are not the person's to see

        def fail(code: int, message: str) -> int:
            return _fail(code, scrub(message))
    else:
        fail = _fail
    try:
        if session is not None:
            refuse_in_server(args)
        ctx = session or Context.from_args(args.db, args.as_handle)
        if args.db is not None and resolve(args.db).has_password:
            raise UsageError(
                "a password in --db is visible to every user of this machine (ps): "
                "put it in ~/.pgpass or in OKRATE_DB instead"
            )
    except (OkrateError, UsageError) as exc:
        return fail(2, str(exc))
    try:
        if args.demo:
            from okrate_tui.cli.launch import use_demo

            use_demo(ctx, args.db)
        if args.command is None:
            from okrate_tui.cli.launch import in_browser, launch
            from okrate_tui.cli.output import raw_output

            if not (sys.stdin.isatty() and sys.stdout.isatty()) and not (session is None and in_browser()):
                hint = "connect with ssh -t" if session is not None else "scripts use commands (see 'okrate --help')"
                raise UsageError(f"the app needs a terminal; {hint}")
            with raw_output():
                return launch(ctx)
        return int(args.func(ctx, args) or 0)
    except (OkrateError, UsageError) as exc:
        return fail(2, str(exc))
    except KeyboardInterrupt:
        return fail(130, "interrupted")
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("OKRATE_DEBUG"):
            raise
        from okrate_tui.core.db import is_driver_error, note_damage, storage_message

        if is_driver_error(exc):  # the database failed under a read: say why, not "internal error"
            note_damage(exc)
            return fail(2, storage_message(exc, path=getattr(ctx._db, "sqlite_path", None)))
        return fail(1, f"internal error: {type(exc).__name__}: {exc} (OKRATE_DEBUG=1 shows more)")
    finally:
        ctx.close()


def refuse_in_server(args: argparse.Namespace) -> None:
    """Over SSH the key decides who acts and the server which database: refuse
    anything that asks otherwise, and the operator's own commands."""
    from okrate_tui.cli.context import UsageError
    from okrate_tui.core.server import OPERATOR_COMMANDS

    for flag, given in (("--as", args.as_handle), ("--db", args.db), ("--demo", args.demo)):
        if given:
            raise UsageError(f"{flag} is not accepted on this server: your SSH key decides who you are and where")
    if args.command in OPERATOR_COMMANDS:
        raise UsageError(f"'{args.command}' is for the server's operator, on the server itself")
    if args.command == "web":
        raise UsageError("'web' is refused on this server: it would serve your session to a network port")


if __name__ == "__main__":
    raise SystemExit(main())
