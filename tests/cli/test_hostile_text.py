"""Hostile text through every way in and every way out, on SQLite and PostgreSQL.

Every declared input route (commands, importers, the access log, keys; the app's forms
are in tests/ui/test_hostile_app.py) gets the whole corpus: each string is refused with
one sentence and nothing is written, or (a bare CR in a note) stored harmlessly. Then
hostile strings are planted straight into the database, as an older version or sqlite3
could write them, and every command that prints is run: its output goes through a
terminal emulator that must show text and nothing else (no new title, no clipboard, no
cursor moves). Completeness tests walk the command table and the importers, so a route
added later that is not declared fails here."""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import pkgutil
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from peewee import CharField, TextField

import okrate_tui.core.imports as importers
from okrate_tui.cli import stored_text
from okrate_tui.cli.main import build_parser, main
from okrate_tui.core import exchange, identity
from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.inputs import routes
from okrate_tui.core.models import ALL_MODELS, DATA_MODELS, Access, Change, ServerSession, SshKey, Task, db
from okrate_tui.core.record_rules import TEXT_RULES
from okrate_tui.core.server import Limits
from okrate_tui.core.services import (
    access_log,
    cycles,
    goals,
    key_results,
    keys,
    milestones,
    people,
    reviews,
    sessions,
    tasks,
)
from okrate_tui.core.tables import is_empty
from okrate_tui.core.text import control_chars
from tests.hostile import HOSTILE, KEPT, PLANTED, SURROGATE, Terminal, refused_everywhere

# --- running a command --------------------------------------------------------------------


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OKRATE_DB", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    if "postgres" in db_url:  # a shared database: the login acts (here it is ada's)
        monkeypatch.setattr(identity, "os_user", lambda: "ada")
    else:
        monkeypatch.setenv("OKRATE_AS", "ada")
    return db_url


def run(*argv: str) -> SimpleNamespace:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argument errors
            code = exc.code if isinstance(exc.code, int) else 2
    return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())


def harmless(text: str) -> None:
    terminal = Terminal()
    terminal.feed(text)
    assert not terminal.problems(), terminal.problems()


def one_line_refusal(result: SimpleNamespace, what: str) -> None:
    assert result.code == 2, f"{what}: exit {result.code}: {result.err[-300:]}"
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("okrate: "), f"{what}: {result.err[:300]!r}"
    assert "internal error" not in result.err and "Traceback" not in result.err
    harmless(result.err)


def state(url: str) -> tuple:
    """Everything a write would change, in one query: rows per table and every version."""
    parts = [f"(SELECT COUNT(*) FROM {m._meta.table_name})" for m in DATA_MODELS]
    parts += [
        f"(SELECT COALESCE(SUM(version), 0) FROM {m._meta.table_name})"
        for m in DATA_MODELS
        if "version" in m._meta.fields
    ]
    if db.obj is None:
        open_db(url)
    return tuple(db.execute_sql(f"SELECT {', '.join(parts)}").fetchone())


# --- a small organisation ---------------------------------------------------------------


@pytest.fixture
def org(env: str) -> Iterator[SimpleNamespace]:
    open_db(env, create=True)
    ada = people.create_person(None, "ada", "Ada Admin")
    people.create_team(ada, "Core")
    people.create_person(ada, "max", "Max Manager", role="manager", team="Core", manager="ada")
    people.create_person(ada, "mia", "Mia Member", team="Core", manager="max")
    cycle = cycles.create_cycle(ada, "2026 Q4", "2026-10-01", "2026-12-31", state="active")
    goal = goals.create_goal(ada, "Grow revenue", owner="ada")
    kr = key_results.add_key_result(ada, goal.id, "Revenue", target=10)
    check_in = key_results.check_in(ada, kr.id, 3, note="fine")
    stone = milestones.add_milestone(ada, goal.id, "Pricing approved", due="2026-12-01")
    task = tasks.create_task(ada, "Call Acme", goal=goal.id, owner="mia", deadline="2026-12-01", milestone=stone.id)
    tasks.create_task(ada, "Send the offer", goal=goal.id, owner="ada", deadline="2026-11-20")
    yield SimpleNamespace(url=env, ada=ada, cycle=cycle, goal=goal, kr=kr, check_in=check_in, stone=stone, task=task)
    close_db()


