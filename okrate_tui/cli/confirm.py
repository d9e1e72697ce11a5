"""Asking before something is removed: ``--yes`` answers for scripts; on a terminal the
command asks; with no terminal and no ``--yes`` it refuses (exit 2, nothing changed)."""

from __future__ import annotations

import sys

from okrate_tui.cli.context import UsageError


def interactive() -> bool:
    """Can a person answer here (standard input and output are a terminal)?"""
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm(question: str, *, yes: bool, command: str) -> bool:
    """True when ``--yes`` was given or the person types y; False when they decline."""
    if yes:
        return True
    if not interactive():
        raise UsageError(f"{command} asks before it deletes and there is no terminal to ask on: pass --yes")
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
