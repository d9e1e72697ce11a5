"""Search that ranks: how well a typed query matches a text, best first.

Every word of the query must match, ignoring case, accents and punctuation. A word
matches, from best to loosest: the whole name (exact), a whole word, the start of a
word, any part of a word, or the initials of the name ("mma" for "Mid-Market
Accounts"). Initials are kept tight: each run of typed letters must start a word of the
name and follow it letter by letter, so four letters never match letters scattered
across a long title.

A text's first line is its name (a task's title, a picker's label); later lines (an
objective, search words) match as words and parts, never as exact or initials.

Texts are compared in a prepared form (:func:`prepare`): folded, every run of
punctuation a space, each part padded with spaces, so that every test but initials is
a plain substring test: " plan " is a whole word, " plan" a word start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from okrate_tui.core.text import fold

NONE, INITIALS, PART, PREFIX, WORD, EXACT = range(6)
TIER_NAMES = {EXACT: "exact", WORD: "whole word", PREFIX: "word start", PART: "part of a word", INITIALS: "initials"}

_NON_WORD = re.compile(r"(?:[^\w\n]|_)+")  # line breaks stay: the first one ends the name
# ASCII text is prepared byte by byte: letters lowered, digits kept, a line break kept,
# everything else a space (several times faster than a regular expression).
_ASCII = bytes(ord(chr(b).lower()) if b < 128 and chr(b).isalnum() else (b if b == 10 else 32) for b in range(256))
_ASCII_KEEP_NUL = b"\0" + _ASCII[1:]  # a NUL separates texts prepared together


def _spaced(text: str) -> str:
    """Folded, every character that is not a letter or digit a space."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII).decode("ascii")
    return _NON_WORD.sub(" ", fold(text))


def prepare_many(texts: Sequence[str]) -> list[str]:
    """:func:`prepare` of many texts: ASCII ones in a few passes over them all joined
    (a board's worth of titles in a fraction of the time one by one)."""
    joined = " \0 ".join(texts)
    if texts and joined.isascii() and joined.count("\0") == len(texts) - 1:  # no text holds a NUL itself
        return _prepare_joined(joined)
    plain = [index for index, text in enumerate(texts) if text.isascii() and "\0" not in text]
    out = [text if text.isascii() and "\0" not in text else prepare(text) for text in texts]
    if plain:
        for index, text in zip(plain, _prepare_joined(" \0 ".join(texts[i] for i in plain)), strict=True):
            out[index] = text
    return out


def _prepare_joined(joined: str) -> list[str]:
    spaced = f" {joined} ".encode("ascii").translate(_ASCII_KEEP_NUL).decode("ascii")
    return spaced.replace("\n", " \n ").split("\0")


def prepare(text: str) -> str:
    """A text in the form :meth:`Query.score` compares: folded, punctuation as spaces,
    padded with a space at each end and around each line break (the first ends the
    name): ``" draft the launch email \n an email that gets a 30  open rate  "``."""
    return " " + _spaced(text).replace("\n", " \n ") + " "


class _Word:
    """One typed word, with what every test needs worked out once."""

    __slots__ = ("first", "first_two", "later", "letters", "prefix", "second", "text", "whole")

    def __init__(self, text: str):
        self.text = text  # prepared: letters and digits, runs joined by single spaces
        self.prefix = f" {text}"
        self.whole = f" {text} "
        self.letters = text.replace(" ", "")
        self.first = f" {self.letters[0]}"
        self.first_two = f" {self.letters[:2]}"
        self.second = f" {self.letters[1:2]}"
        # The letters after the second, in order: each step skips only what is not its
        # letter, so the test never backtracks.
        self.later = re.compile("".join(f"[^{re.escape(c)}]*{re.escape(c)}" for c in self.letters[2:]))

    def tier(self, text: str, name_end: int) -> int:
        if self.text in text:
            if self.whole in text:
                return WORD
            return PREFIX if self.prefix in text else PART
        if len(self.letters) < 2:
            return NONE  # one letter at a word start would be a word-start match
        start = text.find(self.first, 0, name_end)
        if start < 0:
            return NONE
        if text.find(self.first_two, start, name_end) < 0 and text.find(self.second, start + 2, name_end) < 0:
            return NONE  # the second letter neither follows the first nor starts a later word
        if not self.later.match(text, start + 2, name_end):
            return NONE
        return INITIALS if initials(self.letters, text[:name_end].split()) else NONE