# --- the command table: every free-text argument is stored (declared) or looked up ---------


def _leaves(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(words), parser
        return
    for name, sub in subs[0].choices.items():
        yield from _leaves(sub, (*words, name))


def _free_text(parser: argparse.ArgumentParser) -> list[str]:
    return [
        a.dest
        for a in parser._actions
        if isinstance(a, argparse._StoreAction) and a.type is None and not a.choices and a.dest != "help"
    ]


def test_every_free_text_argument_of_every_command_is_declared_stored_or_looked_up() -> None:
    undeclared = []
    for command, parser in _leaves(build_parser()):
        stored = stored_text.STORED.get(command, {})
        undeclared += [
            f"{command} {d}" for d in _free_text(parser) if d not in stored and d not in stored_text.LOOKED_UP
        ]
    assert not undeclared, f"declare these in okrate_tui/cli/stored_text.py: {undeclared}"
    commands = {c for c, _ in _leaves(build_parser())}
    assert set(stored_text.STORED) <= commands
    declared = {r.name for r in routes("command")}
    assert set(stored_text.STORED) | {"keys add"} == declared


def test_every_importer_is_a_declared_route() -> None:
    modules = {
        f"{importers.__name__}.{m.name}" for m in pkgutil.iter_modules(importers.__path__) if not m.name.startswith("_")
    }
    readers = set()
    for name in modules:
        module = __import__(name, fromlist=["read"])
        if callable(getattr(module, "read", None)):
            readers.add(name)
    declared = {r.module: r.name for r in routes("import")}
    assert readers and readers <= set(declared), f"undeclared importers: {readers - set(declared)}"
    assert declared[exchange.__name__] == "json"
    import okrate_tui.cli.imports as cli_imports

    kinds = set(re.findall(r'"(json|[a-z-]+)"', Path(cli_imports.__file__).read_text().split("def kind_of")[1]))
    kinds &= {"json", "taskwarrior", "okrate-csv", "csv"}
    assert kinds == set(declared.values())


def test_every_text_column_of_every_table_has_its_rule() -> None:
    for model in DATA_MODELS:
        table = model._meta.table_name
        for name, field in model._meta.fields.items():
            if isinstance(field, CharField | TextField):
                assert name in TEXT_RULES.get(table, {}), f"{table}.{name} has no rule in core/record_rules.py"


def test_every_declared_column_exists() -> None:
    known = {f"{m._meta.table_name}.{n}" for m in ALL_MODELS for n in m._meta.fields}
    for route in routes():
        assert set(route.fields) <= known, route


# --- the commands: every stored argument, every hostile string ------------------------------

MULTILINE = {"objective", "context", "description", "note"}


def _argv(command: str, dest: str, text: str, o: SimpleNamespace) -> list[str]:
    base = {
        "task add": ["task", "add", "A task", "--goal", str(o.goal.id)],
        "task edit": ["task", "edit", str(o.task.id)],
        "goal add": ["goal", "add", "A goal"],
        "goal edit": ["goal", "edit", str(o.goal.id)],
        "kr add": ["kr", "add", str(o.goal.id), "A key result", "--target", "5"],
        "kr edit": ["kr", "edit", str(o.kr.id)],
        "kr checkin": ["kr", "checkin", str(o.kr.id), "4"],
        "kr correct": ["kr", "correct", str(o.check_in.id)],
        "milestone add": ["milestone", "add", str(o.goal.id), "A milestone"],
        "milestone edit": ["milestone", "edit", str(o.stone.id)],
        "person add": ["person", "add", "newbie", "New Person"],
        "person edit": ["person", "edit", "mia"],
        "team add": ["team", "add", "Other"],
        "team rename": ["team", "rename", "Core", "Centre"],
        "cycle add": ["cycle", "add", "2027 Q1", "2027-01-01", "2027-03-31"],
    }[command]
    positional = {
        ("task add", "title"): 2,
        ("goal add", "title"): 2,
        ("kr add", "title"): 3,
        ("milestone add", "title"): 3,
        ("person add", "handle"): 2,
        ("person add", "name"): 3,
        ("team add", "name"): 2,
        ("team rename", "name"): 3,
        ("cycle add", "name"): 2,
    }.get((command, dest))
    if positional is not None:
        return [*base[:positional], text, *base[positional + 1 :]]
    return [*base, f"--{dest}", text]


COMMANDS = [(c, d) for c, args in stored_text.STORED.items() if c != "server init" for d in args]


@pytest.mark.parametrize(("command", "dest"), COMMANDS, ids=[f"{c} {d}" for c, d in COMMANDS])
def test_commands_refuse_hostile_text_and_write_nothing(org: SimpleNamespace, command: str, dest: str) -> None:
    multiline = dest in MULTILINE
    for name, text in [*HOSTILE.items(), ("surrogate", SURROGATE)]:
        before = state(org.url)
        result = run(*_argv(command, dest, text, org))
        if refused_everywhere(name, multiline):
            one_line_refusal(result, f"{command} --{dest} {name}")
            assert state(org.url) == before, f"{command} --{dest} {name} wrote something"
        else:
            assert result.code == 0, result.err
            harmless(result.out)
    before = state(org.url)
    plain = run(*_argv(command, dest, "plain" if dest == "handle" else "Plain words", org))
    assert plain.code == 0 and state(org.url) != before, f"the same command with plain text: {plain.err}"
    open_db(org.url)
    for text, *_ in Change.select(Change.new).tuples():
        assert not control_chars(text or "", "\n\t")


@pytest.mark.parametrize("command", ["task add", "goal add", "team add", "person add"])
def test_commands_keep_emoji_persian_and_cjk_as_typed(org: SimpleNamespace, command: str) -> None:
    dest = "name" if command in ("team add", "person add") else "title"
    for n, (name, text) in enumerate(KEPT.items()):
        argv = _argv(command, dest, text, org)
        if command == "person add":
            argv[2] = f"kept{n}"
        result = run(*argv)
        assert result.code == 0, f"{name}: {result.err}"
        shown = run("person", "list").out if command == "person add" else result.out
        assert text in shown, f"{name} was not printed as typed: {shown!r}"


def test_the_server_init_names_go_through_the_people_service(org: SimpleNamespace) -> None:
    """``server init --admin --name`` makes its admin with the person service (no sshd here)."""
    for name, text in HOSTILE.items():
        before = state(org.url)
        with pytest.raises(ValidationError):
            people.create_person(org.ada, "fresh", text)
        with pytest.raises(ValidationError):
            people.create_person(org.ada, text, "Fresh Person")
        assert state(org.url) == before, name


def _public_key(comment: str) -> str:
    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    blob = base64.b64encode(string(b"ssh-ed25519") + string(bytes(range(32)))).decode()
    return f"ssh-ed25519 {blob} {comment}"


def test_a_key_comment_is_held_to_the_same_rule(org: SimpleNamespace) -> None:
    for name, text in HOSTILE.items():
        if "\r" in text or "\x00" in text:
            continue  # a key is one line: those end or cut it before its comment is read
        before = state(org.url)
        with pytest.raises(ValidationError):
            keys.add_key(org.ada, "mia", _public_key(text))
        assert state(org.url) == before, name
    key = keys.add_key(org.ada, "mia", _public_key(KEPT["emoji with joiners"]))
    assert SshKey.get_by_id(key.id).comment == KEPT["emoji with joiners"]


# --- the importers ------------------------------------------------------------------------


def _import(tmp_path: Path, content: str, *options: str, suffix: str = ".json") -> SimpleNamespace:
    path = tmp_path / f"in{suffix}"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return run("import", str(path), *options)


def _export(org: SimpleNamespace) -> dict:
    open_db(org.url)
    return exchange.export_data(org.ada)


def _empty(url: str) -> None:
    close_db()
    open_db(url)
    for model in reversed(DATA_MODELS):
        model.delete().execute()
    close_db()


def test_the_organisation_import_refuses_hostile_text_in_every_column(org: SimpleNamespace, tmp_path: Path) -> None:
    reviews.start_one_on_one(org.ada, "max")
    sample = _export(org)
    _empty(org.url)
    open_db(org.url)
    assert is_empty()
    for name, text in [*HOSTILE.items(), ("surrogate", SURROGATE)]:
        payload = json.loads(json.dumps(sample))
        payload["tables"]["task"][0]["title"] = text
        result = _import(tmp_path, json.dumps(payload))
        one_line_refusal(result, f"json task.title {name}")
        open_db(org.url)
        assert is_empty(), f"{name}: the import wrote something"
    for table, columns in TEXT_RULES.items():
        rows = sample["tables"].get(table)
        if not rows:
            continue
        for column in columns:
            if table == "access":
                continue  # kept as the log keeps it: see the next test
            payload = json.loads(json.dumps(sample))
            payload["tables"][table][0][column] = HOSTILE["OSC 0 title"]
            result = _import(tmp_path, json.dumps(payload))
            one_line_refusal(result, f"json {table}.{column}")
            assert f"{table} row 1, {column}" in result.err
            open_db(org.url)
            assert is_empty()
    payload = json.loads(json.dumps(sample))
    payload["tables"]["task"][0]["title"] = "x" * 100_000
    assert "at most 200" in _import(tmp_path, json.dumps(payload)).err
    payload = json.loads(json.dumps(sample))
    payload["tables"]["task"][0]["title"] = KEPT["emoji with joiners"] + " " + KEPT["Persian with ZWNJ"]
    assert _import(tmp_path, json.dumps(payload)).code == 0
    open_db(org.url)
    assert Task.get_by_id(sample["tables"]["task"][0]["id"]).title.startswith("👩\u200d💻")


def test_an_imported_access_log_is_kept_as_the_log_keeps_it(org: SimpleNamespace, tmp_path: Path) -> None:
    """A log cannot refuse what happened: what a connection sent comes in shown as text."""
    access_log.record(None, None, org.ada.id, "127.0.0.1:5000", "task list")
    sample = _export(org)
    _empty(org.url)
    sample["tables"]["access"][0]["what"] = HOSTILE["OSC 52 clipboard"]
    sample["tables"]["access"][0]["outcome"] = HOSTILE["CR and erase line"]
    assert _import(tmp_path, json.dumps(sample)).code == 0
    open_db(org.url)
    entry = Access.get()
    assert entry.what == "copy U+001B]52;c;Y3VybCBldmlsLnNoIHwgc2g=U+0007"
    assert entry.outcome.startswith("fineU+000DU+001B[2K@ada")


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("task", "id"), 99999999999999999999999),
        (("task", "goal"), 2**63),
        (("task", "version"), 2**31),
        (("goal", "weight"), "heavy"),
        (("task", "status"), "bogus"),
        (("person", "active"), "no"),
        (("task", "deadline"), 20261201),
    ],
)
def test_the_organisation_import_refuses_values_no_database_holds(
    org: SimpleNamespace, tmp_path: Path, where: tuple[str, str], value: object
) -> None:
    sample = _export(org)
    _empty(org.url)
    table, column = where
    sample["tables"][table][0][column] = value
    one_line_refusal(_import(tmp_path, json.dumps(sample)), f"{table}.{column} = {value!r}")
    open_db(org.url)
    assert is_empty()


