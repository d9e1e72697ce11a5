"""The terminal shows exactly the same after lean output as after Textual's own."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from okrate_tui.ui.damage import ScreenCopy
from okrate_tui.ui.sgr import lean
from tests.ui.terminal_cells import looks

SIZE = (24, 6)
STYLES = ["", "1", "2", "7", "1;7", "3;4", "38;5;17", "48;5;233", "1;38;5;253;48;5;17", "38;2;10;20;30;48;2;1;2;3"]
# styles whose foreground shows on a blank: a scrollbar thumb, a text cursor, a line
STYLES += ["7;38;5;23;48;5;233", "1;7;38;5;253", "4;38;5;160", "9;38;2;200;0;0;48;5;17"]
TEXTS = st.text(alphabet="ab │▕…█日本🚀 ", min_size=1, max_size=8)


def segment(style: str, text: str) -> str:
    """What Textual writes for one run of text."""
    return f"\x1b[{style}m{text}\x1b[0m" if style else text


@st.composite
def frames(draw: st.DrawFn) -> str:
    """A frame as Textual writes it: lines placed by cursor moves, runs of styled text."""
    cols, rows = SIZE
    out = []
    for _ in range(draw(st.integers(1, 5))):
        row, col = draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1))
        out.append(f"\x1b[{row + 1};{col + 1}H")
        for _ in range(draw(st.integers(1, 4))):
            text = draw(TEXTS)
            width = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
            if col + width > cols:
                break
            out.append(segment(draw(st.sampled_from(STYLES)), text))
            col += width
        if draw(st.booleans()):
            out.append("\r\n")
    out.append(f"\x1b[{draw(st.integers(1, rows))};{draw(st.integers(1, cols))}H")
    return "".join(out)


def terminal() -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(*SIZE)
    return screen, pyte.Stream(screen)


def same(a: pyte.Screen, b: pyte.Screen, *, exact: bool = False) -> bool:
    cols, rows = SIZE
    show = tuple if exact else looks
    cells = all(show(a.buffer[y][x]) == show(b.buffer[y][x]) for y in range(rows) for x in range(cols))
    return cells and (a.cursor.x, a.cursor.y) == (b.cursor.x, b.cursor.y)


@settings(max_examples=300, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=6))
def test_only_changes_are_written_and_the_screen_is_the_same(sequence: list[str]) -> None:
    (raw, raw_in), (fed, fed_in) = terminal(), terminal()
    copy = ScreenCopy()
    for frame in sequence:
        raw_in.feed(frame)
        fed_in.feed(copy.frame(frame, SIZE))
        assert same(raw, fed)


@settings(max_examples=300, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=3))
def test_lean_styles_show_the_same(sequence: list[str]) -> None:
    (raw, raw_in), (fed, fed_in) = terminal(), terminal()
    for frame in sequence:
        raw_in.feed(frame)
        fed_in.feed(lean(frame))
        assert same(raw, fed, exact=True)
        assert raw.cursor.attrs == fed.cursor.attrs


def test_a_frame_that_changes_nothing_writes_nothing() -> None:
    frame = "\x1b[1;1H\x1b[1;38;5;253;48;5;17m Okrate \x1b[0m\x1b[48;5;233m    \x1b[0m\x1b[2;3H"
    copy = ScreenCopy()
    assert "Okrate" in copy.frame(frame, SIZE)
    assert copy.frame(frame, SIZE) == ""
    assert copy.frame(frame.replace("2;3H", "2;4H"), SIZE) == "\x1b[2;4H"  # a cursor on show moves
    copy.frame("\x1b[?25l", SIZE)
    assert copy.frame(frame.replace("2;3H", "2;5H"), SIZE) == ""  # a hidden one need not


def test_one_changed_word_is_all_that_is_written() -> None:
    before = "\x1b[3;1H\x1b[38;5;253mTo do 28   Doing 15\x1b[0m\x1b[48;5;233m    Blocked 3   Done 21\x1b[0m"
    after = before.replace("28", "27").replace("15", "16")
    copy = ScreenCopy()
    copy.frame(before, (60, 6))
    written = copy.frame(after, (60, 6))
    assert "To do" not in written and "7" in written and "6" in written
    assert len(written) < len(after) / 2


def test_a_new_size_or_a_cleared_screen_writes_everything_again() -> None:
    frame = "\x1b[1;1H\x1b[7mhello\x1b[0m"
    copy = ScreenCopy()
    copy.frame(frame, SIZE)
    assert "hello" in copy.frame(frame, (30, 6))  # the terminal changed size
    assert "hello" not in copy.frame(frame, (30, 6))
    copy.frame("\x1b[2J", (30, 6))  # something the copy does not follow
    assert "hello" in copy.frame(frame, (30, 6))


def test_style_changes_say_only_what_changed() -> None:
    text = "\x1b[38;5;1;48;5;233mab\x1b[0m\x1b[38;5;2;48;5;233mcd\x1b[0m\x1b[38;5;2;48;5;233mef\x1b[0m"
    assert lean(text) == "\x1b[38;5;1;48;5;233mab\x1b[38;5;2mcdef\x1b[0m"


def test_a_reversed_blank_shows_its_own_foreground() -> None:
    """Reverse video paints a blank in its foreground: a scrollbar thumb after a coloured
    word keeps the thumb's colour, and a cursor with no colour of its own is painted in the
    terminal's default foreground, not in the colour the word before it left."""
    word = "\x1b[1;1H\x1b[38;5;160;48;5;233mword\x1b[0m"
    thumb = "\x1b[38;5;23;48;5;233;7m \x1b[0m"
    cursor = "\x1b[7m \x1b[0m"
    (raw, raw_in), (fed, fed_in) = terminal(), terminal()
    copy = ScreenCopy()
    for frame in (word, word + thumb + cursor):
        raw_in.feed(frame)
        fed_in.feed(copy.frame(frame, SIZE))
    assert looks(fed.buffer[0][4]) == looks(raw.buffer[0][4])
    assert (fed.buffer[0][4].fg, fed.buffer[0][4].reverse) == ("005f5f", True)
    assert (fed.buffer[0][5].fg, fed.buffer[0][5].reverse) == ("default", True)
