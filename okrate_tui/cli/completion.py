"""``okrate completion bash|zsh|fish``: a shell completion script, and the answers it asks for.

The shell runs ``okrate`` with ``_ARGCOMPLETE`` set; :func:`complete` then answers from the
parser and, for handles, cycles and goals, from the database, read-only. argcomplete is
imported only then, or to print the script.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable

from okrate_tui.cli.context import Context
from okrate_tui.core.text import control_chars, one_line

SHELLS = ("bash", "zsh", "fish")
EXECUTABLES = ("okrate", "okrate-tui")

HANDLE_OPTIONS = frozenset({"--owner", "--as", "--person", "--with", "--manager"})
CYCLE_OPTIONS = frozenset({"--cycle"})
GOAL_OPTIONS = frozenset({"--goal", "--parent"})
FILE_ARGUMENTS = frozenset({"db", "out", "file", "dest", "keyfile", "key"})  # the rest is free text


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a script that completes okrate's commands, options, handles, cycles and goals.",
        epilog="install:\n"
        "  bash  okrate completion bash > ~/.local/share/bash-completion/completions/okrate\n"
        "  zsh   okrate completion zsh > ~/.zfunc/_okrate   (with fpath+=(~/.zfunc) before compinit)\n"
        "  fish  okrate completion fish > ~/.config/fish/completions/okrate.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("shell", choices=SHELLS)
    parser.set_defaults(func=cmd_completion)


def cmd_completion(ctx: Context, args: argparse.Namespace) -> int:
    print(script(args.shell), end="")
    return 0


def script(shell: str) -> str:
    """The completion script for ``shell``, covering both names of the command."""
    import argcomplete

    return argcomplete.shellcode(list(EXECUTABLES), shell=shell)


class _Names:
    """Completes from the database named on the line being completed (or the usual one)."""

    def __init__(self, read: Callable[[], Iterable[tuple[object, str]]], at: bool = False) -> None:
        self.read = read
        self.at = at

    def __call__(self, prefix: str, parsed_args: argparse.Namespace, **_: object) -> dict[str, str]:
        try:
            found = _read(parsed_args, self.read)
        except Exception:  # a completion never prints an error into the command line
            return {}
        marker = "@" if self.at and prefix.startswith("@") else ""
        return {  # a name that hides characters is never typed in; a title is shown harmlessly
            f"{marker}{value}": one_line(str(shown)) for value, shown in found if not control_chars(str(value))
        }


def _read(parsed_args: argparse.Namespace, read: Callable[[], Iterable[tuple[object, str]]]) -> list:
    from okrate_tui.core.db import forbid_writes

    db = getattr(parsed_args, "db", None)
    as_handle = getattr(parsed_args, "as_handle", None)
    if getattr(parsed_args, "demo", False) and db is None:
        from okrate_tui.core.db import demo_path

        db = str(demo_path())
    ctx = Context.from_args(db, as_handle)
    try:
        forbid_writes(ctx.db(upgrade=False))
        return list(read())
    finally:
        ctx.close()


def _handles() -> list[tuple[str, str]]:
    from okrate_tui.core.queries.names import handles

    return handles()


def _cycles() -> list[tuple[str, str]]:
    from okrate_tui.core.queries.names import cycle_names

    return cycle_names()


def _goals() -> list[tuple[int, str]]:
    from okrate_tui.core.queries.names import goal_titles

    return goal_titles()


def attach(parser: argparse.ArgumentParser, files: object = None) -> None:
    """Give the options that name a person, cycle, goal or file their completers, on every command."""
    if files is None:
        from argcomplete.completers import FilesCompleter

        files = FilesCompleter()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                attach(sub, files)
            continue
        options = set(action.option_strings)
        positional = "" if options else action.dest
        completer: object = None
        if options & HANDLE_OPTIONS:
            completer = _Names(_handles, at=True)
        elif options & CYCLE_OPTIONS or positional == "cycle":
            completer = _Names(_cycles)
        elif options & GOAL_OPTIONS or positional == "goal" or (positional == "id" and " goal " in parser.prog):
            completer = _Names(_goals)
        elif positional == "handle" and not parser.prog.endswith("person add"):
            completer = _Names(_handles)
        elif action.dest == "status" and parser.prog.startswith(("okrate task", "okrate goal")):
            from okrate_tui.core.vocab import GOAL_STATUSES, TASK_STATUSES

            completer = _fixed(TASK_STATUSES if parser.prog.startswith("okrate task") else GOAL_STATUSES)
        elif action.dest in FILE_ARGUMENTS:
            completer = files
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]  # argcomplete's own attribute


def _fixed(values: Iterable[str]) -> Callable[..., Iterable[str]]:
    """A completer that offers the same words whatever was typed."""
    return lambda prefix, **_: values


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit (does nothing without ``_ARGCOMPLETE``)."""
    import argcomplete

    attach(parser)
    argcomplete.autocomplete(
        parser, always_complete_options="long", exit_method=os._exit, default_completer=argcomplete.SuppressCompleter()
    )
