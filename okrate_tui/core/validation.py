"""Field validators shared by services, the CLI and the forms.

Each ``clean_*``/``parse_*`` function returns the cleaned value or raises
``ValueError`` with a message that makes sense beside the field.
:class:`Checker` gathers those messages per field into one :class:`ValidationError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar, overload

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.grammar import HANDLE_RE, RESERVED_HANDLES
from okrate_tui.core.grammar import parse_date as parse_date  # the one date grammar, shared
from okrate_tui.core.text import control_chars, echo

T = TypeVar("T")

TITLE_MAX = 200
NAME_MAX = 80
TEXT_MAX = 20_000
NOTE_MAX = 2_000
# The largest id (and version) any backend stores: PostgreSQL's integer columns hold 2³¹ − 1.
ID_MAX = 2**31 - 1
_ALLOWED_CONTROLS = {"\n", "\t"}


def _check_text(value: Any, *, limit: int, multiline: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError("must be text")
    # several lines: a CR (alone or before LF) is the line break it means; one line: named as typed
    text = value.replace("\r\n", "\n").replace("\r", "\n") if multiline else value.strip()
    refuse_hidden(text, multiline=multiline)
    if len(text) > limit:
        raise ValueError(f"is too long ({len(text):,} characters; at most {limit:,})")
    return text.strip() if multiline else text


def refuse_hidden(text: str, *, multiline: bool) -> None:
    """The rule every stored text meets: no character that hides text or drives a terminal
    (line breaks and tabs are fine where text may span lines)."""
    bad = control_chars(text, _ALLOWED_CONTROLS if multiline else ())
    if bad:
        shown = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad})[:3])
        kind = "control characters" if multiline else "line breaks or control characters"
        raise ValueError(f"contains {kind} ({shown})")


def clean_title(value: Any, limit: int = TITLE_MAX) -> str:
    """A one-line, non-empty title."""
    text = _check_text(value, limit=limit, multiline=False)
    if not text:
        raise ValueError("must not be empty")
    return text


def clean_optional_line(value: Any, limit: int = NAME_MAX) -> str:
    """A one-line value that may be empty (a unit, say)."""
    return _check_text(value, limit=limit, multiline=False)


def clean_text(value: Any, limit: int = TEXT_MAX) -> str:
    """Free text that may span lines (descriptions, notes); may be empty."""
    return _check_text(value, limit=limit, multiline=True)


def id_of(text: str) -> int | None:
    """The id ``text`` spells in ASCII digits (beyond :data:`ID_MAX` if it is larger
    than any id: no record has it), or None when it is not a number at all."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= 12 else ID_MAX + 1


def parse_id(value: Any, what: str = "an id", *, least: int = 1) -> int:
    """A record's id (or version): a whole number from ``least`` (1) to :data:`ID_MAX`."""
    if isinstance(value, bool):
        raise ValueError(f"is not {what}")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"'{echo(text, 40)}' is not {what}")
        if len(text) > 12:
            raise ValueError(f"'{echo(text, 40)}' is too large for {what} (at most {ID_MAX:,})")
        number = int(text)
    if number < least:
        raise ValueError(f"{number} is not {what} (they start at {least})")
    if number > ID_MAX:
        raise ValueError(f"{number:,} is too large for {what} (at most {ID_MAX:,})")
    return number


def clean_handle(value: Any) -> str:
    """A person's login-like handle: lower-case letters, digits, '.', '_' or '-'."""
    text = _check_text(value, limit=64, multiline=False).lstrip("@").lower()
    if not text:
        raise ValueError("must not be empty")
    if not HANDLE_RE.match(text):
        raise ValueError(
            f"'{text[:40]}' is not a handle (1–32 of a–z, 0–9, '.', '_', '-'; starting with a letter or digit)"
        )
    if text in RESERVED_HANDLES:
        raise ValueError(f"'{text}' cannot be a handle: typing an owner, 'me' means yourself and 'none' nobody")
    return text


