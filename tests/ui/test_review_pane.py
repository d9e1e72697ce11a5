"""The cycle review pane and its screens, driven with real keys."""

from __future__ import annotations

from okrate_tui.core.models import Cycle, Goal, KeyResult, Review, TalkingPoint, Task
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.analytics import AnalyticsScreen
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.cycles import CyclesScreen
from okrate_tui.ui.screens.picker import PickerScreen
from okrate_tui.ui.screens.review_workspace import ReviewWorkspace
from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.conftest import SIZE, BoardView, on_main, settle


def review_pane(app):
    return app.screen.query_one("#review")


def on_review(app) -> bool:
    return on_main(app) and bool(review_pane(app).rows)


async def open_review(pilot) -> None:
    await settle(pilot, on_main)
    await pilot.press("3")
    await settle(pilot, on_review)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def to_person(pilot, handle: str) -> None:
    pane = review_pane(pilot.app)
    for _ in range(len(pane.rows)):
        if pane.selected().handle == handle:
            return
        await pilot.press("down")
    raise AssertionError(f"@{handle} is not in the list")


async def test_people_list_follows_who_is_acting(demo_path, make_app) -> None:
    for who, expected in (("maria", 12), ("devon", 4), ("jonas", 1)):
        app = make_app(demo_path, as_handle=who)
        async with app.run_test(size=SIZE) as pilot:
            await open_review(pilot)
            assert len(review_pane(app).rows) == expected


async def test_self_review_draft_submit_and_read_only(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="kim")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space is not None)
        await pilot.press("w")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await type_text(pilot, "4")
        await pilot.press("tab")
        await type_text(pilot, "Shipped the release pipeline")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space.reviews)
        review = Review.get((Review.reviewer == find_person("kim").id) & (Review.cycle == 2))
        assert (review.rating, review.state, review.strengths) == (4, "draft", "Shipped the release pipeline")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await settle(
            pilot,
            lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space.reviews[0].state == "submitted",
        )
        assert Review.get_by_id(review.id).state == "submitted"
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ReviewWorkspace)  # read-only now: no form, and w says why
        assert any(n.message.startswith("Your review is submitted") for n in app._notifications)


async def test_manager_review_and_calibration(demo_path, make_app) -> None:
    devon = make_app(demo_path, as_handle="devon")
    async with devon.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "kim")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space is not None)
        assert devon.screen.space.can_write == ("manager",)
        await pilot.press("w")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace))
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await settle(
            pilot,
            lambda a: (
                isinstance(a.screen, ReviewWorkspace)
                and a.screen.space.reviews
                and a.screen.space.reviews[0].state == "submitted"
            ),
        )
        await pilot.press("k")  # devon may not calibrate his own review of his report
        await settle(pilot)
        assert isinstance(devon.screen, ReviewWorkspace)
    maria = make_app(demo_path, as_handle="maria")
    async with maria.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "kim")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space is not None)
        await pilot.press("k")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "4")
        await pilot.press("tab")
        await type_text(pilot, "Carried the release work alone")
        await pilot.press("ctrl+s")
        await settle(
            pilot,
            lambda a: (
                isinstance(a.screen, ReviewWorkspace)
                and a.screen.space.reviews
                and a.screen.space.reviews[0].state == "calibrated"
            ),
        )
        review = Review.get(
            (Review.reviewee == find_person("kim").id) & (Review.kind == "manager") & (Review.cycle == 2)
        )
        assert (review.rating, review.original_rating, review.calibrated_by_id) == (4, 3, find_person("maria").id)


