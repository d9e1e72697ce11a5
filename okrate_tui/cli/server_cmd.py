"""``okrate server init|status`` and ``okrate ssh-entry``: a team server over SSH.

One service account owns the data; people connect as that account with their own SSH
key; ``authorized_keys`` runs ``okrate ssh-entry KEY_ID`` for each key, and that id
decides who acts. What the client asked for arrives in ``SSH_ORIGINAL_COMMAND`` and is
only a request: it is split like a shell would, never handed to one.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from okrate_tui.cli.context import Context, UsageError
from okrate_tui.core import server
from okrate_tui.core.db import open_db, resolve
from okrate_tui.core.errors import EmptyDatabase, OkrateError, PermissionDenied, StorageError
from okrate_tui.core.files import private_dir, tighten

DEFAULT_ACCOUNT = "okrate"
DEFAULT_HOME = "/var/lib/okrate"


def register(commands: argparse._SubParsersAction, run: Callable[..., int]) -> None:
    """The server commands; ``run`` runs one command line (what a key's session asks for)."""
    srv = commands.add_parser("server", help="set up and check a team server over SSH (the operator's)")
    sub = srv.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = sub.add_parser(
        "init",
        help="make this machine a team server (as root, or as the service account); safe to run again",
        description="Set up a team server: a service account that alone owns the data, a private data "
        "folder and database, and SSH keys that decide who people are. Example: "
        "sudo okrate server init --admin maria --name 'Maria Rossi' --key /home/maria/.ssh/id_ed25519.pub",
    )
    init.add_argument("--account", help=f"the service account (default: {DEFAULT_ACCOUNT}, made when missing)")
    init.add_argument("--home", help=f"its home folder when it is made (default: {DEFAULT_HOME})")
    init.add_argument(
        "--database",
        metavar="URL",
        help="a PostgreSQL URL without password (it goes in ~/.pgpass or is asked for); default: a SQLite file",
    )
    init.add_argument("--admin", metavar="HANDLE", help="the first admin (made on an empty database)")
    init.add_argument("--name", help="the first admin's name")
    init.add_argument("--key", metavar="FILE", help="the first admin's public key (.pub file, or - for stdin)")
    init.set_defaults(func=cmd_init)
    status = sub.add_parser("status", help="the server's settings, files, modes, keys, limits and sessions")
    status.set_defaults(func=cmd_status)
    limits = sub.add_parser(
        "limits",
        help="show or change what one person and the server may hold open, and the largest terminal drawn",
        description="The server's limits (in its server.toml): sessions one person may have open (counted "
        "on every server sharing the database), sessions this machine takes, and the largest terminal the "
        "app draws (a larger one is drawn at this size). A login beyond a limit is refused with a sentence. "
        "Example: okrate server limits --per-person 3 --columns 300",
    )
    limits.add_argument("--per-person", type=_whole, metavar="N", help="open sessions per person (default 5)")
    limits.add_argument("--per-server", type=_whole, metavar="N", help="open sessions on this server (default 100)")
    limits.add_argument("--columns", type=_whole, metavar="N", help="widest terminal drawn (default 500)")
    limits.add_argument("--rows", type=_whole, metavar="N", help="tallest terminal drawn (default 200)")
    limits.set_defaults(func=cmd_limits)

    entry = commands.add_parser("ssh-entry", help="what authorized_keys runs for each key (not for people)")
    entry.add_argument("key_id", help="the id of the key the connection proved")
    entry.set_defaults(func=cmd_ssh_entry, run=run)


# --- init -----------------------------------------------------------------------------


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    if args.database and resolve(args.database).has_password:
        raise UsageError(
            "leave the password out of the URL (a command line is visible to every user in ps): put it in "
            "~/.pgpass of the service account (host:port:database:user:password, mode 0600) or type it when asked"
        )
    if os.geteuid() == 0:
        return _init_as_root(args)
    return _init_as_account(ctx, args)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise StorageError(f"{command[0]} failed: {(done.stderr or done.stdout).strip()[:300]}")


def _init_as_root(args: argparse.Namespace) -> int:
    account = args.account or DEFAULT_ACCOUNT
    try:
        entry = pwd.getpwnam(account)
        print(f"service account: {account} exists (home {entry.pw_dir})")
    except KeyError:
        home = args.home or DEFAULT_HOME
        _run(
            [
                "useradd",
                "--system",
                "--user-group",
                "--create-home",
                "--home-dir",
                home,
                "--shell",
                "/bin/sh",
                "--comment",
                "Okrate team server",
                account,
            ]
        )
        _run(["usermod", "-p", "*", account])  # no password, yet not locked: keys work
        entry = pwd.getpwnam(account)
        print(f"service account: made {account} (home {home}, no password: SSH keys only)")
    home = Path(entry.pw_dir)
    if not home.is_dir():
        home.mkdir(mode=0o700, parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    key_text = _read_key_as_root(args.key)
    command = shlex.split(server.okrate_command(sys.executable))
    forwarded = ["server", "init", "--account", account]
    for flag in ("database", "admin", "name"):
        if getattr(args, flag):
            forwarded += [f"--{flag}", getattr(args, flag)]
    if key_text is not None:
        forwarded += ["--key", "-"]
    env = {
        "HOME": str(home),
        "USER": account,
        "LOGNAME": account,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    done = subprocess.run(
        [runuser, "-u", account, "--", *command, *forwarded],
        input=key_text,
        text=True,
        env=env,
        stderr=subprocess.PIPE,
    )
    problem = done.stderr or ""
    if done.returncode in (126, 127) or "Permission denied" in problem or "can't open file" in problem:
        print(
            f"okrate: the account {account} cannot run {command[0]}: it lives where only root may read "
            "(a Python in root's home, say). Install okrate with the system's Python, where every "
            "account can run it, then run init with that copy:\n"
            "  /usr/bin/python3 -m venv /opt/okrate && /opt/okrate/bin/pip install /path/to/okrate\n"
            "  /opt/okrate/bin/okrate server init …",
            file=sys.stderr,
        )
        return 2
    sys.stderr.write(problem)
    return done.returncode


def _read_key_as_root(source: str | None) -> str | None:
    if source is None:
        return None
    if source == "-":
        return sys.stdin.read(64 * 1024)
    try:
        return Path(source).expanduser().read_text(encoding="utf-8", errors="replace")[: 64 * 1024]
    except OSError as exc:
        raise StorageError(f"cannot read {source}: {exc.strerror}") from None


def _init_as_account(ctx: Context, args: argparse.Namespace) -> int:
    me = pwd.getpwuid(os.geteuid()).pw_name
    if args.account and args.account != me:
        raise UsageError(f"you are {me}: run init as root, or as the account {args.account} itself")
    if args.admin and not args.key:
        raise UsageError("--admin needs --key: the first admin's public key is how they will connect")
    os.umask(0o077)
    home = server.home_of()
    made = [p for p in (home / ".config" / "okrate", home / "data", home / "backups", home / ".ssh") if private_dir(p)]
    if tighten(home, 0o700):
        print(f"home: {home} is now 0700 (it was open to others)")
    for path in made:
        print(f"folder: made {path} (0700)")
    config = server.load()
    if config is None:
        database = args.database or str(home / "data" / "okrate.db")
        target = resolve(database)
        if target.kind == "postgresql":
            database = _with_password(database)
        config = server.ServerConfig(server.config_file(home), me, database, server.okrate_command(sys.executable))
        config.write()
        print(f"settings: wrote {config.path} (0600)")
    else:
        if args.database and args.database != config.database and resolve(args.database) != resolve(config.database):
            raise UsageError(f"this server already uses {resolve(config.database).describe()}; edit {config.path}")
        current = server.okrate_command(sys.executable)
        if current != config.command:
            config = dataclasses.replace(config, command=current)
            config.write()
            print(f"settings: keys now run {current}")
        else:
            print(f"settings: {config.path} kept")
        tighten(config.path, 0o600)
    database = open_db(config.database, create=True)
    target = resolve(config.database)
    if target.kind == "sqlite":
        assert target.path is not None
        _tighten_data(target.path, home)
    from okrate_tui.core.migrate import stored_version

    print(f"database: {target.describe()} (schema version {stored_version(database)})")
    ctx.url = config.database
    ctx.server = config
    if args.admin:
        _first_admin(ctx, args)
    from okrate_tui.cli.access import sync_keys
    from okrate_tui.core.services.keys import active_keys

    written = sync_keys(config)
    count = len(active_keys())
    print(f"keys: {config.authorized_keys} {'written' if written else 'up to date'} ({count} key(s), 0600)")
    _next_steps(config, me)
    return 0


def _with_password(url: str) -> str:
    """Try PostgreSQL as this account; ask for a password only when it wants one."""
    try:
        open_db(url)
        return url
    except EmptyDatabase:
        return url  # reached, and nothing in it yet: init makes the database next
    except StorageError as exc:
        if "password" not in str(exc).lower():
            raise
    import getpass
    from urllib.parse import quote, urlsplit, urlunsplit

    try:
        password = getpass.getpass("PostgreSQL password (kept only in the 0600 server settings): ")
    except (EOFError, OSError):
        raise UsageError(
            "PostgreSQL wants a password: put it in ~/.pgpass of this account and run init again"
        ) from None
    parts = urlsplit(url)
    netloc = f"{quote(parts.username or '', safe='')}:{quote(password, safe='')}@{parts.hostname or ''}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _tighten_data(path: Path, home: Path) -> None:
    """The database, its -wal/-shm and every copy: never wider than 0600."""
    found = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), *path.parent.glob(f"{path.name}.*.bak")]
    found += list((home / "backups").glob("*"))
    narrowed = [p for p in found if tighten(p, 0o600)]
    for p in narrowed:
        print(f"mode: {p} is now 0600")


def _first_admin(ctx: Context, args: argparse.Namespace) -> None:
    from okrate_tui.cli.access import _read_key
    from okrate_tui.core.models import Person
    from okrate_tui.core.services.keys import add_key
    from okrate_tui.core.services.people import create_person, find_person
    from okrate_tui.core.sshkeys import parse

    if not Person.select().exists():
        person = create_person(None, args.admin, args.name or args.admin, role="admin")
        print(f"admin: added @{person.handle}")
    else:
        person = find_person(args.admin)
        if person.role != "admin":
            raise PermissionDenied(f"@{person.handle} exists and is a {person.role}, not an admin")
        print(f"admin: @{person.handle} exists")
    text = _read_key(args.key)
    fingerprint = parse(text).fingerprint
    from okrate_tui.core.models import SshKey

    if SshKey.select().where((SshKey.fingerprint == fingerprint) & SshKey.revoked_at.is_null()).exists():
        print(f"admin key: {fingerprint} is registered already")
        return
    key = add_key(person, person.handle, text)
    print(f"admin key: added key {key.id} ({key.fingerprint}) for @{person.handle}")


def _next_steps(config: server.ServerConfig, me: str) -> None:
    from okrate_tui.core.models import Person

    host = os.uname().nodename
    if not Person.select().exists():
        print(
            "\nnext: the first admin and their key (or fill it with `okrate demo` as this account to try it out):\n"
            f"  sudo {config.command} server init --account {me} --admin HANDLE --name 'Full Name' "
            "--key /path/to/their_key.pub"
        )
        return
    print(
        "\nnext:\n"
        f"  people connect with:   ssh -t {me}@{host}\n"
        f"  an admin adds people:  ssh {me}@{host} team add Engineering\n"
        f"                         ssh {me}@{host} 'person add kim \"Kim Lee\" --manager maria --team Engineering'\n"
        f"                         ssh {me}@{host} keys add kim - < kim.pub\n"
        f"  scripts run commands:  ssh {me}@{host} task list --owner kim --json\n"
        f"  the access log:        ssh {me}@{host} audit\n"
        f"  backups (as {me}):     okrate backup   (a dated copy in {config.backups})"
    )


# --- status -----------------------------------------------------------------------------


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    config = server.load()
    if config is None:
        hint = (
            f"; as root, ask the service account: runuser -u {DEFAULT_ACCOUNT} -- "
            f"{server.okrate_command(sys.executable)} server status"
            if os.geteuid() == 0
            else " (okrate server init sets one up)"
        )
        raise UsageError(f"this account runs no team server{hint}")
    from okrate_tui.core.files import mode_of

    print(f"settings: {config.path} ({mode_of(config.path):04o})")
    print(f"account:  {config.account} (home {config.home}, {mode_of(config.home):04o})")
    print(f"command:  {config.command}")
    target = resolve(config.database)
    if target.kind == "sqlite":
        assert target.path is not None
        shown = f"{target.path} ({mode_of(target.path):04o})" if target.path.exists() else f"{target.path} (missing)"
        print(f"database: {shown}")
    else:
        print(f"database: {target.describe()}")
    ctx.url = config.database
    ctx.db()
    from okrate_tui.core.services.keys import active_keys

    keys_file = config.authorized_keys
    state = f"{mode_of(keys_file):04o}" if keys_file.exists() else "missing"
    print(f"keys:     {len(active_keys())} usable; {keys_file} ({state})")
    from okrate_tui.core.services.sessions import list_sessions

    _print_limits(config.limits)
    print(f"sessions: {len(list_sessions(None))} open (okrate sessions lists them)")
    return 0


def _whole(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a whole number")
    return int(text)


def _print_limits(limits: server.Limits) -> None:
    print(
        f"limits:   {limits.sessions_per_person} sessions per person, {limits.sessions_per_server} on this server; "
        f"terminals drawn up to {limits.columns}×{limits.rows}"
    )


LIMIT_FLAGS = {
    "per_person": "sessions_per_person",
    "per_server": "sessions_per_server",
    "columns": "columns",
    "rows": "rows",
}


def cmd_limits(ctx: Context, args: argparse.Namespace) -> int:
    """Show the limits, or change some (the service account's own settings)."""
    config = server.load()
    if config is None:
        raise UsageError("this account runs no team server (okrate server init sets one up)")
    limits = config.limits
    for flag, name in LIMIT_FLAGS.items():
        value = getattr(args, flag)
        if value is None:
            continue
        try:
            limits = limits.with_values(**{name: value})
        except ValueError:
            low, high = server.Limits.RANGES[name]
            raise UsageError(f"--{flag.replace('_', '-')} takes a whole number from {low} to {high:,}") from None
    if limits != config.limits:
        config = dataclasses.replace(config, limits=limits)
        config.write()
        print(f"settings: wrote {config.path} (new logins and new sessions follow them)")
    _print_limits(config.limits)
    return 0


# --- the entry point of every SSH connection ------------------------------------------------


def _remote() -> str:
    words = os.environ.get("SSH_CONNECTION", "").split()
    return f"{words[0]}:{words[1]}" if len(words) >= 2 else "local"


def _what(argv: list[str]) -> str:
    if not argv:
        return "app"
    words: list[str] = []
    for word in argv:
        if word.startswith("-") or len(words) == 2:
            break
        words.append(word)
    return " ".join(words) or " ".join(argv[:1])


class _HungUp(BaseException):
    """The SSH connection went away."""


def _hang_up(signum: int, frame: object) -> None:
    raise _HungUp()


class _Ended(BaseException):
    """An admin, a revoked key or a deactivation ended this session while a command ran."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _end_command(reason: str) -> None:
    """From the session's watch: stop the command where it is (its write, if any, rolls
    back) by interrupting the main thread, even in a blocking read of standard input."""
    global _ending
    _ending = reason
    with contextlib.suppress(ProcessLookupError, OSError):
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGUSR1)


_ending: str | None = None
_finishing = False


def _interrupted(signum: int, frame: object) -> None:
    if _ending is not None and not _finishing:
        raise _Ended(_ending)


def cmd_ssh_entry(ctx: Context, args: argparse.Namespace) -> int:
    """Run what the connection asked for as the person the key proves. Nothing it says
    back names the server's files: those are not the person's to know."""
    try:
        config = server.load()
    except StorageError:
        raise StorageError(
            "this server's settings cannot be read; its operator sees why with: okrate server status"
        ) from None
    if config is None:
        raise UsageError("this account runs no Okrate team server")
    if not args.key_id.isdigit():
        raise UsageError("ssh-entry takes the id of a key")
    try:
        return _entry(config, int(args.key_id), args.run)
    except (OkrateError, UsageError) as exc:
        print(f"okrate: {' '.join(config.scrub(str(exc)).split())}", file=sys.stderr)
        return 2


def _entry(config: server.ServerConfig, key_id: int, main: Callable[..., int]) -> int:
    from okrate_tui.core.services import access_log, sessions
    from okrate_tui.core.services.keys import key_owner

    global _ending, _finishing
    _ending, _finishing = None, False
    requested = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    claims = sorted(k for k in os.environ if k.startswith("OKRATE_"))
    database = open_db(config.database, create=False)
    remote = _remote()
    refusal = None
    try:
        argv = shlex.split(requested)
    except ValueError as exc:
        argv, refusal = [], f"cannot read the command ({exc})"
    if argv[:1] == ["okrate"]:
        argv = argv[1:]
    what = _what(argv)
    try:
        person = key_owner(key_id)
    except PermissionDenied as exc:
        access_log.record(None, key_id, None, remote, what, f"refused: {exc}")
        raise
    if claims and refusal is None:
        refusal = f"{', '.join(claims)} is not accepted on this server: your SSH key decides who you are and where"
    bad = next((w for w in argv if w.split("=", 1)[0] in ("--as", "--db", "--demo")), None)
    if bad and refusal is None:
        refusal = f"{bad.split('=', 1)[0]} is not accepted on this server: your SSH key decides who you are and where"
    if refusal is not None:
        access_log.record(None, key_id, person.id, remote, what, f"refused: {refusal}")
        raise UsageError(refusal)
    for name in claims:
        os.environ.pop(name, None)
    # an admin's `okrate sessions` gets through a full server: it is how one frees it
    exempt = what.split()[:1] == ["sessions"] and person.role == "admin"
    try:
        session_id = sessions.open_session(person.id, key_id, what, remote, config.limits, exempt=exempt)
    except sessions.SessionRefused as exc:
        access_log.record(None, key_id, person.id, remote, what, f"refused: {exc}")
        raise
    current = sessions.Current(session_id, person.id, key_id, config)
    entry = access_log.record(None, key_id, person.id, remote, what)
    try:
        from okrate_tui.cli.access import sync_keys

        sync_keys(config)  # heals a file someone edited, or one behind a deactivation
    except OkrateError:
        pass
    session = Context.for_key(config, person.id)
    session._db = database
    if not argv:
        database.close()  # the app reads on a connection of its own: one per session, not two
    code = 1
    ended: str | None = None
    signal.signal(signal.SIGHUP, _hang_up)  # a dropped connection still ends the log entry
    signal.signal(signal.SIGUSR1, _interrupted)
    sessions.serve(current)  # from here every write checks the session still stands
    watch = sessions.Watch(current, _end_command) if argv else None  # the app watches on its own thread
    if watch is not None:
        watch.start()
    try:
        code = main(argv, session=session)
    except SystemExit as exc:  # --help, --version and argument errors end this way
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except _HungUp:
        code = 129
    except _Ended as exc:
        ended = exc.reason
        print(sessions.ended_line(exc.reason), file=sys.stderr)
        code = 2
    finally:
        _finishing = True
        if watch is not None:
            watch.stop()
        sessions.serve(None)
        with contextlib.suppress(Exception):
            ended = ended or sessions.ended_reason(current)
        outcome = f"ended: {ended}" if ended else {0: "", 129: "connection dropped"}.get(code, f"exit {code}")
        with contextlib.suppress(Exception):
            sessions.close_session(None, session_id)
        with contextlib.suppress(OkrateError):
            access_log.finish(None, entry, outcome)
    return code
