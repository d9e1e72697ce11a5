"""The one rule for text: hidden characters refused on the way in, shown as ``U+…`` on
the way out; emoji with joiners, Persian's ZWNJ, CJK and flags kept as typed."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrate_tui.cli.output import Harmless, json_text, table
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.imports.reading import csv_rows, json_document
from okrate_tui.core.sshkeys import parse
from okrate_tui.core.text import control_chars, echo, one_line, visible
from okrate_tui.core.validation import ID_MAX, clean_text, clean_title, id_of, parse_id
from tests.hostile import HOSTILE, KEPT, MULTILINE_OK, SURROGATE

ANY_TEXT = st.text(st.characters(codec=None), max_size=60)


@given(ANY_TEXT)
def test_shown_text_never_holds_a_hidden_character(text: str) -> None:
    shown = visible(text)
    assert not control_chars(shown, "\n\t")
    assert not control_chars(one_line(text))
    assert "\n" not in one_line(text)
    assert visible(shown) == shown  # showing twice changes nothing


@given(ANY_TEXT)
def test_clean_text_is_shown_as_it_is(text: str) -> None:
    if not control_chars(text, "\n\t"):
        assert visible(text) == text


@given(ANY_TEXT)
def test_typed_text_is_stored_only_when_it_holds_nothing_hidden(text: str) -> None:
    try:
        stored = clean_title(text)
    except ValueError:
        return
    assert not control_chars(stored) and 0 < len(stored) <= 200


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_hostile_string_is_refused_with_a_sentence(name: str) -> None:
    with pytest.raises(ValueError, match=r"control characters \(U\+|too long"):
        clean_title(HOSTILE[name])
    if name not in MULTILINE_OK:
        with pytest.raises(ValueError, match=r"control characters \(U\+|too long"):
            clean_text(HOSTILE[name])
    with pytest.raises(ValueError):
        clean_title(SURROGATE)


@pytest.mark.parametrize("name", list(KEPT))
def test_emoji_persian_cjk_and_flags_are_kept_and_shown_as_typed(name: str) -> None:
    text = KEPT[name]
    assert clean_title(text) == text and clean_text(text) == text
    assert visible(text) == text and one_line(text) == text


def test_an_emoji_newer_than_these_tables_is_kept_and_stray_tags_are_not() -> None:
    assert not control_chars("moose \U0001face")  # unassigned here, an emoji block all the same
    assert control_chars("a\U000e0041b")  # a tag character outside a flag hides text
    assert control_chars("🏴\U000e0067\U000e0062")  # a flag's tags without their end


def test_shown_and_echoed_forms() -> None:
    assert visible("a\x1b]0;x\x07b") == "aU+001B]0;xU+0007b"
    assert visible("one\ntwo\tthree\rfour") == "one\ntwo\tthreeU+000Dfour"
    assert one_line("one\ntwo\tthree") == "one two three"
    assert visible(SURROGATE) == "aU+D800b"
    assert echo("\u202eevil" * 20, 12) == "U+202EevilU…"


def test_ids_beyond_any_database_are_refused_with_a_sentence() -> None:
    assert parse_id("42") == 42 and parse_id(ID_MAX) == ID_MAX
    for text in ("99999999999999999999999", str(2**63), str(ID_MAX + 1), "9" * 5000):
        with pytest.raises(ValueError, match="too large"):
            parse_id(text)
    for text in ("0", "-1", "²", "١٢", "4.0", "", " "):
        with pytest.raises(ValueError):
            parse_id(text)
    assert id_of("²") is None and id_of("12") == 12 and id_of("9" * 5000) == ID_MAX + 1


def test_too_deep_json_and_too_long_csv_fields_are_one_sentence() -> None:
    with pytest.raises(ValidationError, match="nested too deeply"):
        json_document("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValidationError, match="longer than 131,072 characters"):
        import csv

        list(csv_rows(csv.reader(io.StringIO("a\n" + "b" * 200_000 + "\n"))))


@given(st.recursive(st.none() | st.booleans() | st.integers() | ANY_TEXT, lambda inner: st.lists(inner, max_size=3)))
def test_json_for_the_terminal_keeps_the_data_and_hides_nothing(value: object) -> None:
    text = json_text(value)
    assert not control_chars(text, "\n")
    assert json.loads(text) == value


def test_a_command_prints_hidden_characters_visibly_and_tables_stay_aligned(capsys: pytest.CaptureFixture) -> None:
    stream = io.StringIO()
    out = Harmless(stream)
    out.write("title \x1b]0;pwned\x07 and \u202e\r\nnext\n")
    assert stream.getvalue() == "title U+001B]0;pwnedU+0007 and U+202E\r\nnext\n"
    table([(1, "a\x1b[2Jb"), (22, "日本語")], ("id", "title"))
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "1   aU+001B[2Jb"
    assert lines[2] == "22  日本語"


def test_a_key_comment_meets_the_rule() -> None:
    import base64
    import struct

    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    blob = base64.b64encode(string(b"ssh-ed25519") + string(bytes(32))).decode()
    assert parse(f"ssh-ed25519 {blob} kim@laptop 👩\u200d💻").comment == "kim@laptop 👩\u200d💻"
    for comment in ("a\x1b]0;x\x07", "\u202eevil", "\x9b31m", "x" * 201):
        with pytest.raises(ValidationError):
            parse(f"ssh-ed25519 {blob} {comment}")
