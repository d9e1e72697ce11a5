"""The user's configuration: a TOML file in the platform's config folder.

    theme = "nord"
    quick_add_owner = "me"     # or "none": who owns a quick-added task without an @owner
    stale_check_in_days = 14   # okrate agenda lists key results without a check-in this long
    [keymap]
    "goals.new" = "N"          # binding id = keys (comma-separated for several)

Problems never stop the app: each becomes a plain message shown at start-up, and the
broken setting falls back to its default. The command line reads the file too (through
:func:`stale_check_in_days`, without loading Textual).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from okrate_tui.core.queries.agenda import STALE_CHECK_IN_DAYS

ENV_VAR = "OKRATE_CONFIG"
KNOWN_SETTINGS = ("theme", "quick_add_owner", "stale_check_in_days", "keymap")


def config_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_config_path

    return user_config_path("okrate", appauthor=False) / "config.toml"


@dataclass
class Config:
    theme: str | None = None
    quick_add_owner: str = "me"
    stale_check_in_days: int = STALE_CHECK_IN_DAYS
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")


def symbol_name(character: str) -> str:
    """A punctuation key as bindings name it: "!" is "exclamation_mark", "/" is "slash"."""
    import unicodedata

    from textual.keys import KEY_NAME_REPLACEMENTS

    name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


def key_problem(key: str) -> str | None:
    """Why ``key`` is not a key Okrate can bind, or ``None`` when it is one."""
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    *mods, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in mods):
        return f"'{key}' is not a key (modifiers: {', '.join(MODIFIERS)})"
    names = {k.value for k in Keys} | set(KEY_NAME_REPLACEMENTS.values()) | {"space"}
    names |= {symbol_name(ch) for ch in "~!@#$%^&*()-_=+[]{};:'\",.<>/?|`"}
    if len(base) == 1 or base in names or (base[0] == "f" and base[1:].isdigit()):
        return None
    return f"'{key}' is not a key name (try ctrl+n, f5, enter, space, question_mark)"


def keymap_problems(
    keymap: dict[str, str], owners: dict[str, tuple[str, tuple[str, ...]]], globals_: set[str]
) -> dict[str, str]:
    """Remaps that would not work: bad key names, or a key that another binding of the
    same place (or of the whole app) already answers to. ``owners`` maps each binding id
    to (where it lives, its default keys)."""
    problems: dict[str, str] = {}
    keys_of = {bid: keymap.get(bid, ",".join(keys)).split(",") for bid, (_, keys) in owners.items()}
    for bid, keys in keymap.items():
        for key in keys.split(","):
            bad = key_problem(key)
            if bad:
                problems[bid] = bad
                break
            where = owners[bid][0]
            for other, (other_where, _) in owners.items():
                if other == bid or key not in keys_of[other]:
                    continue
                if other_where == where or ((other in globals_) != (bid in globals_) and other in globals_):
                    problems[bid] = f"'{key}' is already {other}'s key; pick another (or remap {other} too)"
                    break
            if bid in problems:
                break
    return problems


def _read(path: Path, problems: list[str]) -> dict:
    """The file's settings; a missing file is none, a broken one none and a problem."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}); using the defaults")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc}); using the defaults")
    return {}


def _stale_days(data: dict, path: Path, problems: list[str]) -> int:
    value = data.get("stale_check_in_days")
    if value is None:
        return STALE_CHECK_IN_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
        problems.append(f"{path}: stale_check_in_days is a number of days from 1 to 365, not {value!r}")
        return STALE_CHECK_IN_DAYS
    return value


def stale_check_in_days(path: Path | None = None) -> tuple[int, list[str]]:
    """The ``stale_check_in_days`` setting, and any problem reading it (for the command line)."""
    path = path or config_path()
    problems: list[str] = []
    return _stale_days(_read(path, problems), path, problems), problems


def load_config(
    path: Path | None = None,
    *,
    themes: set[str],
    owners: Callable[[], dict[str, tuple[str, tuple[str, ...]]]],
) -> Config:
    """Read and check the config file; a missing file is an empty config. ``owners``
    gives every binding id with where it lives and its default keys; it is only asked
    for when the file has a keymap to check."""
    path = path or config_path()
    config = Config(path=path)
    data = _read(path, config.problems)
    if not data:
        return config
    for key in sorted(set(data) - set(KNOWN_SETTINGS)):
        config.problems.append(f"{path}: unknown setting '{key}' (known: {', '.join(KNOWN_SETTINGS)})")
    config.stale_check_in_days = _stale_days(data, path, config.problems)
    owner = data.get("quick_add_owner")
    if owner is not None:
        if owner not in ("me", "none"):
            config.problems.append(f'{path}: quick_add_owner is "me" or "none", not {owner!r}')
        else:
            config.quick_add_owner = owner
    theme = data.get("theme")
    if theme is not None:
        if not isinstance(theme, str) or theme not in themes:
            shown = ", ".join(sorted(themes)[:8])
            config.problems.append(f"{path}: unknown theme {theme!r} (try one of {shown}, …)")
        else:
            config.theme = theme
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        config.problems.append(f'{path}: [keymap] must be a table of binding-id = "keys"')
        return config
    known = owners() if keymap else {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            config.problems.append(f"{path}: keymap names an unknown binding '{binding_id}' (press ? for ids)")
        elif not isinstance(keys, str) or not keys.strip():
            config.problems.append(f"{path}: keymap '{binding_id}' must be a key like \"ctrl+n\"")
        else:
            config.keymap[binding_id] = keys.replace(" ", "")
    globals_ = {bid for bid, (place, _) in known.items() if place == "OkrateApp"}
    for binding_id, message in keymap_problems(config.keymap, known, globals_).items():
        config.problems.append(f"{path}: keymap {binding_id}: {message}; not applied")
        del config.keymap[binding_id]
    return config
