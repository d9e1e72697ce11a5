"""Leaner terminal output: the same screen with fewer style codes.

Textual writes every run of text as ``ESC[<style>m text ESC[0m``, so two neighbouring
runs in one style cost a reset and the whole style again, and a change of colour costs
every attribute and both colours. :func:`lean` rewrites one write so each style change
says only what changed; what the terminal shows stays exactly the same. Over SSH the
bytes saved are the time saved.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# a style code, or anything that is not one
TOKEN = re.compile(r"\x1b\[([0-9;]*)m")
# text that moves the cursor without drawing, so the style may carry over it
MOVES_ONLY = re.compile(r"(?:\r|\n|\x1b\[[0-9;]*[ABCDGHf])*\Z")

# codes that turn attributes off, and the attributes each removes
OFF = {"22": ("1", "2"), "23": ("3",), "24": ("4", "21"), "25": ("5", "6"), "27": ("7",), "28": ("8",), "29": ("9",)}
OFF |= {"54": ("51", "52"), "55": ("53",)}
TURNS_OFF = {attr: off for off, attrs in OFF.items() for attr in attrs}


class Style(NamedTuple):
    """The terminal's style state: attributes in order, foreground, background."""

    attrs: tuple[str, ...] = ()
    fg: str | None = None
    bg: str | None = None

    def codes(self) -> list[str]:
        return [*self.attrs, *(c for c in (self.fg, self.bg) if c)]


PLAIN = Style()


def apply(style: Style, params: str) -> Style:
    """The style after the terminal reads ``ESC[<params>m`` in ``style``."""
    codes = params.split(";") if params else ["0"]
    attrs, fg, bg = list(style.attrs), style.fg, style.bg
    i = 0
    while i < len(codes):
        code = codes[i] or "0"
        if code in ("38", "48", "58") and i + 1 < len(codes):
            span = 3 if codes[i + 1] == "5" else 5
            colour = ";".join(codes[i : i + span])
            if code == "38":
                fg = colour
            elif code == "48":
                bg = colour
            i += span
            continue
        number = int(code)
        if number == 0:
            attrs, fg, bg = [], None, None
        elif 30 <= number <= 37 or 90 <= number <= 97:
            fg = code
        elif number == 39:
            fg = None
        elif 40 <= number <= 47 or 100 <= number <= 107:
            bg = code
        elif number == 49:
            bg = None
        elif code in OFF:
            attrs = [a for a in attrs if a not in OFF[code]]
        elif code not in attrs:
            attrs.append(code)
        i += 1
    return Style(tuple(attrs), fg, bg)


def change(old: Style, new: Style) -> str:
    """The shortest sequence we write that takes the terminal from ``old`` to ``new``."""
    if new == old:
        return ""
    if new == PLAIN:
        return "\x1b[0m"
    offs = list(dict.fromkeys(TURNS_OFF[a] for a in old.attrs if a not in new.attrs))
    cleared = {a for off in offs for a in OFF[off]}
    codes = [*offs, *(a for a in new.attrs if a not in old.attrs or a in cleared)]
    if new.fg != old.fg:
        codes.append(new.fg or "39")
    if new.bg != old.bg:
        codes.append(new.bg or "49")
    step = f"\x1b[{';'.join(codes)}m"
    fresh = f"\x1b[0;{';'.join(new.codes())}m"
    return step if len(step) <= len(fresh) else fresh


def lean(text: str) -> str:
    """``text`` with each style change written once and only as far as it changes."""
    if "\x1b[" not in text:
        return text
    out: list[str] = []
    shown = PLAIN  # what the terminal has
    wanted = PLAIN  # what the text asks for at this point
    at = 0
    for match in TOKEN.finditer(text):
        between = text[at : match.start()]
        if between:
            if not MOVES_ONLY.match(between):
                out.append(change(shown, wanted))
                shown = wanted
            out.append(between)
        wanted = apply(wanted, match.group(1))
        at = match.end()
    rest = text[at:]
    if rest and not MOVES_ONLY.match(rest):
        out.append(change(shown, wanted))
        shown = wanted
    out.append(rest)
    out.append(change(shown, wanted))  # leave the terminal as the original text would
    return "".join(out)
