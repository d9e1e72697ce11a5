"""Colours by meaning, taken from the running app's theme.

Text built in Python asks for a meaning (``tone("late")``), never a colour name, so a
light theme gets colours readable on its light background and a dark theme its own.
One meaning is one style everywhere. The app calls :func:`use` whenever its theme's
variables are computed (at start and on each theme change); widgets that keep drawn
lines clear them on ``App.theme_changed_signal``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from textual.color import Color, ColorParseError

# meaning -> (theme variable of its colour, text attributes)
MEANINGS: dict[str, tuple[str, str]] = {
    "muted": ("text-muted", ""),  # what matters less: labels, hints, counts
    "struck": ("text-muted", "strike"),  # done or gone
    "aside": ("text-muted", "italic"),  # what someone wrote in passing
    "strong": ("", "bold"),
    "error": ("text-error", ""),  # overdue, blocked, behind, refused
    "late": ("text-error", "bold"),  # what needs doing first: late, critical
    "warning": ("text-warning", ""),  # missing owner, date or priority; soon due
    "urgent": ("text-warning", "bold"),  # due today, a filter that hides things
    "ok": ("text-success", ""),  # on track, done
    "ok_strong": ("text-success", "bold"),
    "info": ("text-primary", ""),  # people, planning, action items
    "info_strong": ("text-primary", "bold"),
    "done": ("text-secondary", ""),  # a goal reached
    "special": ("text-accent", ""),  # private things, admins
    "special_strong": ("text-accent", "bold"),
    "alarm": ("text-error", "bold reverse"),  # the top bar's trouble sign
}

_PLAIN = Style()
_styles: dict[str, Style] = {}
_key: tuple | None = None


def _colour(value: str | None, background: Color) -> tuple[Color | None, bool]:
    """A theme value ("#B93C5B", "auto 60%", "ansi_default 50%") as one colour over the
    background, and whether it is a faded terminal colour (drawn dim)."""
    if not value:
        return None, False
    name, _, share = value.partition(" ")
    alpha = float(share.rstrip("%")) / 100 if share else 1.0
    try:
        if name == "auto":
            return background + background.get_contrast_text(alpha), False
        colour = Color.parse(name)
    except (ColorParseError, ValueError):
        return None, False
    if colour.ansi is not None or background.ansi is not None:
        return (None if name == "ansi_default" else colour), alpha < 1
    return background + colour.with_alpha(alpha), False


def use(variables: Mapping[str, str]) -> None:
    """Compute every meaning's style from a theme's variables (cached until they change)."""
    global _key
    key = tuple(variables.get(name) for name in sorted({v for v, _ in MEANINGS.values() if v} | {"background"}))
    if key == _key:
        return
    try:
        background = Color.parse(variables.get("background", "#000000"))
    except ColorParseError:
        background = Color(0, 0, 0)
    styles: dict[str, Style] = {}
    for meaning, (variable, attrs) in MEANINGS.items():
        colour, faded = _colour(variables.get(variable) if variable else None, background)
        style = Style.parse(attrs) if attrs else Style()
        if colour is not None:
            style += Style(color=colour.rich_color)
        if faded:
            style += Style(dim=True)
        styles[meaning] = style
    _styles.clear()
    _styles.update(styles)
    _key = key


def tone(meaning: str) -> Style:
    """The style of a meaning in the current theme (see :data:`MEANINGS`); "" is plain."""
    if not meaning:
        return _PLAIN
    if not _styles:
        _default()
    return _styles[meaning]


def _default() -> None:
    """Before any app has started (tests of plain functions): the default dark theme."""
    from textual.theme import BUILTIN_THEMES

    theme = BUILTIN_THEMES["textual-dark"]
    use({**theme.to_color_system().generate(), **theme.variables})
