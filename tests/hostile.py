"""One corpus of hostile strings, the strings that must survive untouched, and a terminal
(pyte) that tells whether printed output did anything but print."""

from __future__ import annotations

import pyte

from okrate_tui.core.text import control_chars

# Each of these is refused wherever text is stored (a bare carriage return only where the
# text is one line: in notes and descriptions it is read as the line break it was).
HOSTILE: dict[str, str] = {
    "C0 bell and null": "ring\x07ring\x00",
    "C0 backspaces": "abc\x08\x08\x08xyz",
    "delete": "a\x7fb",
    "C1 CSI": "red \x9b31mred",
    "C1 OSC title": "a\x9d0;title\x9c",
    "OSC 52 clipboard": "copy \x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
    "OSC 0 title": "INJ \x1b]0;pwned\x07",
    "OSC 2 title, ST": "x\x1b]2;HACKED\x1b\\y",
    "CSI clear screen": "INJ \x1b[2J\x1b[H",
    "CSI cursor moves": "a\x1b[10;10Hb\x1b[5Ac\x1b[3D",
    "CR and erase line": "fine\r\x1b[2K@ada  refused  framed",
    "bare CR": "visible\rhidden",
    "bidi override": "abc\u202eevil",
    "bidi isolates": "x\u2066y\u2069\u2067z\u2069\u2068",
    "zero width space": "pay\u200bpal",
    "byte order mark": "\ufeffstart",
    "line separator": "a\u2028b",
    "100 KB": "x" * 100_000,
}
MULTILINE_OK = {"bare CR"}  # stored as the line break it means, in text that may span lines
SURROGATE = "a\ud800b"  # cannot even be written to a file as UTF-8: only routes that take str

# Emoji joined with ZWJ, the ZWNJ Persian needs, CJK and a flag's tag characters: kept as typed.
KEPT: dict[str, str] = {
    "emoji with joiners": "👩\u200d💻 pair 👨\u200d👩\u200d👧",
    "Persian with ZWNJ": "می\u200cخواهم",
    "CJK": "日本語のタイトル",
    "flag with tags": "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
}

# What planting in the database uses (as an older version or sqlite3 could write it).
PLANTED = {name: text for name, text in HOSTILE.items() if name != "100 KB"} | {"long": "L" * 1_000}


def refused_everywhere(name: str, multiline: bool) -> bool:
    return not (multiline and name in MULTILINE_OK)


class Terminal:
    """A terminal emulator that takes printed output and tells what it did."""

    def __init__(self, columns: int = 400, lines: int = 120) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.screen.set_title("untouched")
        self.stream = pyte.Stream(self.screen)
        self.fed = ""

    def feed(self, text: str) -> None:
        self.fed += text
        self.stream.feed(text.replace("\r\n", "\n").replace("\n", "\r\n"))

    def problems(self) -> list[str]:
        """What the output did besides printing text line by line."""
        found = []
        if self.screen.title != "untouched":
            found.append(f"the title became {self.screen.title!r}")
        if "\x1b]52" in self.fed or "\x9d52" in self.fed:
            found.append("it set the clipboard (OSC 52)")
        bad = control_chars(self.fed.replace("\r\n", "\n"), ("\n", "\t"))
        if bad:
            found.append(f"it wrote {sorted({f'U+{ord(c):04X}' for c in bad})[:6]}")
        lines = self.fed.replace("\r\n", "\n").split("\n")
        printed = len(lines) - 1  # the cursor ends on the line after the last one printed
        expected_y = min(printed, self.screen.lines - 1)
        if self.screen.cursor.y != expected_y:
            found.append(f"the cursor ended on line {self.screen.cursor.y}, not {expected_y}")
        if printed < self.screen.lines:  # all of it on screen: each line shows as printed
            for y, line in enumerate(lines[:printed]):
                if line.isascii() and len(line.expandtabs(8)) < self.screen.columns:
                    shown = self.screen.display[y].rstrip()
                    if shown != line.expandtabs(8).rstrip():
                        found.append(f"line {y} shows {shown[:60]!r}, printed {line[:60]!r}")
        return found
