"""Reading a file's structure (JSON, CSV) so that no file, however made, gets further
than one sentence: nesting beyond what a parser follows, a CSV field larger than the
reader takes, a broken quote."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from okrate_tui.core.errors import ValidationError

T = TypeVar("T")
FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters: far beyond any field Okrate keeps


def json_document(text: str) -> Any:
    """The JSON value ``text`` holds, or :class:`ValidationError` saying why it is none."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError.single("file", f"is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise ValidationError.single(
            "file", "is nested too deeply to read (lists or objects inside each other hundreds of levels down)"
        ) from None


def _refused(exc: csv.Error, line: int) -> ValidationError:
    message = str(exc)
    if "field larger than field limit" in message:
        return ValidationError.single(
            "file",
            f"line {line:,} has a field longer than {FIELD_LIMIT:,} characters; no field Okrate keeps is that long",
        )
    return ValidationError.single("file", f"is not a CSV Okrate can read (line {line:,}: {message})")


def csv_rows(reader: Iterable[T], where: Any = None) -> Iterator[T]:
    """The rows of a ``csv`` reader, its errors turned into one sentence each."""
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _refused(exc, getattr(where or reader, "line_num", 0)) from None
        yield row


def csv_header(reader: csv.DictReader) -> list[str]:
    """The header of a ``DictReader`` (read on first use), its errors as one sentence."""
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise _refused(exc, reader.line_num) from None