def test_json_nested_100000_deep_is_one_line(org: SimpleNamespace, tmp_path: Path) -> None:
    before = state(org.url)
    deep = "[" * 100_000 + "]" * 100_000
    one_line_refusal(_import(tmp_path, deep), "taskwarrior nested")
    one_line_refusal(_import(tmp_path, '{"format": "okrate-export", "tables": ' + deep + "}"), "json nested")
    one_line_refusal(_import(tmp_path, deep, "--from", "okrate"), "okrate nested")
    assert state(org.url) == before


def test_a_csv_field_over_128_kb_is_one_line(org: SimpleNamespace, tmp_path: Path) -> None:
    before = state(org.url)
    huge = "y" * 200_000
    result = _import(tmp_path, f"title,goal_id\n{huge},{org.goal.id}\n", suffix=".csv")
    one_line_refusal(result, "okrate csv 200 KB")
    assert "131,072" in result.err
    result = _import(tmp_path, f'Summary,Notes\nok,"{huge}"\n', "--goal", str(org.goal.id), suffix=".csv")
    one_line_refusal(result, "csv 200 KB")
    assert state(org.url) == before


def _task_files(text: str, goal: int) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    quoted = '"' + text.replace('"', '""') + '"'
    return {
        "taskwarrior": (
            json.dumps([{"uuid": "0a1b2c3d-0000-4000-8000-000000000001", "description": text, "status": "pending"}]),
            ".json",
            ("--goal", str(goal)),
        ),
        "okrate-csv": (f"title,goal_id,objective\nPlain,{goal},{quoted}\n{quoted},{goal},\n", ".csv", ()),
        "csv": (f"Summary,Description\n{quoted},x\nPlain,{quoted}\n", ".csv", ("--goal", str(goal))),
    }