def initials(letters: str, words: Sequence[str]) -> bool:
    """Whether ``letters`` split into runs that each begin a later word of ``words``
    ("mima" = "mi" + "ma" in "mid market accounts")."""
    goal = len(letters)
    reached = {0}  # how many letters the words so far can account for
    for word in words:
        grown = set()
        for start in reached:
            k = 0
            while start + k < goal and k < len(word) and letters[start + k] == word[k]:
                k += 1
                grown.add(start + k)
        if goal in grown:
            return True
        reached |= grown
    return False


class Query:
    """A typed query, prepared once; :meth:`score` rates one text. Words with no letter
    or digit in them (a lone "-") are left out."""

    __slots__ = ("letters", "phrase", "words")

    def __init__(self, text: str):
        words = (" ".join(_spaced(word).split()) for word in text.split())
        self.words = tuple(_Word(w) for w in words if w)
        self.phrase = " ".join(w.text for w in self.words)
        self.letters = len(self.phrase) - self.phrase.count(" ")

    def __bool__(self) -> bool:
        return bool(self.words)

    def score(self, text: str, *, prepared: bool = False) -> int:
        """How well ``text`` matches: EXACT, WORD, PREFIX, PART or INITIALS, or NONE (0).
        ``prepared``: the text went through :func:`prepare` already."""
        if not self.words:
            return PART
        if not prepared:
            text = prepare(text)
        name_end = _name_end(text)
        best = WORD
        for word in self.words:
            tier = word.tier(text, name_end)
            if tier == NONE:
                return NONE
            if tier < best:
                best = tier
        return EXACT if best == WORD and self._exact(text) else best

    def scores(self, texts: Sequence[str]) -> list[int]:
        """:meth:`score` of many prepared texts at once (a board's worth: the common
        tests run inline, without a call per text)."""
        if not self.words:
            return [PART] * len(texts)
        out: list[int] = []
        for number, word in enumerate(self.words):
            part, prefix, whole, first, tier = word.text, word.prefix, word.whole, word.first, word.tier
            loose = len(word.letters) >= 2
            got = [
                (WORD if whole in t else PREFIX if prefix in t else PART)
                if part in t
                else tier(t, _name_end(t))
                if loose and first in t
                else NONE
                for t in texts
            ]
            out = got if number == 0 else [a if a < b else b for a, b in zip(out, got, strict=True)]
        if WORD in out:
            starts = self.words[0].whole
            for index in [i for i, tier_of in enumerate(out) if tier_of == WORD and texts[i].startswith(starts)]:
                if self._exact(texts[index]):
                    out[index] = EXACT
        return out

    def _exact(self, text: str) -> bool:
        end = _name_end(text)
        if end - text.count(" ", 0, end) != self.letters:
            return False  # more (or fewer) letters than the query has: another name
        return " ".join(text[:end].split()) == self.phrase


def _name_end(text: str) -> int:
    end = text.find("\n")
    return len(text) if end < 0 else end


def score(query: str | Query, text: str) -> int:
    """How well ``text`` matches ``query`` (0: not at all)."""
    return (query if isinstance(query, Query) else Query(query)).score(text)


def rank(query: str | Query, texts: Sequence[str], *, prepared: bool = False) -> list[int]:
    """The indexes of the texts that match, best first; equals keep their order.
    ``prepared``: the texts went through :func:`prepare` already."""
    wanted = query if isinstance(query, Query) else Query(query)
    tiers = wanted.scores(texts if prepared else [prepare(text) for text in texts])
    scored = [(-tier, index) for index, tier in enumerate(tiers) if tier]
    scored.sort()
    return [index for _, index in scored]
