"""The user's configuration: a TOML file in the platform's config folder.

    theme = "nord"
    [keymap]
    "goals.new" = "N"          # binding id = keys (comma-separated for several)

Problems never stop the app: each becomes a plain message shown at start-up, and the
broken setting falls back to its default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ENV_VAR = "OKRATE_CONFIG"


def config_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_config_path

    return user_config_path("okrate", appauthor=False) / "config.toml"


@dataclass
class Config:
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


def load_config(path: Path | None = None, *, themes: set[str], binding_ids: set[str]) -> Config:
    """Read and check the config file; a missing file is an empty config."""
    path = path or config_path()
    config = Config(path=path)
    if not path.exists():
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        config.problems.append(f"{path}: not valid TOML ({exc}); using the defaults")
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.problems.append(f"{path}: cannot be read ({exc}); using the defaults")
        return config
    for key in sorted(set(data) - {"theme", "keymap"}):
        config.problems.append(f"{path}: unknown setting '{key}' (known: theme, keymap)")
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
    for binding_id, keys in keymap.items():
        if binding_id not in binding_ids:
            config.problems.append(f"{path}: keymap names an unknown binding '{binding_id}' (press ? for ids)")
        elif not isinstance(keys, str) or not keys.strip():
            config.problems.append(f"{path}: keymap '{binding_id}' must be a key like \"ctrl+n\"")
        else:
            config.keymap[binding_id] = keys.replace(" ", "")
    return config