@pytest.mark.parametrize("kind", ["taskwarrior", "okrate-csv", "csv"])
def test_task_importers_refuse_hostile_text_and_write_nothing(org: SimpleNamespace, tmp_path: Path, kind: str) -> None:
    for name, text in HOSTILE.items():
        before = state(org.url)
        content, suffix, options = _task_files(text, org.goal.id)[kind]
        result = _import(tmp_path, content, *options, suffix=suffix)
        assert result.code == 2, f"{kind} {name}: {result.code} {result.out} {result.err}"
        assert "internal error" not in result.err and "Traceback" not in result.err
        harmless(result.err + result.out)
        assert state(org.url) == before, f"{kind} {name} wrote something"


def test_ids_beyond_any_database_are_one_line_everywhere(org: SimpleNamespace, tmp_path: Path) -> None:
    huge = "99999999999999999999999"
    before = state(org.url)
    for argv in (
        ("task", "add", "x", "--goal", huge),
        ("task", "show", huge),
        ("task", "show", str(2**63)),
        ("task", "show", "3000000000"),
        ("task", "edit", huge, "--title", "y"),
        ("task", "edit", str(org.task.id), "--title", "y", "--if-version", huge),
        ("task", "move", str(org.task.id), "doing", "--if-version", str(2**63)),
        ("goal", "show", huge),
        ("kr", "show", huge),
        ("milestone", "edit", huge, "--title", "y"),
        ("task", "list", "--goal", huge),
        ("task", "list", "--cycle", huge),
        ("team", "rename", huge, "New"),
        ("report", "cycle", huge),
    ):
        one_line_refusal(run(*argv), " ".join(argv))
    for content in (
        f"id,title,goal_id,version\n{huge},x,{org.goal.id},1\n",
        f"id,title,goal_id,version\n{org.task.id},x,{org.goal.id},{huge}\n",
        f"title,goal_id,milestone_id\nx,{huge},\ny,{org.goal.id},{huge}\n",
    ):
        (tmp_path / "ids.csv").write_text(content)
        result = run("import", str(tmp_path / "ids.csv"))  # a refused import lists its rows under one line
        assert result.code == 2 and "internal error" not in result.err, result.err
        assert "row 2" in result.err
        harmless(result.err)
    assert state(org.url) == before


