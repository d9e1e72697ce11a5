"""One person's review workspace: the evidence of the cycle on the left, the reviews
on the right, and the keys to write, submit, reopen and calibrate them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries import reviews as read
from okrate_tui.core.queries.reviews import ReviewView, Workspace
from okrate_tui.core.reports import packet_text
from okrate_tui.core.services import reviews as svc
from okrate_tui.core.validation import clean_text, parse_rating
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.ui.clipboard import copy_made
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import STATUS_TONE, bar, compact, milestone_lines, month_day, percent, plural
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.live import LiveScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.store.events import Event
from okrate_tui.ui.widgets.plain import Static
from okrate_tui.ui.widgets.status_banner import StatusBanner

SHOWN = 20  # of each list: the workspace opens fast; the export holds everything
KIND_TITLE = {"self": "Self review", "manager": "Manager review", "peer": "Peer review"}


def _day(value: date | None) -> str:
    return value.isoformat() if value else "None"


def evidence(space: Workspace) -> Group:
    parts: list[Text] = [Text("Goals", style="bold underline")]
    if not space.goals:
        parts.append(Text("No goals of their own in this cycle.", style=tone("muted")))
    for goal in space.goals[:SHOWN]:
        style = tone(STATUS_TONE.get(goal.status, ""))
        line = Text.assemble(bar(goal.progress, 8, style), f" {percent(goal.progress):>4} ")
        line.append(goal.title, style="bold")
        line.append(f"  {GOAL_STATUS_LABELS.get(goal.status, goal.status)}", style=style)
        line.append(f" · {goal.tasks_done}/{goal.tasks_total} tasks", style=tone("muted"))
        parts.append(line)
        parts += milestone_lines(goal.milestones, indent="    ")
        for kr in goal.key_results:
            parts.append(
                Text(
                    f"    {kr.title}: {compact(kr.baseline)} → {compact(kr.current)} → "
                    f"{compact(kr.target)} {kr.unit} ({percent(kr.progress)})",
                    style=tone("muted"),
                )
            )
    if len(space.goals) > SHOWN:
        more = plural(len(space.goals) - SHOWN, "more goal", "more goals")
        parts.append(Text(f"… and {more} (x exports them all)", style=tone("muted")))
    parts.append(Text(f"\nDone in the cycle ({len(space.tasks_done)})", style="bold underline"))
    for task in space.tasks_done[:SHOWN]:
        parts.append(
            Text.assemble(
                (f"{_day(task.completed_at)}  ", tone("muted")), task.title, (f"  · {task.goal}", tone("muted"))
            )
        )
    if len(space.tasks_done) > SHOWN:
        parts.append(Text(f"… and {len(space.tasks_done) - SHOWN} more", style=tone("muted")))
    parts.append(
        Text(f"\nOverdue or blocked ({len(space.trouble)} of {space.tasks_open} open)", style="bold underline")
    )
    for task in space.trouble[:SHOWN]:
        why = "blocked" if task.status == "blocked" else f"due {_day(task.deadline)}"
        parts.append(Text.assemble(task.title, (f"  · {why}", tone("error"))))
    return Group(*parts)


def review_block(review: ReviewView) -> Group:
    title = Text(f"{KIND_TITLE[review.kind]} by @{review.reviewer}", style="bold underline")
    parts = [title]
    state = Text(f"{review.state}", style=tone("warning") if review.state == "draft" else tone("ok"))
    if review.private:
        state.append(" · private: only its author sees it", style=tone("muted"))
    parts.append(state)
    rating = review.rating
    line = Text("rating ")
    line.append(f"{rating}/5" if rating is not None else "not given", style="bold")
    if review.state == "calibrated":
        when = f" on {month_day(review.calibrated_at)}" if review.calibrated_at is not None else ""
        line.append(
            f"  (submitted as {review.original_rating}; calibrated by @{review.calibrated_by}"
            f"{when}: {review.calibration_reason})",
            style=tone("info"),
        )
    parts.append(line)
    for name, text in (
        ("strengths", review.strengths),
        ("improvements", review.improvements),
        ("comments", review.comments),
    ):
        if text:
            parts.append(Text.assemble((f"{name}: ", tone("muted")), text))
    changes = [h for h in review.history if h.field == "rating" and h.old is not None]
    for change in changes:
        parts.append(
            Text(
                f"  rating {change.old} → {change.new} by @{change.by} on {month_day(change.at)}",
                style=tone("muted"),
            )
        )
    parts.append(Text(""))
    return Group(*parts)


class _Draft:
    """The fields of the actor's review so far (empty when it is not started)."""

    def __init__(self, review: ReviewView | None) -> None:
        self.rating = review.rating if review else None
        self.strengths = review.strengths if review else ""
        self.improvements = review.improvements if review else ""
        self.comments = review.comments if review else ""
        self.private = review.private if review else False
        self.version = review.version if review else None