@overload
def parse_choice(value: Any, options: Iterable[str], *, optional: Literal[False] = False) -> str: ...
@overload
def parse_choice(value: Any, options: Iterable[str], *, optional: bool) -> str | None: ...
def parse_choice(value: Any, options: Iterable[str], *, optional: bool = False) -> str | None:
    """One of ``options`` (case-insensitive); empty gives ``None`` when optional."""
    choices = list(options)
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValueError(f"must be one of {', '.join(choices)}")
    text = str(value).strip().lower().replace(" ", "_")
    if text not in choices:
        raise ValueError(f"'{str(value)[:40]}' is not one of {', '.join(choices)}")
    return text


_SCALES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(value: Any, *, optional: bool = False) -> float | None:
    """A finite number, written as the app shows numbers: ``1200``, ``1,200`` (a comma
    groups thousands, by three), ``1_200``, ``2.2M``, ``1.2k``, ``3B``. A decimal comma
    (``1,5``) is refused with the way to write it, never read as fifteen."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValueError("must be a number")
    if isinstance(value, bool):
        raise ValueError("must be a number")
    number = float(value) if isinstance(value, int | float) else _typed_number(str(value))
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    if abs(number) > 1e15:
        raise ValueError("is too large")
    return number


def _comma_sentence(value: str, digits: str, suffix: str) -> str:
    """Why a number with a comma that does not group thousands is refused, and how to
    write what was probably meant (``1,5`` → 1.5; ``1.200,5`` → 1200.5)."""
    shown = echo(value.strip()[:40])
    european = re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})*,\d+", digits)
    if european:
        meant = digits.replace(".", "").replace(",", ".")
        meant = re.sub(r"^([+-]?)\.", r"\g<1>0.", meant) + suffix
        return f"'{shown}' has a decimal comma: write {meant} (a comma only groups thousands, as in 1,200)"
    return f"'{shown}' is not a number: a comma groups thousands by three, as in 1,200"


def _typed_number(value: str) -> float:
    text = value.strip().replace("_", "")
    scale = _SCALES.get(text[-1:], 1.0) if len(text) > 1 else 1.0
    digits = text[:-1].rstrip() if scale != 1.0 else text
    if "," in digits:
        if not _GROUPED.fullmatch(digits):
            raise ValueError(_comma_sentence(value, digits, text[-1] if scale != 1.0 else ""))
        digits = digits.replace(",", "")
    try:
        number = float(digits)
    except ValueError:
        raise ValueError(f"'{echo(value.strip()[:40])}' is not a number") from None
    return number * scale


def parse_weight(value: Any) -> float:
    """A positive weight, at most 1000."""
    number = parse_number(value)
    assert number is not None
    if not 0 < number <= 1000:
        raise ValueError("must be greater than 0 and at most 1000")
    return number


def parse_confidence(value: Any) -> float | None:
    """A confidence between 0 and 1; accepts '0.7', '70%', '7/10', or '70' (a whole
    number above 1 and up to 100 is a percentage)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("%"):
                number = float(text[:-1]) / 100
            elif "/" in text:
                top, bottom = text.split("/", 1)
                number = float(top) / float(bottom)
            else:
                number = float(text)
                if 1 < number <= 100 and number.is_integer():
                    number /= 100  # people type 70 and mean 70%
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"'{text[:40]}' is not a confidence (use 0.7, 70% or 7/10)") from None
    else:
        number = float(value)
    if not (math.isfinite(number) and 0 <= number <= 1):
        raise ValueError("must be between 0 and 1 (or 0% and 100%)")
    return number


def parse_rating(value: Any) -> int | None:
    """A rating from 1 to 5, or empty for none."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"'{str(value)[:40]}' is not a rating from 1 to 5") from None
    if not 1 <= number <= 5:
        raise ValueError("must be from 1 to 5")
    return number


class Checker:
    """Collects field errors, then raises them together.

    >>> check = Checker()
    >>> title = check("title", clean_title, raw_title)
    >>> check.done()   # raises ValidationError if any field failed
    """

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, field: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except ValueError as exc:
            self.errors.setdefault(field, str(exc))
            return None  # type: ignore[return-value]

    def fail(self, field: str, message: str) -> None:
        """Record an error found by a rule outside the validators."""
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
