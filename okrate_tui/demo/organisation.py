"""A realistic, deterministic demo organisation, scalable for benchmarks.

The hand-written core (12 people, 4 teams, a three-level goal tree, about 80 tasks,
check-in history, reviews and one-on-ones) is always there; ``tasks=N`` adds generated
teams, people, goals and tasks until the organisation holds N tasks, N/10 goals and
N/500 people. Dates follow today's date, so overdue and due-soon work always exists.
Rows are written in bulk inside one transaction, with their change-log entries.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from peewee import PostgresqlDatabase

import okrate_tui.demo.data as data
from okrate_tui.core import clock
from okrate_tui.core.clock import quarter_of
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.models import (
    DATA_MODELS,
    Change,
    CheckIn,
    Cycle,
    Goal,
    KeyResult,
    Milestone,
    OneOnOne,
    Person,
    Review,
    TalkingPoint,
    Task,
    Team,
    db,
)
from okrate_tui.core.tables import is_empty, reset_sequences

BATCH = 2_000
PRIORITY_WEIGHTS = (("critical", 6), ("high", 24), ("medium", 40), ("low", 18), (None, 12))
STATUS_WEIGHTS = (("todo", 36), ("doing", 24), ("blocked", 8), ("done", 32))


@dataclass
class DemoSummary:
    counts: dict[str, int]
    seconds: float


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class _Builder:
    rng: random.Random
    today: date
    rows: dict[type, list[dict[str, Any]]] = field(default_factory=dict)
    next_id: dict[type, int] = field(default_factory=dict)
    positions: dict[str, float] = field(default_factory=dict)
    people_by_team: dict[int | None, list[int]] = field(default_factory=dict)
    handles: dict[str, int] = field(default_factory=dict)
    team_ids: dict[str, int] = field(default_factory=dict)
    managers: dict[int, int | None] = field(default_factory=dict)

    def add(self, model: type, **values: Any) -> int:
        ident = self.next_id.get(model, 1)
        self.next_id[model] = ident + 1
        self.rows.setdefault(model, []).append({"id": ident, **values})
        return ident

    def at(self, day: date, hour: int = 9) -> datetime:
        return datetime(day.year, day.month, day.day, hour, self.rng.randrange(60))

    def log_create(self, entity: str, ident: int, actor: int | None, when: datetime, text: str) -> None:
        self.rows.setdefault(Change, []).append(
            {
                "at": when,
                "actor": actor,
                "op": f"demo{entity[:2]}{ident}",
                "entity": entity,
                "entity_id": ident,
                "field": "@create",
                "old": None,
                "new": text,
                "version": 1,
            }
        )

    # --- organisation ---------------------------------------------------------

    def person(self, handle: str, name: str, role: str, manager: int | None, team: int | None) -> int:
        pid = self.add(
            Person,
            handle=handle,
            name=name,
            role=role,
            manager=manager,
            team=team,
            active=True,
            created_at=self.at(self.today - timedelta(days=400)),
            version=1,
        )
        self.handles[handle] = pid
        self.people_by_team.setdefault(team, []).append(pid)
        self.managers[pid] = manager
        return pid

    def organisation(self) -> None:
        for name in data.TEAMS:
            self.team_ids[name] = self.add(Team, name=name, created_at=self.at(self.today), version=1)
        for handle, name, role, manager, team in data.PEOPLE:
            self.person(handle, name, role, self.handles.get(manager or ""), self.team_ids.get(team or ""))

    def cycles(self) -> tuple[int, int, date, date]:
        start, end, name = quarter_of(self.today)
        past_start, past_end, past_name = quarter_of(start - timedelta(days=1))
        closed = self.add(
            Cycle,
            name=past_name,
            starts=past_start,
            ends=past_end,
            state="closed",
            created_at=self.at(past_start - timedelta(days=14)),
            version=1,
        )
        active = self.add(
            Cycle,
            name=name,
            starts=start,
            ends=end,
            state="active",
            created_at=self.at(start - timedelta(days=14)),
            version=1,
        )
        self.cycle_bounds = {closed: (past_start, past_end), active: (start, end)}
        return closed, active, start, end

    # --- goals, key results, tasks ------------------------------------------

    def goal(
        self,
        cycle: int,
        parent: int | None,
        level: str,
        title: str,
        owner: int | None,
        team: int | None,
        description: str = "",
        status: str | None = None,
        status_reason: str = "",
    ) -> int:
        start, _ = self.cycle_bounds[cycle]
        when = self.at(start - timedelta(days=self.rng.randrange(3, 10)))
        gid = self.add(
            Goal,
            parent=parent,
            level=level,
            title=title,
            description=description,
            owner=owner,
            team=team,
            cycle=cycle,
            weight=1.0,
            status=status,
            status_reason=status_reason,
            archived=False,
            starts=None,
            due=None,
            created_at=when,
            updated_at=when,
            version=1,
        )
        self.log_create("goal", gid, owner, when, title)
        return gid

    def key_result(self, goal: int, cycle: int, owner: int | None, spec: tuple) -> None:
        title, kind, base, target, share, unit = spec
        start, end = self.cycle_bounds[cycle]
        last_day = min(self.today - timedelta(days=1), end)  # check-ins lie in the past
        value = base + (target - base) * share
        if kind == "binary":
            value = 1.0 if share >= 1 else 0.0
        elif kind == "count":
            value = float(round(value))
        direction = "decrease" if target < base else "increase"
        kid = self.add(
            KeyResult,
            goal=goal,
            title=title,
            kind=kind,
            baseline=float(base),
            target=float(target),
            current=float(round(value, 2)),
            unit=unit,
            direction=direction,
            weight=1.0,
            archived=False,
            created_at=self.at(start),
            updated_at=self.at(last_day),
            version=1,
        )
        span = max((last_day - start).days, 1)
        count = max(2, min(6, span // 14))
        for step in range(1, count + 1):
            fraction = step / count
            noisy = fraction if step == count else max(0.0, fraction + self.rng.uniform(-0.1, 0.05))
            point = base + (value - base) * noisy
            if kind == "binary":
                point = value if step == count else 0.0
            elif kind == "count":
                point = float(round(point))
            day = start + timedelta(days=round(span * fraction))
            self.add(
                CheckIn,
                key_result=kid,
                value=float(round(point, 2)),
                confidence=round(self.rng.uniform(0.45, 0.9), 2),
                note=self.rng.choice(data.CHECK_IN_NOTES),
                author=owner,
                at=self.at(day, 16),
            )

    def milestone(self, goal: int, title: str, offset: int, done: bool, position: int) -> int:
        when = self.at(self.today - timedelta(days=30))
        return self.add(
            Milestone,
            goal=goal,
            title=title,
            due=self.today + timedelta(days=offset),
            done=done,
            position=float(position),
            created_at=when,
            updated_at=when,
            version=1,
        )

    def task(
        self,
        goal: int,
        cycle: int,
        title: str,
        objective: str,
        owners: list[int],
        milestone: int | None = None,
        closed: bool = False,
    ) -> int:
        rng = self.rng
        start, end = self.cycle_bounds[cycle]
        status = "done" if closed and rng.random() < 0.85 else _pick(rng, STATUS_WEIGHTS)
        owner = rng.choice(owners) if owners and rng.random() > 0.1 else None
        priority = _pick(rng, PRIORITY_WEIGHTS)
        created = start + timedelta(days=rng.randrange(0, max(1, (min(self.today, end) - start).days)))
        deadline: date | None = None
        if rng.random() > 0.15:
            deadline = (
                created + timedelta(days=rng.randrange(5, 40))
                if closed or status == "done"
                else self.today + timedelta(days=rng.randrange(-12, 35))
            )
        completed = None
        if status == "done":
            latest = min(self.today - timedelta(days=1), end, (deadline or end) + timedelta(days=3))
            span = max((latest - created).days, 0)
            completed = self.at(created + timedelta(days=rng.randrange(0, span + 1)), 15)
        self.positions[status] = self.positions.get(status, 0.0) + 1.0
        when = self.at(created)
        updated = completed or self.at(min(self.today, created + timedelta(days=rng.randrange(0, 20))))
        tid = self.add(
            Task,
            goal=goal,
            cycle=cycle,
            milestone=milestone,
            title=title,
            objective=objective,
            context="",
            owner=owner,
            deadline=deadline,
            priority=priority,
            status=status,
            position=self.positions[status],
            created_by=owner,
            created_at=when,
            updated_at=max(updated, when),
            completed_at=completed,
            version=1,
        )
        self.log_create("task", tid, owner, when, title)
        return tid

    def team_people(self, team: int | None, owner: int | None) -> list[int]:
        people = list(self.people_by_team.get(team, []))
        if owner is not None and owner not in people:
            people.append(owner)
        return people

    def handcrafted(self, closed: int, active: int) -> None:
        keys: dict[str, int] = {}
        for spec in data.GOALS:
            owner = self.handles[spec["owner"]]
            team = self.team_ids.get(spec["team"] or "")
            gid = self.goal(
                active,
                keys.get(spec["parent"] or ""),
                spec["level"],
                spec["title"],
                owner,
                team,
                spec["description"],
            )
            keys[spec["key"]] = gid
            for kr in spec["krs"]:
                self.key_result(gid, active, owner, kr)
            stones = [
                self.milestone(gid, t, offset, done, place)
                for place, (t, offset, done) in enumerate(spec["milestones"], start=1)
            ]
            people = self.team_people(team, owner)
            for index, (title, objective) in enumerate(spec["tasks"]):
                stone = stones[index % len(stones)] if stones and index % 3 == 0 else None
                self.task(gid, active, title, objective, people, stone)
        self._sharpen(active)
        past: list[int] = []
        for title, handle, team_name, level, parent, (base, target, share, unit) in data.PAST_GOALS:
            owner_id = self.handles[handle]
            team_id = self.team_ids.get(team_name or "")
            gid = self.goal(
                closed,
                past[parent] if parent is not None else None,
                level,
                title,
                owner_id,
                team_id,
                status="done" if share >= 1 else "missed",
                status_reason="" if share >= 1 else "missed at close",
            )
            past.append(gid)
            kind = (
                "binary"
                if target == 1
                else "currency"
                if unit == "EUR"
                else "count"
                if unit == "readers"
                else "numeric"
            )
            self.key_result(gid, closed, owner_id, (title, kind, base, target, share, unit))
        for index, title in enumerate(data.PAST_TASKS):
            gid = past[1 + index % 3]
            self.task(
                gid,
                closed,
                title,
                "",
                self.team_people(None, None) or [self.handles["maria"]],
                closed=True,
            )
            owner = self.rows[Goal][gid - 1]["owner"]
            self.rows[Task][-1]["owner"] = owner

    def _sharpen(self, cycle: int) -> None:
        """Make sure the demo shows the classic mistakes: unowned and overdue work."""
        open_rows = [r for r in self.rows[Task] if r["cycle"] == cycle and r["status"] != "done"]
        for index, row in enumerate(open_rows):
            if index % 8 == 2:
                row["owner"] = None
            if index % 7 == 1:
                row["deadline"] = self.today - timedelta(days=index % 9 + 1)

    def reviews(self, closed: int, active: int) -> None:
        rng = self.rng
        end = self.cycle_bounds[closed][1]
        admin = self.handles["maria"]
        for handle, *_ in data.PEOPLE[1:]:
            pid = self.handles[handle]
            manager = self.managers[pid]
            for kind, reviewer in (("self", pid), ("manager", manager)):
                rating = rng.choice((3, 3, 4, 4, 5))
                when = self.at(end + timedelta(days=rng.randrange(2, 9)))
                self.add(
                    Review,
                    cycle=closed,
                    reviewee=pid,
                    reviewer=reviewer,
                    kind=kind,
                    rating=rating,
                    original_rating=rating,
                    strengths=rng.choice(data.REVIEW_TEXT["strengths"]),
                    improvements=rng.choice(data.REVIEW_TEXT["improvements"]),
                    comments="",
                    state="submitted",
                    private=False,
                    submitted_at=when,
                    calibrated_by=None,
                    calibrated_at=None,
                    calibration_reason="",
                    created_at=when,
                    updated_at=when,
                    version=1,
                )
        calibrated = next(r for r in self.rows[Review] if r["kind"] == "manager")
        calibrated.update(
            state="calibrated",
            original_rating=calibrated["rating"],
            rating=min(5, calibrated["rating"] + 1),
            calibrated_by=admin,
            calibrated_at=self.at(end + timedelta(days=12)),
            calibration_reason="Led the region move alone while two people were out.",
        )
        for handle in ("jonas", "ana", "li"):
            pid = self.handles[handle]
            when = self.at(self.today - timedelta(days=2))
            self.add(
                Review,
                cycle=active,
                reviewee=pid,
                reviewer=pid,
                kind="self",
                rating=None,
                original_rating=None,
                strengths=rng.choice(data.REVIEW_TEXT["strengths"]),
                improvements="",
                comments="",
                state="draft",
                private=False,
                submitted_at=None,
                calibrated_by=None,
                calibrated_at=None,
                calibration_reason="",
                created_at=when,
                updated_at=when,
                version=1,
            )

    def one_on_ones(self) -> None:
        points = (
            (
                "devon",
                "jonas",
                (
                    ("Latency work: what is blocking the cache change?", False, True),
                    ("Conference budget for next year", False, False),
                    ("Consider Jonas for the tech lead role", True, False),
                ),
            ),
            (
                "lena",
                "ana",
                (
                    ("Webinar speaker for December", False, True),
                    ("Workload during the campaign launch", False, False),
                ),
            ),
        )
        for manager, report, items in points:
            day = self.today - timedelta(days=7)
            mid = self.add(
                OneOnOne,
                manager=self.handles[manager],
                report=self.handles[report],
                date=day,
                notes="",
                created_at=self.at(day),
                version=1,
            )
            for index, (text, private, done) in enumerate(items):
                self.add(
                    TalkingPoint,
                    one_on_one=mid,
                    text=text,
                    private=private,
                    done=done,
                    author=self.handles[manager],
                    position=index,
                    created_at=self.at(day),
                    version=1,
                )

    # --- scale ---------------------------------------------------------------

    def scale(self, tasks: int, closed: int, active: int) -> None:
        rng = self.rng
        people_target = max(len(data.PEOPLE), tasks // 500)
        goals_target = max(len(self.rows[Goal]), tasks // 10)
        extra_people = people_target - len(data.PEOPLE)
        team_count = max(0, extra_people // 10)
        new_teams = []
        for index in range(team_count):
            name = data.GEN_TEAMS[index % len(data.GEN_TEAMS)]
            if index >= len(data.GEN_TEAMS):
                name = f"{name} {index // len(data.GEN_TEAMS) + 1}"
            new_teams.append(self.add(Team, name=name, created_at=self.at(self.today), version=1))
        all_teams = list(self.team_ids.values()) + new_teams
        leads: dict[int, int] = {}
        admin = self.handles["maria"]
        for index in range(extra_people):
            first, last = rng.choice(data.GEN_FIRST), rng.choice(data.GEN_LAST)
            handle = f"{first}.{last}".lower()
            if handle in self.handles:
                handle = f"{handle}{index}"
            team = new_teams[index % len(new_teams)] if new_teams else all_teams[index % len(all_teams)]
            is_lead = team in new_teams and team not in leads
            manager = admin if is_lead else leads.get(team) or self.people_by_team[team][0]
            pid = self.person(handle, f"{first} {last}", "manager" if is_lead else "member", manager, team)
            if is_lead:
                leads[team] = pid
        owners_of_team = {t: self.people_by_team.get(t, []) for t in all_teams}
        goal_rows = self.rows[Goal]
        by_cycle: dict[int, list[dict]] = {closed: [], active: []}
        for row in goal_rows:
            by_cycle[row["cycle"]].append(row)
        while len(goal_rows) < goals_target:
            cycle = closed if rng.random() < 0.25 else active
            parents = by_cycle[cycle]
            parent = rng.choice(parents[-400:] if rng.random() < 0.7 else parents)
            team = parent["team"] if parent["team"] and rng.random() < 0.3 else rng.choice(all_teams)
            owner = rng.choice(owners_of_team[team])
            level = "team" if parent["level"] == "company" else "individual"
            title = f"{rng.choice(data.GEN_VERBS)} {rng.choice(data.GEN_THINGS)}"
            gid = self.goal(cycle, parent["id"], level, title, owner, team)
            by_cycle[cycle].append(goal_rows[-1])
            for _ in range(rng.choice((1, 1, 2))):
                base = float(rng.randrange(0, 200))
                target = base + rng.randrange(20, 400)
                spec = (
                    f"{rng.choice(data.GEN_THINGS).capitalize()} target",
                    "numeric",
                    base,
                    target,
                    rng.random(),
                    "",
                )
                self.key_result(gid, cycle, owner, spec)
        goal_list = [(row["id"], row["cycle"], row["team"], row["owner"]) for row in goal_rows]
        while len(self.rows[Task]) < tasks:
            gid, cycle, team, owner = rng.choice(goal_list)
            title = f"{rng.choice(data.GEN_TASK_VERBS)} {rng.choice(data.GEN_TASK_THINGS)}"
            self.task(gid, cycle, title, "", self.team_people(team, owner), closed=cycle == closed)

    # --- writing -------------------------------------------------------------

    def write(self) -> dict[str, int]:
        counts = {}
        for model in DATA_MODELS:
            batch = self.rows.get(model, [])
            if model is Person:  # managers point at people: insert them without, then link
                links = [(r["id"], r["manager"]) for r in batch if r["manager"] is not None]
                batch = [{**r, "manager": None} for r in batch]
            for start in range(0, len(batch), BATCH):
                model.insert_many(batch[start : start + BATCH]).execute()
            if model is Person:
                for pid, manager in links:
                    Person.update(manager=manager).where(Person.id == pid).execute()
            counts[model._meta.table_name] = len(batch)
        if isinstance(db.obj, PostgresqlDatabase):
            reset_sequences()
        return counts


def generate(tasks: int | None = None, *, seed: int = 2026) -> DemoSummary:
    """Fill an empty database with the demo organisation (``tasks`` scales it up)."""
    if tasks is not None and not 0 < tasks <= 2_000_000:
        raise ValidationError.single("tasks", "must be between 1 and 2,000,000")
    started = time.perf_counter()
    builder = _Builder(random.Random(seed), clock.today())
    with db.atomic():
        if not is_empty():
            raise ValidationError.single("database", "already holds data; the demo fills only an empty database")
        builder.organisation()
        closed, active, _, _ = builder.cycles()
        builder.handcrafted(closed, active)
        builder.reviews(closed, active)
        builder.one_on_ones()
        if tasks is not None and tasks > len(builder.rows[Task]):
            builder.scale(tasks, closed, active)
        counts = builder.write()
    return DemoSummary(counts, time.perf_counter() - started)