# --- the access log -------------------------------------------------------------------------


def test_the_access_log_keeps_what_a_member_sent_harmless(org: SimpleNamespace) -> None:
    for name, text in [*PLANTED.items(), ("surrogate", SURROGATE)]:
        entry = access_log.record(None, None, org.ada.id, text, text, f"refused: {text}")
        access_log.finish(None, entry, f"exit 2 {text}")
        stored = Access.get_by_id(entry)
        for value in (stored.remote, stored.what, stored.outcome):
            assert not control_chars(value), f"{name}: {value!r}"
    audit = run("audit", "--limit", "100")
    assert audit.code == 0, audit.err
    harmless(audit.out)
    assert "U+001B]52;c;" in audit.out and "U+001B]0;pwned" in audit.out
    assert len(audit.out.splitlines()) == len(PLANTED) + 2  # the header and one row each, nothing forged


def test_a_session_keeps_what_a_member_sent_harmless(org: SimpleNamespace) -> None:
    opened = [
        sessions.open_session(org.ada.id, None, text, text, Limits(sessions_per_person=100))
        for text in [*PLANTED.values(), SURROGATE]
    ]
    for ident in opened:
        row = ServerSession.get_by_id(ident)
        assert not control_chars(row.what) and not control_chars(row.remote), row.what
    listed = run("sessions")
    assert listed.code == 0, listed.err
    harmless(listed.out)
    assert "U+001B]52;c;" in listed.out
    assert len(listed.out.splitlines()) == len(opened) + 1
    ended = run("sessions", "end", str(opened[6]))
    assert ended.code == 0, ended.err
    harmless(ended.out)


