"""What ``--help`` adds under the options: examples, the environment, what ``--json`` prints."""

from __future__ import annotations

import argparse

from okrate_tui.core.vocab import GOAL_STATUSES, TASK_STATUSES


def either(values: tuple[str, ...] | list[str]) -> str:
    """'todo, doing, blocked or done'."""
    return f"{', '.join(values[:-1])} or {values[-1]}" if len(values) > 1 else "".join(values)


TASK_STATUS_HELP = f"{either(TASK_STATUSES)}"
GOAL_STATUS_HELP = f"{', '.join(GOAL_STATUSES)}, or '' to follow pace"

ENVIRONMENT = """\
environment:
  OKRATE_DB       the database when --db is not given (a file path, sqlite:///FILE or postgresql://…)
  OKRATE_AS       who acts when --as is not given (on your own database)
  OKRATE_CONFIG   the app's settings file (default: config.toml in your config folder; see 'okrate info')
  OKRATE_TODAY    pin today's date, YYYY-MM-DD (demos and tests)
  OKRATE_DEBUG    1: show the traceback of an internal error
  OKRATE_RAW_OUTPUT  1: write every frame whole, as the toolkit draws it (normally only the cells that change)
  NO_COLOR        set: the app draws without colour"""

JSON = """\
--json prints the same facts as the table, as UTF-8 JSON on standard output: an array of
objects for list commands, one object for show/add/edit; ids, dates (YYYY-MM-DD) and field
names are stable for scripts. Errors stay one line on standard error (exit 2 for bad input)."""


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


EPILOGS = {
    "": "\n\n".join(
        (
            _examples(
                "okrate                                   open the app",
                "okrate --demo                            open the demo organisation",
                "okrate task list --owner me              your tasks in this cycle",
                "okrate task add 'Call Acme' --goal 2 --owner @maria --deadline fri",
                "okrate goal list --json | jq '.goals[].title'",
                "okrate info                              where the database, settings and backups are",
                "okrate completion bash                   a completion script for your shell",
            ),
            ENVIRONMENT,
            JSON,
        )
    ),
    "task": "\n\n".join(
        (
            _examples(
                "okrate task list --owner me --status doing",
                "okrate task list --goal 2 --cycle all --json",
                "okrate task add 'Draft the pricing page' --goal 2 --priority high --deadline 2026-12-01",
                "okrate task move 14 done",
                "okrate task edit 14 --owner none --if-version 3",
            ),
            f"--status is one of: {TASK_STATUS_HELP}",
            JSON,
        )
    ),
    "goal": "\n\n".join(
        (
            _examples(
                "okrate goal list --cycle '2026 Q4'",
                "okrate goal show 2",
                "okrate goal add 'Open a Lisbon office' --parent 1 --owner @maria --due 2026-12-31",
                "okrate goal edit 2 --status at_risk",
                "okrate goal move 5 top",
            ),
            f"goal edit --status is one of: {GOAL_STATUS_HELP}",
            JSON,
        )
    ),
    "kr": "\n\n".join(
        (
            _examples(
                "okrate kr add 2 'Weekly active teams' --target 400 --baseline 120",
                "okrate kr checkin 7 215 --confidence 70% --note 'Two launches moved'",
                "okrate kr history 7 --json",
                "okrate kr correct 31 --value 210",
            ),
            JSON,
        )
    ),
    "milestone": "\n\n".join(
        (
            _examples(
                "okrate milestone list --goal 2",
                "okrate milestone add 2 'Beta with five customers' --due 2026-12-10",
                "okrate milestone done 4",
                "okrate milestone move 4 --to 1",
            ),
            JSON,
        )
    ),
    "cycle": _examples(
        "okrate cycle list",
        "okrate cycle add '2027 Q1' 2027-01-01 2027-03-31",
        "okrate cycle advance '2026 Q4'",
        "okrate cycle close '2026 Q4' --carry move --move-deadlines",
    ),
    "person": _examples(
        "okrate person list",
        "okrate person add nora 'Nora Lind' --team Sales --manager omar",
        "okrate person edit nora --active no",
    ),
    "report": _examples(
        "okrate report cycle '2026 Q4' > packet.md",
        "okrate report cycle '2026 Q4' --person jonas --format json",
        "okrate report one-on-one --with jonas --out notes.md",
    ),
}


def add_epilogs(parser: argparse.ArgumentParser) -> None:
    """Give the top level and the main commands their examples, keeping their line breaks."""
    for name, sub in [("", parser), *_commands(parser)]:
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        if name in EPILOGS:
            sub.epilog = EPILOGS[name]


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices.items())
    return []