class ReviewWorkspace(LiveScreen):
    WATCHES = frozenset({"review", "goal", "task", "key_result", "check_in", "person"})
    BINDINGS: ClassVar[list[BindingType]] = default_keys("workspace")

    def __init__(self, person_id: int, space: Workspace | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.space = space
        self.changed = False

    def compose(self) -> ComposeResult:
        yield StatusBanner()
        yield Static("", id="workspace-head")
        with Horizontal(id="workspace-split"):
            with VerticalScroll(id="workspace-evidence"):
                yield Static("loading…", id="evidence")
            with VerticalScroll(id="workspace-reviews"):
                yield Static("", id="reviews")
        yield Footer()

    def on_mount(self) -> None:
        if self.space is not None:
            self.show()
        else:
            self.load()

    def reload_on_change(self, events: list[Event]) -> None:
        self.load()

    @work(exclusive=True, group="workspace")
    async def load(self) -> None:
        app = self.okrate
        acting = self.acting("review workspace")
        if acting is None:
            return
        actor, cycle = acting
        tree = app.tree_for(cycle.id)
        try:
            self.space = await app.db.read(read.workspace, actor, cycle.id, self.person_id, clock.today(), tree)
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            self.dismiss(None)
            return
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that cannot do anything for this person and reviews stay out of the footer."""
        reviews = self.space.reviews if self.space else ()
        if action == "write":  # always there: where nothing can be written, w says why
            return True
        if action == "submit":
            return any(r.can_edit for r in reviews)
        if action == "reopen":
            return any(r.can_reopen for r in reviews)
        if action == "calibrate":
            return any(r.can_calibrate for r in reviews)
        return True

    def show(self) -> None:
        space = self.space
        assert space is not None
        self.refresh_bindings()
        person = space.person
        head = Text()
        head.append(f" Review · {person.name} (@{person.handle})", style="bold")
        head.append(f" · {space.cycle.name} ({space.cycle.state})")
        if person.manager:
            head.append(f" · manager @{person.manager}", style=tone("muted"))
        self.query_one("#workspace-head", Static).update(head)
        self.query_one("#evidence", Static).update(evidence(space))
        blocks: list[Any] = [review_block(r) for r in space.reviews]
        if not blocks:
            blocks = [Text("No review you may read yet.", style=tone("muted"))]
        submitted = any(r.state != "draft" for r in self._mine())
        if space.can_write and not submitted:
            blocks.append(Text(f"w writes your {' or '.join(space.can_write)} review", style=tone("muted")))
        elif space.write_note:
            blocks.append(Text(f"You write no review here: {space.write_note}.", style=tone("muted")))
        self.query_one("#reviews", Static).update(Group(*blocks))

    def _mine(self) -> list[ReviewView]:
        """The acting person's own reviews of this person."""
        actor, space = self.okrate.actor, self.space
        if actor is None or space is None:
            return []
        return [r for r in space.reviews if r.reviewer == actor.handle]

    def action_write(self) -> None:
        self._write()

    @work(group="ask-workspace-write")
    async def _write(self) -> None:
        app = self.okrate
        actor, space = app.actor, self.space
        if actor is None or space is None:
            return
        kinds = space.can_write
        if not kinds:
            why = space.write_note or f"you do not write a review of @{space.person.handle}"
            self.notify(why[0].upper() + why[1:] + ".", severity="warning")
            return
        kind = kinds[0]
        if len(kinds) > 1:
            kind = await app.push_screen_wait(PickerScreen("Which review?", [Choice(k, KIND_TITLE[k]) for k in kinds]))
            if kind is None:
                return
        existing = next((r for r in space.reviews if r.kind == kind and r.reviewer == actor.handle), None)
        if existing is not None and existing.state != "draft":
            self.notify(
                "Your review is submitted: it is read-only until a manager or admin reopens it.", severity="warning"
            )
            return
        review = _Draft(existing)
        initial = {
            "rating": str(review.rating or ""),
            "strengths": review.strengths,
            "improvements": review.improvements,
            "comments": review.comments,
            "private": "yes" if review.private else "no",
        }
        fields = [
            Field(
                "rating",
                "Rating (1–5)",
                initial["rating"],
                check=parse_rating,
                help="1 far below expectations · 3 meets them · 5 far above",
            ),
            Field("strengths", "Strengths", initial["strengths"], kind="area", check=clean_text),
            Field("improvements", "Improvements", initial["improvements"], kind="area", check=clean_text),
            Field("comments", "Comments", initial["comments"], kind="area", check=clean_text),
            Field(
                "private",
                "Private (only you see it)",
                initial["private"],
                kind="select",
                options=[("no", "no"), ("yes", "yes")],
                required=True,
            ),
        ]

        async def submit(values: dict[str, str]) -> Any:
            changes: dict[str, Any] = {k: v for k, v in values.items() if v != initial[k]}
            if "private" in changes:
                changes["private"] = changes["private"] == "yes"
            if not changes:
                return True
            return await app.writer.call(
                svc.write_review,
                space.cycle.id,
                space.person.handle,
                kind,
                review.version,
                **changes,
            )

        title = f"{KIND_TITLE[kind]} of {space.person.name} (draft)"
        if await app.push_screen_wait(FormScreen(title, fields, submit)):
            self.notify("Draft saved; s submits it.")
            self.changed = True
            self.load()

    def action_submit(self) -> None:
        drafts = [r for r in self._mine() if r.state == "draft"]
        if not drafts:
            self.notify("You have no draft here to submit.", severity="warning")
            return
        review = drafts[0]

        def answer(yes: bool | None) -> None:
            if yes:
                self._run(svc.submit_review, review.id, review.version, done="Submitted.")

        self.app.push_screen(
            ConfirmScreen(
                f"Submit your {review.kind} review?",
                "After this it is read-only, and "
                + ("your manager" if review.kind == "self" else "the person")
                + " can read it.",
            ),
            answer,
        )

    def _pick(self, flag: str, verb: str, then: Callable[[ReviewView], None], none: str | None = None) -> None:
        found = [r for r in (self.space.reviews if self.space else ()) if getattr(r, flag)]
        if not found:
            self.notify(none or f"No review here that you may {verb}.", severity="warning")
            return
        if len(found) == 1:
            then(found[0])
            return
        choices = [Choice(r.id, f"{KIND_TITLE[r.kind]} by @{r.reviewer} ({r.state})") for r in found]

        def picked(review_id: int | None) -> None:
            if review_id is not None:
                then(next(r for r in found if r.id == review_id))

        self.app.push_screen(PickerScreen(f"Which review to {verb}?", choices), picked)

    def action_reopen(self) -> None:
        def go(review: ReviewView) -> None:
            def answer(yes: bool | None) -> None:
                if yes:
                    self._run(svc.reopen_review, review.id, review.version, done="Reopened.")

            self.app.push_screen(
                ConfirmScreen(
                    f"Reopen the {review.kind} review by @{review.reviewer}?",
                    "It goes back to draft so its author can change it.",
                ),
                answer,
            )

        self._pick("can_reopen", "reopen", go)

    def action_calibrate(self) -> None:
        app = self.okrate

        def go(review: ReviewView) -> None:
            fields = [
                Field(
                    "rating",
                    f"Calibrated rating (now {review.rating})",
                    str(review.rating or ""),
                    required=True,
                    check=parse_rating,
                ),
                Field(
                    "reason",
                    "Reason",
                    "",
                    kind="area",
                    required=True,
                    check=clean_text,
                    help="kept with the original rating, who and when",
                ),
            ]

            async def submit(values: dict[str, str]) -> Any:
                return await app.writer.call(
                    svc.calibrate_review, review.id, review.version, values["rating"], values["reason"]
                )

            def saved(result: object) -> None:
                if result:
                    self._after("Calibrated.")

            title = f"Calibrate the {review.kind} review by @{review.reviewer}"
            app.push_screen(FormScreen(title, fields, submit), saved)

        self._pick(
            "can_calibrate",
            "calibrate",
            go,
            "No submitted manager review here that you may calibrate (self and peer reviews are not calibrated).",
        )

    def _after(self, message: str) -> None:
        self.notify(message)
        self.changed = True
        self.load()

    def _run(self, fn: Callable[..., object], *args: object, done: str) -> None:
        self._call(fn, args, done)

    @work(group="workspace-save")
    async def _call(self, fn: Callable[..., object], args: tuple[object, ...], done: str) -> None:
        try:
            await self.okrate.writer.call(fn, *args)
        except OkrateError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(done)
        self.changed = True
        self.load()

    def action_export(self) -> None:
        from okrate_tui.ui.exports import export_file

        app = self.okrate
        actor, space = app.actor, self.space
        if actor is None or space is None:
            return
        name = f"okrate-{space.cycle.name.replace(' ', '-')}-{space.person.handle}.md"
        export_file(
            app,
            "Export this review packet",
            name,
            lambda: packet_text(actor, space.cycle.id, clock.today(), space.person.id),
            f"report cycle {space.cycle.id} --person {space.person.handle}",
        )

    def action_copy(self) -> None:
        app = self.okrate
        actor, space = app.actor, self.space
        if actor is not None and space is not None:
            make = partial(packet_text, actor, space.cycle.id, clock.today(), space.person.id)
            self.run_worker(copy_made(app, make), group="copy")

    def action_close(self) -> None:
        if self.changed:
            self.okrate.after_write()
        self.dismiss(None)