# --- every command that prints, on hostile text planted in the database ---------------------


def plant(url: str) -> None:
    """Hostile strings in every text column, written as sqlite3 or an older version could."""
    open_db(url)
    pg = "postgres" in url
    strings = [s.replace("\x00", "\x01") if pg else s for s in PLANTED.values()]
    with db.atomic():
        for model in DATA_MODELS:
            table = model._meta.table_name
            columns = [
                n
                for n, check in TEXT_RULES.get(table, {}).items()
                if n not in ("handle", "role", "state", "level", "status", "kind", "direction", "priority", "key")
                and not (table == "change" and n in ("op", "entity", "field"))
                and not (table == "ssh_key" and n != "comment")
            ]
            if not columns:
                continue
            for i, (ident,) in enumerate(model.select(model._meta.primary_key).tuples()):
                values = {n: strings[(i + j) % len(strings)] for j, n in enumerate(columns)}
                model.update(values).where(model._meta.primary_key == ident).execute()
    close_db()


def _outputs(o: SimpleNamespace) -> list[tuple[str, ...]]:
    t, g, k, m, c = (str(x) for x in (o.task.id, o.goal.id, o.kr.id, o.stone.id, o.cycle.id))
    return [
        ("task", "list"),
        ("task", "list", "--json"),
        ("task", "list", "--cycle", "all", "--overdue"),
        ("task", "show", t),
        ("task", "show", t, "--history"),
        ("task", "show", t, "--json", "--history"),
        ("task", "next", "--owner", "mia"),
        ("task", "next", "--owner", "mia", "--json"),
        ("goal", "list"),
        ("goal", "list", "--json"),
        ("goal", "show", g),
        ("goal", "show", g, "--json"),
        ("kr", "show", k),
        ("kr", "show", k, "--json"),
        ("kr", "history", k),
        ("milestone", "list"),
        ("person", "list"),
        ("person", "list", "--json"),
        ("team", "list"),
        ("cycle", "list"),
        ("report", "cycle", c),
        ("report", "cycle", c, "--format", "json"),
        ("report", "one-on-one", "--with", "max"),
        ("export",),
        ("export", "--format", "csv"),
        ("export", "--format", "ics"),
        ("agenda", "--within", "60d"),
        ("agenda", "--json"),
        ("audit",),
        ("audit", "--json"),
        ("keys", "list"),
        ("whoami",),
        ("info",),
        ("sessions", "list"),
        ("sessions", "end", "--person", "max"),
        ("task", "move", t, "doing"),
        ("milestone", "done", m),
        ("goal", "archive", g),
        ("task", "rm", t),
        ("team", "rename", "1", "Renamed"),
        ("cycle", "advance", c),
        ("task", "show", "999", "--history"),
    ]


