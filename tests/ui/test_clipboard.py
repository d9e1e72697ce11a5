"""y copies what is selected: a task card, a goal, a key result as one line; a review
packet or a one-on-one as the same Markdown the commands export."""

from __future__ import annotations

from datetime import date

from okrate_tui.core import clock
from okrate_tui.core.models import Goal, Milestone, OneOnOne, Person, Task
from okrate_tui.core.queries.board import Card, Labels
from okrate_tui.core.reports import meeting_text, packet_text
from okrate_tui.core.services.people import find_person
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.ui.clipboard import card_line, preview
from okrate_tui.ui.screens.review_workspace import ReviewWorkspace
from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import board, open_board
from tests.ui.test_goal_parts import part_to
from tests.ui.test_goals_pane import cursor_title
from tests.ui.test_review_pane import open_review, to_person


def test_a_card_is_one_line_with_its_goal_and_milestone() -> None:
    labels = Labels({7: "ben"}, {1: "Orion", 2: "Launch"}, {1: None, 2: 1}, milestones={5: "Beta"})
    card = Card(42, "Write beta docs", "doing", "high", date(2026, 12, 4), 7, 1, 1.0, None, 1, "", 5)
    assert card_line(card, labels) == "#42 Write beta docs · @ben · due 2026-12-04 · high · Doing · Orion › Beta"
    bare = Card(43, "Tidy up", "todo", None, None, None, 2, 2.0, None, 1, "")
    assert card_line(bare, labels) == "#43 Tidy up · no owner · To do · Orion › Launch"


def test_the_notice_shows_the_first_line_shortened() -> None:
    assert preview("# Review packet: 2026 Q4\n\nmore\n") == "Review packet: 2026 Q4 (3 lines)"
    assert preview("x" * 100, width=10) == "xxxxxxxxx…"


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_y_on_the_board_copies_the_card(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("y")
        await settle(pilot)
        task = Task.get_by_id(card.id)
        assert app.clipboard.startswith(f"#{task.id} {task.title} · ")
        assert app.clipboard == card_line(card, app.session.labels)
        last = Milestone.get_by_id(task.milestone_id).title if task.milestone_id else Goal.get_by_id(task.goal).title
        assert app.clipboard.endswith(last)
        assert f"Copied: #{task.id} " in notices(app)[-1]
        assert "board.copy" in {b.id for _, rows in app.help_sections() for _, b in rows}  # the help lists it
        assert "Copy" in {c.title for c in app.get_system_commands(app.screen)}  # and the palette


async def test_y_in_the_goals_pane_copies_the_goal_or_the_part_under_the_cursor(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: cursor_title(a) is not None)
        await pilot.press("y")
        await settle(pilot)
        goal = Goal.get(Goal.title == cursor_title(app))
        line = app.session.tree.line(goal.id)
        status = GOAL_STATUS_LABELS[line.status]
        assert app.clipboard == f"{goal.title} · @{goal.owner.handle} · {round(line.progress * 100)}% · {status}"

        detail = app.screen.query_one("#goal-detail").detail
        kr = detail.key_results[0]
        await part_to(pilot, f"kr:{kr.id}")
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard.startswith(f"{kr.title} · @{goal.owner.handle} · {round(kr.progress * 100)}% (")
        assert app.clipboard.endswith(f" · {goal.title}")


async def test_y_in_a_review_copies_the_packet_the_report_command_writes(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="devon")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")
        await pilot.press("y")
        await settle(pilot)
        devon, jonas = find_person("devon"), find_person("jonas")
        packet = packet_text(devon, app.cycle.id, clock.today(), jonas.id)
        assert app.clipboard == packet and "## Jonas" in packet
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space is not None)
        app.copy_to_clipboard("")
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == packet
        assert notices(app)[-1].startswith("Copied: Review packet: ")


async def test_y_in_a_one_on_one_copies_its_notes(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="devon")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")
        await pilot.press("o")
        await settle(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.meeting is not None)
        await pilot.press("y")
        await settle(pilot)
        meeting = OneOnOne.get_by_id(app.screen.meeting.id)
        devon = Person.get(Person.handle == "devon")
        assert app.clipboard == meeting_text(devon, meeting.id, clock.today())
        assert app.clipboard.startswith("# One-on-one: @devon and @jonas")
