"""Text people typed, made safe to place in Markdown: it reads as the words they wrote,
never as emphasis, code, a link, a heading, a quote or a list."""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[])")
_LEADING_MARK = re.compile(r"^(\s*)([#>+-])")
_LEADING_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def escape(text: object) -> str:
    """``text`` with Markdown's inline marks backslash-escaped, and a leading ``#``, ``>``,
    ``-``, ``+`` or ``1.`` on any line made literal. Line breaks stay."""
    lines = []
    for line in str(text).split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _LEADING_MARK.sub(r"\1\\\2", line, count=1)
        line = _LEADING_NUMBER.sub(r"\1\\\2", line, count=1)
        lines.append(line)
    return "\n".join(lines)