# Commands that neither store text nor print stored text beyond what the above cover.
NO_STORED_TEXT = {
    "demo",
    "import",
    "backup",
    "migrate",
    "check",
    "server status",
    "ssh-entry",
    "completion",
    "web",
    "keys revoke",
    "kr archive",
    "kr restore",
    "milestone move",
    "milestone rm",
    "goal move",
    "cycle close",
    "cycle reopen",
    "server limits",  # the operator's: numbers in server.toml
}


def _command_of(argv: tuple[str, ...]) -> str:
    """The command words an argument list runs (``task show 3 --json`` → ``task show``)."""
    parser: argparse.ArgumentParser = build_parser()
    words: list[str] = []
    for word in argv:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or word not in subs[0].choices:
            break
        words.append(word)
        parser = subs[0].choices[word]
    return " ".join(words)


def test_every_command_is_an_input_route_an_output_route_or_neither() -> None:
    record = SimpleNamespace(id=1)
    ids = SimpleNamespace(task=record, goal=record, kr=record, stone=record, cycle=record)
    printing = {_command_of(argv) for argv in _outputs(ids)}
    commands = {c for c, _ in _leaves(build_parser())}
    left = commands - set(stored_text.STORED) - printing - NO_STORED_TEXT - {"keys add"}
    assert not left, f"run these on planted text in _outputs, or say why they print none: {sorted(left)}"


def test_every_command_prints_planted_hostile_text_harmlessly(org: SimpleNamespace) -> None:
    reviews.start_one_on_one(org.ada, "max")
    access_log.record(None, None, org.ada.id, "203.0.113.5", "task list", "")
    plant(org.url)
    for argv in _outputs(org):
        result = run(*argv)
        assert result.code in (0, 2), f"{argv}: {result.code} {result.err}"
        assert "internal error" not in result.err, argv
        terminal = Terminal()
        terminal.feed(result.out + result.err)
        assert not terminal.problems(), f"{' '.join(argv)}: {terminal.problems()}"
        if argv[-1] == "--json" or (len(argv) > 2 and argv[-2] == "--format" and argv[-1] == "json"):
            json.loads(result.out)  # still JSON, with the same data
        elif argv == ("export",):
            assert json.loads(result.out)["tables"]["task"]
    shown = run("task", "list", "--cycle", "all").out
    assert "U+0007" in shown


def test_a_refused_organisation_import_makes_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKRATE_AS", "ada")
    source = tmp_path / "source.db"
    open_db(str(source), create=True)
    ada = people.create_person(None, "ada", "Ada Admin")
    cycles.create_cycle(ada, "2026 Q4", "2026-10-01", "2026-12-31", state="active")
    goals.create_goal(ada, "Grow revenue", owner="ada")
    sample = exchange.export_data(ada)
    close_db()
    sample["tables"]["goal"][0]["title"] = HOSTILE["CSI clear screen"]
    (tmp_path / "org.json").write_text(json.dumps(sample))
    target = tmp_path / "new.db"
    one_line_refusal(run("--db", str(target), "import", str(tmp_path / "org.json")), "import into a new file")
    assert not target.exists()


def test_a_key_id_beyond_any_database_proves_nobody(org: SimpleNamespace) -> None:
    from okrate_tui.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        keys.key_owner(2**63)
    entry = access_log.record(None, 2**63, None, "127.0.0.1:1", "app", "refused: unknown key")
    assert Access.get_by_id(entry).key_ref is None
