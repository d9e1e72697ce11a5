"""Frames that carry only what changed.

Textual repaints a widget's whole region when the widget changes: moving one card
rewrites two columns. :class:`ScreenCopy` keeps what the terminal shows, cell by cell,
reads each frame Textual writes, and writes only the cells that differ, with the style
codes made lean (:mod:`okrate_tui.ui.sgr`). A frame holding anything it does not model
(clearing the screen, leaving it, scrolling) goes out whole and starts the copy afresh,
as does any frame after the terminal changed size.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby

from rich.cells import get_character_cell_size

from okrate_tui.ui.sgr import PLAIN, Style, apply, change, lean

# the pieces of a frame: text in a style, a style, a cursor move, another control sequence, a line break, text
PIECE = re.compile(
    r"(?P<styled>\x1b\[(?P<set>[0-9;]+)m(?P<run>[^\x1b\r\n]+)\x1b\[0?m)"
    r"|\x1b\[(?P<sgr>[0-9;]*)m"
    r"|(?P<move>\x1b\[(?P<row>\d+);(?P<col>\d+)H)"
    r"|(?P<other>\x1b\[[0-9;?>=<]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[^\[\]])"
    r"|(?P<brk>[\r\n])"
    r"|(?P<text>[^\x1b\r\n]+)"
)
# control sequences that change no cell: cursor shape and visibility, modes of input
HARMLESS = re.compile(r"\x1b\[\?(?:25|1000|1002|1003|1004|1006|1015|2004|2026)[hl]|\x1b\[[<>=]?[0-9;]*[ -/]*[qu]")
CURSOR_SHOWN = re.compile(r"\x1b\[\?25([hl])")
DRAWN_ON_BLANKS = frozenset({"4", "7", "9", "21", "53"})  # underline, reverse, strike, double underline, overline
GAP = 6  # unchanged cells cheaper to rewrite than to jump over
UNKNOWN = -1


@lru_cache(maxsize=4096)
def _after(style: Style, params: str) -> Style:
    return apply(style, params)


def as_blank(shown: Style, style: Style) -> Style:
    """The style spaces may be written in. A plain space shows only its background, so
    the terminal keeps its foreground and attributes for it. A space with an attribute
    that draws on blank cells shows its foreground too (reverse video paints the cell in
    it, a line is drawn in it), so it is written in its own style, exactly."""
    if not DRAWN_ON_BLANKS.isdisjoint(style.attrs):
        return style
    return Style(tuple(a for a in shown.attrs if a not in DRAWN_ON_BLANKS), shown.fg, style.bg)


def _wide(char: str | None) -> bool:
    return bool(char) and char is not None and not char.isascii() and get_character_cell_size(char) == 2


@lru_cache(maxsize=8192)
def _cells(run: str) -> tuple[str, ...] | None:
    """The cells ``run`` fills ("" for a wide character's right half); None when a
    character has no width."""
    if run.isascii():
        return tuple(run)
    cells: list[str] = []
    for char in run:
        width = get_character_cell_size(char)
        if width == 0:
            return None
        cells.append(char)
        if width == 2:
            cells.append("")
    return tuple(cells)


class ScreenCopy:
    """What the terminal shows; :meth:`frame` turns a frame into the changes it makes."""

    def __init__(self) -> None:
        self.size: tuple[int, int] | None = None
        self.chars: list[list[str | None]] = []  # "" holds the right half of a wide character, None: not known
        self.styles: list[list[int]] = []  # an index into self.known_styles, or UNKNOWN
        self.known_styles: list[Style] = []
        self._style_ids: dict[Style, int] = {}
        self._cut: set[tuple[int, int]] = set()  # (row, column): the other half of a half-written wide character
        self.cursor: tuple[int, int] | None = None  # where the last frame left the cursor
        self.visible = True  # whether the terminal shows its cursor (Textual hides it and draws its own)

    def reset(self, size: tuple[int, int] | None) -> None:
        self.size = size
        self.cursor = None
        cols, rows = size or (0, 0)
        self.chars = [[None] * cols for _ in range(rows)]
        self.styles = [[UNKNOWN] * cols for _ in range(rows)]

    def _id(self, style: Style) -> int:
        found = self._style_ids.get(style)
        if found is None:
            found = self._style_ids[style] = len(self.known_styles)
            self.known_styles.append(style)
        return found

    def frame(self, text: str, size: tuple[int, int] | None) -> str:
        """The bytes to write instead of ``text`` for a terminal of ``size`` (columns, rows)."""
        if size != self.size:
            self.reset(size)
        if shown := CURSOR_SHOWN.findall(text):
            self.visible = shown[-1] == "h"
        if size is None or "\x1b[" not in text:
            self.cursor = None
            return lean(text)
        read = self._read(text, size)
        if read is None:
            self.reset(size)
            return lean(text)
        changed, cursor, controls = read
        return self._write(changed, cursor, controls)

    def _read(
        self, text: str, size: tuple[int, int]
    ) -> tuple[dict[int, set[int]], tuple[int, int] | None, list[str]] | None:
        """Take in the cells ``text`` writes; the cells that changed, where the cursor is
        left and the harmless controls. None when it does something a copy cannot follow
        (the copy is then partly updated and must be reset)."""
        cols, rows = size
        changed: dict[int, set[int]] = {}
        controls: list[str] = []
        self._cut.clear()
        style = PLAIN
        sid = self._id(PLAIN)
        row = col = 0
        moved: tuple[int, int] | None = None
        for match in PIECE.finditer(text):
            kind = match.lastgroup
            if kind == "styled" or kind == "text":
                if kind == "styled":
                    run = match.group("run")
                    sid = self._id(_after(style, match.group("set")))
                else:
                    run = match.group("text")
                cells = _cells(run)
                if cells is None or not 0 <= row < rows or col + len(cells) > cols:
                    return None
                self._put(row, col, cells, sid, changed)
                col += len(cells)
                moved = (row, col)
                if kind == "styled":
                    style = PLAIN
                    sid = self._id(style)
            elif kind == "sgr":
                style = _after(style, match.group("sgr"))
                sid = self._id(style)
            elif kind == "move":
                row, col = int(match.group("row")) - 1, int(match.group("col")) - 1
                moved = (row, col)
            elif kind == "brk":
                if match.group("brk") == "\r":
                    col = 0
                elif row + 1 >= rows:
                    return None  # a line break on the last row scrolls the screen
                else:
                    row += 1
                moved = (row, col)
            elif HARMLESS.fullmatch(match.group()):
                controls.append(match.group())
            else:
                return None
        if style != PLAIN or self._cut:
            return None  # a frame ends plain; a wide character left half written is not followed
        return changed, moved, controls

    def _put(self, row: int, col: int, cells: tuple[str, ...], sid: int, changed: dict[int, set[int]]) -> None:
        """Write ``cells`` into the copy, marking those that change."""
        chars, styles, end = self.chars[row], self.styles[row], col + len(cells)
        new, new_styles = list(cells), [sid] * len(cells)
        if self._cut:
            self._cut.difference_update((row, c) for c in range(col, end))
        if chars[col:end] == new and styles[col:end] == new_styles:
            return
        self._cut_wide(row, col, end)
        marks = changed.setdefault(row, set())
        marks.update(col + i for i, c in enumerate(new) if chars[col + i] != c or styles[col + i] != sid)
        chars[col:end] = new
        styles[col:end] = new_styles

    def _cut_wide(self, row: int, start: int, end: int) -> None:
        """Note the other half of a wide character half overwritten at either edge of
        ``start:end``, unless this frame writes it too."""
        chars = self.chars[row]
        if start > 0 and chars[start] == "":
            self._cut.add((row, start - 1))
        if end < len(chars) and chars[end] == "" and _wide(chars[end - 1]):
            self._cut.add((row, end))

    def _write(self, changed: dict[int, set[int]], cursor: tuple[int, int] | None, controls: list[str]) -> str:
        out: list[str] = []
        shown = PLAIN
        for row in sorted(changed):
            marks = sorted(changed[row])
            if not marks:
                continue
            chars, styles = self.chars[row], self.styles[row]
            runs: list[list[int]] = [[marks[0], marks[0]]]  # changed cells, joined across short known gaps
            for c in marks[1:]:
                last = runs[-1][1]
                if c - last <= GAP and None not in chars[last + 1 : c]:
                    runs[-1][1] = c
                else:
                    runs.append([c, c])
            for start, end in runs:
                if chars[start] == "" and start > 0 and chars[start - 1] is not None:
                    start -= 1  # a wide character is written from its left half
                while start <= end and chars[start] == "":
                    start += 1  # a right half alone cannot be written
                if start > end:
                    continue
                out.append(f"\x1b[{row + 1};{start + 1}H")
                at = start
                for sid, same in groupby(styles[start : end + 1]):
                    count = len(list(same))
                    text = "".join(chars[at : at + count])  # type: ignore[arg-type]
                    style = self.known_styles[sid]
                    if not text.strip(" "):
                        style = as_blank(shown, style)
                    out.append(change(shown, style))
                    shown = style
                    out.append(text)
                    at += count
        if shown != PLAIN:
            out.append(change(shown, PLAIN))
        if cursor is not None and (out or controls or (self.visible and cursor != self.cursor)):
            out.append(f"\x1b[{cursor[0] + 1};{cursor[1] + 1}H")
            self.cursor = cursor
        out.extend(controls)
        return "".join(out)
