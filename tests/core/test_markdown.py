"""What people type reads as their words in Markdown packets and notes, never as markup."""

from __future__ import annotations

import pytest

from okrate_tui.core.markdown import escape
from okrate_tui.core.models import OneOnOne
from okrate_tui.core.reports import cycle_packet, one_on_one_markdown, packet_markdown
from okrate_tui.core.services import goals, tasks
from okrate_tui.core.services import reviews as svc
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("*Ship* the _beta_", r"\*Ship\* the \_beta\_"),
        ("Run `make` [docs](x)", r"Run \`make\` \[docs](x)"),
        ("# not a heading", r"\# not a heading"),
        ("> not a quote", r"\> not a quote"),
        ("- not a list", r"\- not a list"),
        ("+ not a list", r"\+ not a list"),
        ("2. not numbered", r"2\. not numbered"),
        ("a \\ b", r"a \\ b"),
        ("Ship 2.0 in Q4 - fast", "Ship 2.0 in Q4 - fast"),
        ("first\n# second\n  - third", "first\n\\# second\n  \\- third"),
    ],
)
def test_escape(typed: str, written: str) -> None:
    assert escape(typed) == written


def test_the_review_packet_escapes_titles(org) -> None:
    goals.edit_goal(org.admin, org.child.id, None, title="# Win *big* accounts_now")
    tasks.create_task(org.admin, "- [ ] `fix` the export", goal=org.child.id, owner="max", status="done")
    text = packet_markdown(cycle_packet(org.admin, org.cycle, TODAY, org.boss))
    assert r"- **\# Win \*big\* accounts\_now**:" in text
    assert r"\- \[ ] \`fix\` the export (\# Win \*big\* accounts\_now)" in text
    assert "*big*" not in text.replace(r"\*big\*", "")


def test_one_on_one_notes_escape_points_and_notes(org) -> None:
    meeting = svc.start_one_on_one(org.boss, "mia")
    svc.add_talking_point(org.boss, meeting.id, "1. *budget* for [travel]")
    svc.edit_notes(org.boss, meeting.id, None, "> quoted?\n## not a heading\nplain")
    text = one_on_one_markdown(org.boss, OneOnOne.get_by_id(meeting.id), TODAY)
    assert r"- [ ] 1\. \*budget\* for \[travel]" in text
    assert "## Notes\n\\> quoted?\n\\## not a heading\nplain" in text
