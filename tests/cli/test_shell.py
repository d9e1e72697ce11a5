"""Shell completion, ``okrate info``, ``--help`` and the fast ``--version``."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import okrate_tui
from okrate_tui.core.vocab import GOAL_STATUSES, TASK_STATUSES

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OKRATE_", "_ARGCOMPLETE", "COMP_"))}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "okrate_tui", *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=clean | {"OKRATE_TODAY": "2026-11-26"} | (env or {}), cwd=ROOT
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shell") / "demo.db"
    assert run("--db", str(path), "demo").returncode == 0
    return path


def complete(line: str, db: Path, tmp_path: Path, shell: str = "bash") -> list[str]:
    """Ask for completions the way the shell scripts do (argcomplete's protocol)."""
    out = tmp_path / "completions"
    env = {
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_SHELL": shell,
        "_ARGCOMPLETE_IFS": "\n",
        "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "OKRATE_DB": str(db),
        "OKRATE_AS": "maria",
    }
    result = run(env=env)
    assert result.returncode == 0, result.stderr
    return out.read_text().split("\n") if out.read_text() else []


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nospace"), ("zsh", "#compdef okrate okrate-tui"), ("fish", "complete --command okrate")],
)
def test_a_script_for_each_shell(shell: str, marker: str) -> None:
    result = run("completion", shell)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "okrate-tui" in result.stdout


def test_an_unknown_shell_is_refused() -> None:
    result = run("completion", "tcsh")
    assert result.returncode == 2
    assert "invalid choice: 'tcsh'" in result.stderr


def test_commands_and_options_complete(demo: Path, tmp_path: Path) -> None:
    assert complete("okrate ta", demo, tmp_path) == ["task"]
    assert complete("okrate task list --ow", demo, tmp_path) == ["--owner"]
    assert complete("okrate task move 3 d", demo, tmp_path) == list(s for s in TASK_STATUSES if s.startswith("d"))


def test_handles_complete_from_the_database_with_or_without_at(demo: Path, tmp_path: Path) -> None:
    assert complete("okrate task list --owner to", demo, tmp_path) == ["tomas"]
    assert complete("okrate task add x --goal 2 --owner @pr", demo, tmp_path) == ["@priya"]
    assert complete("okrate --as ma", demo, tmp_path) == ["maria"]
    assert complete("okrate report one-on-one --with j", demo, tmp_path) == ["jonas"]
    assert complete("okrate task list --owner @t", demo, tmp_path, shell="zsh") == ["@tomas:Tomás Silva"]


def test_cycles_and_goals_complete(demo: Path, tmp_path: Path) -> None:
    assert complete("okrate goal list --cycle 2026", demo, tmp_path) == ["2026\\ Q4", "2026\\ Q3"]
    goals = complete("okrate task add x --goal ", demo, tmp_path, shell="zsh")
    assert "2:Close 40 new mid-market accounts" in goals


def test_statuses_complete_for_tasks_and_goals(demo: Path, tmp_path: Path) -> None:
    assert complete("okrate task list --status ", demo, tmp_path) == list(TASK_STATUSES)
    assert complete("okrate goal edit 2 --status ", demo, tmp_path) == list(GOAL_STATUSES)


def test_completing_changes_nothing_and_needs_a_database(demo: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(demo.read_bytes()).hexdigest()
    complete("okrate task list --owner ", demo, tmp_path)
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before
    missing = tmp_path / "none.db"
    assert complete("okrate task list --owner m", missing, tmp_path) == []
    assert not missing.exists()


def _modules(code: str) -> set[str]:
    out = run(code=f"{code}\nimport sys\nprint('\\n'.join(sys.modules))")
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_normal_start_up_imports_no_completion_library() -> None:
    modules = _modules("from okrate_tui.cli.main import build_parser\nbuild_parser()")
    assert "okrate_tui.cli.completion" in modules
    assert not {m for m in modules if m.startswith("argcomplete")}


def test_version_answers_before_loading_the_commands_or_the_database() -> None:
    modules = _modules("from okrate_tui.cli.main import main\nassert main(['--version']) == 0")
    assert not {m for m in modules if m.startswith(("peewee", "okrate_tui.core", "okrate_tui.cli.context"))}
    assert run("--version").stdout == f"okrate {okrate_tui.__version__}\n"


def test_help_lists_the_environment_statuses_and_json() -> None:
    top = run("--help").stdout
    code = "\n".join(p.read_text() for p in Path(okrate_tui.__file__).parent.rglob("*.py"))
    named = set(re.findall(r"OKRATE_[A-Z_]*[A-Z]", code))
    assert named  # every variable the code reads is explained
    for variable in [*named, "NO_COLOR"]:
        assert re.search(rf"^  {variable} ", top, re.M), variable
    assert "examples:" in top and "--json prints" in top
    task = run("task", "--help").stdout
    assert f"--status is one of: {', '.join(TASK_STATUSES[:-1])} or {TASK_STATUSES[-1]}" in task
    assert "okrate task list --owner me" in task
    assert ", ".join(GOAL_STATUSES) in run("goal", "edit", "--help").stdout.replace("\n", " ").replace("  ", " ")


def test_info_names_where_things_are(demo: Path, tmp_path: Path) -> None:
    env = {"OKRATE_CONFIG": str(tmp_path / "my.toml"), "OKRATE_AS": "maria", "XDG_DATA_HOME": str(tmp_path / "data")}
    facts = json.loads(run("--db", str(demo), "info", "--json", env=env).stdout)
    assert facts["database"] == str(demo) and facts["backend"] == "sqlite"
    assert facts["config_file"] == str(tmp_path / "my.toml")
    assert facts["backups"] == str(demo.parent)
    assert facts["data_folder"] == str(tmp_path / "data" / "okrate")
    assert facts["schema_version"] == facts["schema_latest"] > 0
    assert (facts["mode"], facts["identity"], facts["acting"], facts["problem"]) == ("local", "personal", "maria", None)
    text = run("--db", str(demo), "info", env=env).stdout
    assert re.search(r"^acting\s+@maria \(personal database\)$", text, re.M)
    assert re.search(rf"^database\s+{re.escape(str(demo))}$", text, re.M)


def test_info_on_a_missing_database_says_so_and_makes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = run("--db", str(missing), "info", "--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["schema_version"] is None and facts["acting"] is None
    assert "there is no database" in facts["problem"]
    assert not missing.exists()


def test_no_completion_for_a_command_that_came_over_ssh(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "completions"
    env = {
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
        "COMP_LINE": "okrate task list --owner ",
        "COMP_POINT": "25",
        "SSH_ORIGINAL_COMMAND": "task list",
        "OKRATE_DB": str(demo),
    }
    result = run(env=env)
    assert not out.exists()
    assert result.returncode == 2