async def test_one_on_one_walkthrough_then_the_report_sees_the_action_items(demo_path, make_app) -> None:
    devon = make_app(demo_path, as_handle="devon")
    async with devon.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")
        await pilot.press("o")
        await settle(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.goals)
        screen = devon.screen
        seen = {screen.goals[screen.index].title}
        for _ in range(len(screen.goals)):
            await pilot.press("n")
            seen.add(screen.goals[screen.index].title)
        assert len(seen) == len(screen.goals)
        for title in ("Benchmark the cache", "Write up the latency findings"):
            await pilot.press("a")
            await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
            await type_text(pilot, title)
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda a, t=title: (
                    isinstance(a.screen, WalkthroughScreen) and any(p.text == t for p in a.screen.points)
                ),
            )
        await pilot.press("P")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await type_text(pilot, "Ask about the team lead role")
        await pilot.press("ctrl+s")
        await settle(
            pilot,
            lambda a: (
                isinstance(a.screen, WalkthroughScreen)
                and any(p.private and p.text.startswith("Ask about") for p in a.screen.points)
            ),
        )
    jonas_id = find_person("jonas").id
    actions = Task.select().where(Task.title.in_(["Benchmark the cache", "Write up the latency findings"]))
    assert {t.owner_id for t in actions} == {jonas_id} and actions.count() == 2
    jonas = make_app(demo_path, as_handle="jonas")
    async with jonas.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("2")
        await settle(pilot, lambda a: BoardView(a).loaded)
        assert BoardView(jonas).scope.kind == "mine"  # a member's board opens on their own tasks
        titles = {c.title for c in BoardView(jonas).cards}
        assert {"Benchmark the cache", "Write up the latency findings"} <= titles
        await pilot.press("3")
        await settle(pilot, on_review)
    meeting_points = TalkingPoint.select().where(TalkingPoint.text == "Ask about the team lead role")
    assert meeting_points.count() == 1
    from okrate_tui.core.queries.reviews import latest_meeting
    from okrate_tui.core.services.reviews import visible_points

    meeting = latest_meeting(find_person("jonas"), find_person("devon").id)
    assert "Ask about the team lead role" not in {p.text for p in visible_points(find_person("jonas"), meeting)}


async def test_the_report_opens_their_own_one_on_one_with_their_manager(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("o")  # on himself: his latest one-on-one, which Devon started
        await settle(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.meeting is not None)
        screen = app.screen
        head = str(screen.query_one("#walk-head").render())
        assert "One-on-one with Devon Price (@devon)" in head and "Jonas" not in head
        assert screen.meeting.report_id == find_person("jonas").id and screen.other.handle == "devon"
        assert screen.goals and {p.text for p in screen.points} >= {"Conference budget for next year"}


async def test_analytics_screen_and_scopes(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot, lambda a: isinstance(a.screen, AnalyticsScreen))
        body = str(app.screen.query_one("#analytics-head").render())
        assert "the whole company" in body
        await pilot.press("s")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))
        await type_text(pilot, "team engineering")
        await pilot.press("enter")
        await settle(
            pilot,
            lambda a: (
                isinstance(a.screen, AnalyticsScreen)
                and "team Engineering" in str(a.screen.query_one("#analytics-head").render())
            ),
        )


async def to_close_question(pilot, cycles_first: list[str] | None = None) -> None:
    """From the start: the cycles screen, 2026 Q4 advanced to review, and z asked to close it."""
    app = pilot.app
    await open_review(pilot)
    await pilot.press("c")
    await settle(pilot, lambda a: isinstance(a.screen, CyclesScreen) and a.screen.cycles)
    if cycles_first is not None:
        assert [c.name for c in app.screen.cycles] == cycles_first
    await pilot.press("a")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot, lambda a: isinstance(a.screen, CyclesScreen) and a.screen.cycles[0].state == "review")
    await pilot.press("z")
    await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))


async def test_cycles_screen_close_with_carry_over(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_close_question(pilot, ["2026 Q4", "2026 Q3"])
        await type_text(pilot, "moving")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen) and "overdue" in a.screen.title_text)
        await type_text(pilot, "move")  # "… carried tasks would start 2027 Q1 overdue: move their deadlines …?"
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen) and "Progress of the" in a.screen.title_text)
        await type_text(pilot, "keep")  # each carried goal starts where it stood
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ConfirmScreen))
        assert app.screen.detail.endswith("Every carried goal starts 2027 Q1 where it stood.")
        assert app.screen.question == "2026 Q4 ends on 31 Dec, 35 days from now: close it anyway?"
        assert app.screen.detail.startswith("Close 2026 Q4, moving its open tasks and moving ")
        await pilot.press("y")
        await settle(pilot, lambda a: isinstance(a.screen, CyclesScreen) and len(a.screen.cycles) == 3)
        assert Cycle.get(Cycle.name == "2026 Q4").state == "closed"
        nxt = Cycle.get(Cycle.name == "2027 Q1")
        carried = Task.select().where((Task.cycle == nxt.id) & Task.deadline.is_null(False))
        assert carried.count() and min(t.deadline for t in carried).isoformat() == "2027-01-07"
        assert Cycle.get(Cycle.name == "2027 Q1").state == "planning"
        assert any("is closed. Into 2027 Q1" in n.message for n in app._notifications)
        await pilot.press("home", "enter")
        await settle(pilot, on_main)
        assert app.cycle.name == "2027 Q1"


