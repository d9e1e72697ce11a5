"""What a controller answers a view: the sentence to show and what to draw again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Severity = Literal["information", "warning", "error"]


class Notifier(Protocol):
    def notify(self, message: str, *, title: str = ..., severity: Severity = ..., timeout: float | None = ...) -> None:
        """Show a notification (a Textual widget or app)."""


@dataclass(frozen=True)
class Notice:
    """A sentence for the person."""

    text: str
    title: str = ""
    severity: Severity = "information"
    timeout: float | None = None

    def tell(self, target: Notifier) -> None:
        target.notify(self.text, title=self.title, severity=self.severity, timeout=self.timeout)


@dataclass(frozen=True)
class Outcome:
    """After a change: the parts to draw again (``touched``: those columns or rows; None:
    everything), a sentence, and the record to select (when it should move there)."""

    touched: set[str] | None = None
    notice: Notice | None = None
    select: int | None = None
