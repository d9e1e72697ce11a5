"""How figures look on screen: bars, percentages, statuses and dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rich.style import Style
from rich.text import Text

from okrate_tui.core.queries.milestones import MilestoneView
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.core.wording import month_day
from okrate_tui.core.wording import plural as plural  # one helper for the core and the screens
from okrate_tui.ui.palette import tone

STATUS_TONE = {
    "on_track": "ok",
    "at_risk": "warning",
    "off_track": "error",
    "done": "done",
    "missed": "error",
    "dropped": "muted",
    "unmeasured": "muted",
}
STATUS_MARK = {
    "on_track": "●",
    "at_risk": "▲",
    "off_track": "■",
    "done": "✓",
    "missed": "✗",
    "dropped": "–",
    "unmeasured": "○",
}
PRIORITY_MARK = {"critical": "!!!", "high": "!!", "medium": "!", "low": "·", None: " "}
PRIORITY_TONE = {"critical": "late", "high": "error", "medium": "warning", "low": "muted", None: ""}
_BLOCKS = " ▏▎▍▌▋▊▉█"


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def bar(share: float, width: int = 10, style: Style | None = None) -> Text:
    """A progress bar drawn with eighth blocks (``style`` defaults to on track's)."""
    share = min(max(share, 0.0), 1.0)
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    body = "█" * full + (_BLOCKS[part] if part and full < width else "")
    return Text.assemble((body, style or tone("ok")), ("·" * (width - len(body)), tone("muted")))


def status_text(status: str) -> Text:
    style = tone(STATUS_TONE.get(status, ""))
    return Text(f"{STATUS_MARK.get(status, '?')} {GOAL_STATUS_LABELS.get(status, status)}", style=style)


def due_text(deadline: date | None, today: date, done: bool = False) -> Text:
    """'Dec 3', 'today', '2d late' … coloured by urgency."""
    if deadline is None:
        return Text("no date", style=tone("muted"))
    days = (deadline - today).days
    label = month_day(deadline)
    if done:
        return Text(label, style=tone("muted"))
    if days < 0:
        return Text(f"{-days}d late", style=tone("late"))
    if days == 0:
        return Text("today", style=tone("urgent"))
    if days <= 3:
        return Text(f"in {days}d", style=tone("warning"))
    return Text(label)


def number(value: float) -> str:
    """12 500 → '12,500'; 0.5 → '0.5'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def compact(value: float) -> str:
    """1,800,000 → '1.8M'; 12,500 → '12.5k' (three significant digits, 999,999 → '1M');
    numbers below 10,000 as :func:`number`. Every form reads back (``parse_number``)."""
    size = abs(value)
    if size < 1e4:
        return number(value)
    for limit, suffix in ((1e3, "k"), (1e6, "M"), (1e9, "B")):
        shown = f"{value / limit:.3g}"
        if abs(float(shown)) < 1000 or suffix == "B":
            return f"{float(shown):g}{suffix}" if "e" not in shown else f"{value / limit:.0f}{suffix}"
    raise AssertionError("unreachable")


def tally(count: int) -> str:
    """A count in at most five cells, readable at any size: 987, 5.9k, 27.4k, 274k, 1.2M."""
    if count < 1000:
        return str(count)
    if count < 99_950:
        return f"{count / 1000:.1f}k"
    if count < 999_500:
        return f"{count / 1000:.0f}k"
    return f"{count / 1e6:.1f}M"


def plain_number(value: float) -> str:
    """A number as a person would type it back: ``2130000``, ``0.75`` (no grouping)."""
    return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def day_label(value: date | datetime | None, empty: str = "—") -> str:
    """``Dec 5``: a day as people say it (portable: no platform-only strftime codes)."""
    return month_day(value) if value is not None else empty


def truncate(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


_SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], top: float | None = None) -> str:
    """Values as a row of block characters (the highest, or ``top``, is a full block)."""
    if not values:
        return ""
    high = top if top is not None else max(values)
    if high <= 0:
        return _SPARKS[0] * len(values)
    return "".join(_SPARKS[min(int(v / high * (len(_SPARKS) - 1) + 0.5), len(_SPARKS) - 1)] for v in values)


def milestone_lines(stones: Sequence[MilestoneView], indent: str = "") -> list[Text]:
    """A goal's milestones in order: reached or not, due, late."""
    if not stones:
        return []
    lines = [Text(f"\n{indent}Milestones", style="bold")] if not indent else []
    for m in stones:
        row = Text(f"{indent}{'✓' if m.done else '○'} {m.title}")
        if m.due is not None:
            row.append(f"  due {day_label(m.due)}", style=tone("error") if m.late else tone("muted"))
        if m.late:
            row.append("  late", style=tone("late"))
        elif not m.done and m.tasks:
            row.append(f"  {m.tasks_done}/{m.tasks} tasks", style=tone("muted"))
        lines.append(row)
    return lines