async def test_a_one_on_one_shows_the_reports_task_under_another_persons_goal(demo_path, make_app) -> None:
    """Jonas's overdue task under Devon's own goal shows in Devon's one-on-one with him,
    with the goal it serves; tab reaches the list and enter opens the task."""
    from okrate_tui.core.db import close_db, open_db
    from okrate_tui.core.models import Goal
    from okrate_tui.core.services import tasks
    from okrate_tui.ui.screens.task_detail import TaskDetailScreen

    open_db(str(demo_path))
    devon_id = find_person("devon").id
    goal = Goal.select().where((Goal.owner == devon_id) & (Goal.cycle == 2)).order_by(Goal.id).first()
    late = tasks.create_task(
        find_person("devon"), "Renew the staging certificate", goal=goal.id, owner="jonas", deadline="2026-11-20"
    )
    close_db()
    app = make_app(demo_path, as_handle="devon")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")
        await pilot.press("o")
        await settle(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.tasks)
        screen = app.screen
        assert late.id not in {t.id for page in screen.goals for t in page.tasks}  # not under his goals
        shown = next(t for t in screen.tasks if t.id == late.id)
        assert (shown.goal, shown.goal_owner, shown.overdue) == (goal.title, "devon", True)
        assert screen.tasks[0].overdue  # late first
        listed = screen.query_one("#walk-tasks")
        rows = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        row = next(r for r in rows if "Renew the staging certificate" in r)
        assert "6d late" in row and goal.title in row and "(@devon)" in row
        title = str(screen.query_one("#walk-tasks-title").render())
        assert title.startswith("Open tasks of @jonas") and "under others' goals" in title
        for _ in range(3):  # tab goes round the goal page, the tasks and the points
            if screen.focused is listed:
                break
            await pilot.press("tab")
        assert screen.focused is listed
        for _ in range(listed.option_count):
            if listed.highlighted is not None and listed.get_option_at_index(listed.highlighted).id == str(late.id):
                break
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, TaskDetailScreen))
        assert app.screen.detail.id == late.id
        await pilot.press("escape")
        await settle(pilot, lambda a: isinstance(a.screen, WalkthroughScreen))
        await pilot.press("n")  # the goal keys still step through his goals
        await settle(pilot)
        assert isinstance(app.screen, WalkthroughScreen)


def _text(widget) -> str:
    """The plain text of a Static that shows a group of lines."""
    return "\n".join(str(part) for part in widget.content.renderables)


async def test_an_admin_is_offered_w_and_told_why_when_it_cannot(demo_path, make_app) -> None:
    from okrate_tui.core.db import close_db, open_db
    from okrate_tui.core.services import reviews

    app = make_app(demo_path, as_handle="maria")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")  # devon manages him
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space is not None)
        assert app.screen.space.can_write == ("manager",)
        assert "w writes your manager review" in _text(app.screen.query_one("#reviews"))
        await pilot.press("w")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await pilot.press("escape")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace))
    open_db(str(demo_path))
    reviews.start_review(find_person("devon"), 2, "jonas", "manager")
    close_db()
    app = make_app(demo_path, as_handle="maria")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ReviewWorkspace) and a.screen.space is not None)
        assert app.screen.space.can_write == ()
        assert "has a manager review by @devon already" in _text(app.screen.query_one("#reviews"))
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ReviewWorkspace)
        assert any("@jonas has a manager review by @devon already" in n.message for n in app._notifications)


async def test_closing_resets_the_goals_chosen_and_says_where_each_will_start(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_close_question(pilot)
        await type_text(pilot, "copying")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen) and "overdue" in a.screen.title_text)
        await type_text(pilot, "keep")  # the deadlines
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen) and "Progress of the" in a.screen.title_text)
        await type_text(pilot, "choose")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen) and "Reset which goals" in a.screen.title_text)
        await type_text(pilot, "Redesign onboarding")
        await pilot.press("enter")  # ☑ Redesign onboarding
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen) and "Reset which goals" in a.screen.title_text)
        await type_text(pilot, "done")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, ConfirmScreen))
        detail = app.screen.detail
        assert "“Redesign onboarding” 50% → " in detail and "(reset)" in detail
        assert "14 carried goals start where they stood" in detail
        assert Cycle.get(Cycle.name == "2026 Q4").state == "review"  # the rehearsal changed nothing
        await pilot.press("y")
        await settle(pilot, lambda a: isinstance(a.screen, CyclesScreen) and len(a.screen.cycles) == 3)
        nxt = Cycle.get(Cycle.name == "2027 Q1")
        copy = Goal.get((Goal.cycle == nxt.id) & (Goal.title == "Redesign onboarding"))
        results = list(KeyResult.select().where(KeyResult.goal == copy.id))
        assert results and all(kr.baseline == kr.current for kr in results)  # it measures 2027 Q1 only
        assert any("(reset)" in n.message for n in app._notifications)
