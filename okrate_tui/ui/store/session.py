"""The session store: everything the views of one session show, keyed by id.

It holds no widgets and does no input or output. The views render from it and keep only
ids; fresh data (from start-up, from this session's own writes, from other sessions via
the change log) is applied here, and every view hears about it through the events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from okrate_tui.core import clock
from okrate_tui.core.changes import ChangeBatch, ChangeRow
from okrate_tui.core.identity import Identity
from okrate_tui.core.queries.board import BoardScope, Card, Labels
from okrate_tui.core.queries.org import CycleRow, PersonRow
from okrate_tui.core.queries.scopes import role_scope
from okrate_tui.core.queries.tree import CycleTree, GoalPatch
from okrate_tui.core.rules.ranking import Standing
from okrate_tui.ui.store.cards import CardSet, scope_member
from okrate_tui.ui.store.events import (
    ActorChanged,
    CardsChanged,
    CycleMoved,
    CyclesChanged,
    Event,
    Health,
    HealthChanged,
    PeopleChanged,
    RecordsChanged,
    Touch,
    TreeChanged,
)
from okrate_tui.ui.store.heap import keep

Listener = Callable[[Event], None]


@dataclass
class Refresh:
    """Fresh data read on the database thread; the store applies it on the UI's."""

    batch: ChangeBatch | None = None
    actor: PersonRow | None = None
    people: list[PersonRow] | None = None
    teams: list[tuple[int, str]] | None = None
    cycles: list[CycleRow] | None = None
    tree: CycleTree | None = None
    tree_goals: GoalPatch | None = None  # a few goals read afresh
    labels: Labels | None = None
    cards: dict[int, Card | None] | None = None
    board: tuple[BoardScope, list[Card], list[Card]] | None = None  # a whole scope read afresh
    cycle_id: int | None = None  # the cycle this was read for
    full: bool = False
    as_of: int | None = None  # a whole tree or board shows every change up to this id
    tree_from: int | None = None  # the tree patch covers the changes after this id
    cards_from: int | None = None  # the same for the cards read again


@dataclass
class Session:
    identity: Identity | None = None
    actor: PersonRow | None = None
    cycle: CycleRow | None = None
    cycles: list[CycleRow] = field(default_factory=list)
    people: dict[int, PersonRow] = field(default_factory=dict)
    teams: dict[int, str] = field(default_factory=dict)
    tree: CycleTree | None = None
    tree_stale: bool = False
    tree_as_of: int = 0  # the tree shows every change up to this id
    labels: Labels = field(default_factory=lambda: Labels({}, {}, {}))
    cards: CardSet = field(default_factory=CardSet)
    seen: int = 0
    gaps: dict[int, float] = field(default_factory=dict)
    health: Health = field(default_factory=Health)
    own_ops: set[str] = field(default_factory=set)
    recent: dict[tuple[str, int], Touch] = field(default_factory=dict)
    server: bool = False  # a team-server session over SSH
    outlet: Listener | None = None  # where every event goes: the app, which tells the views

    # --- telling -----------------------------------------------------------------------

    def __post_init__(self) -> None:
        self.cards.standing = self.standing

    def standing(self, goal_id: int) -> Standing | None:
        """A goal's status and weight in the held tree, for ranking Next (None when the
        tree is not read, or the goal is not in it)."""
        return self.tree.standing(goal_id) if self.tree is not None else None

    def subscribe(self, listener: Listener) -> None:
        """Send every event to ``listener``: the one outlet (the app, or a test). The app
        hands each event to the views as a :class:`~okrate_tui.ui.store.changed.StoreChanged`
        message."""
        self.outlet = listener

    def emit(self, event: Event) -> None:
        if self.outlet is not None:
            self.outlet(event)

    # --- reading ---------------------------------------------------------------------

    @property
    def today(self) -> date:
        return clock.today()

    def person(self, person_id: int | None) -> PersonRow | None:
        return self.people.get(person_id) if person_id is not None else None

    def handle(self, person_id: int | None) -> str | None:
        person = self.person(person_id)
        return person.handle if person else None

    def by_handle(self, handle: str) -> PersonRow | None:
        key = handle.strip().lstrip("@").lower()
        return next((p for p in self.people.values() if p.handle == key), None)

    def active_people(self) -> list[PersonRow]:
        return sorted((p for p in self.people.values() if p.active), key=lambda p: p.name.casefold())

    def team_name(self, team_id: int | None) -> str | None:
        return self.teams.get(team_id) if team_id is not None else None

    def who_changed(self, entity: str, ident: int) -> Touch | None:
        """The last change another session made to a record, while this one watched."""
        return self.recent.get((entity, ident))

    def gone_sentence(self, entity: str, ident: int, noun: str) -> str:
        """'@kim deleted this task a moment ago' or the like, for a target that vanished."""
        touch = self.who_changed(entity, ident)
        if touch is not None and touch.deleted:
            who = "You" if touch.local else touch.who()
            return f"{who} deleted this {noun} a moment ago."
        return f"This {noun} is no longer there: someone deleted it or moved it out of {self.cycle_name}."

    @property
    def cycle_name(self) -> str:
        return self.cycle.name if self.cycle else "this cycle"

    def member(self) -> Callable[[Card], bool]:
        """Whether a card belongs to the board's scope."""
        team_of = {p.id: p.team_id for p in self.people.values()}
        return scope_member(self.cards.scope, self.labels, team_of)

    # --- starting ----------------------------------------------------------------------

    def start(
        self,
        identity: Identity | None,
        actor: PersonRow,
        people: Iterable[PersonRow],
        teams: Iterable[tuple[int, str]],
        cycles: Iterable[CycleRow],
        cycle: CycleRow | None,
        seen: int,
        tree: CycleTree | None,
        scope: BoardScope | None = None,
    ) -> None:
        self.identity = identity
        self.actor = actor
        self.people = {p.id: p for p in people}
        self.teams = dict(teams)
        self.cycles = list(cycles)
        self.cycle = cycle
        self.seen = self.tree_as_of = seen
        if scope is not None and not self.cards.loaded:
            self.cards.reset(scope)
        same = tree is not None and cycle is not None and tree.cycle.id == cycle.id
        self.tree = tree if same else None
        keep()

    def choose_cycle(self, cycle: CycleRow | None, why: str = "") -> None:
        """Work in another cycle (None: there is none left): its tree and cards are read afresh."""
        previous = self.cycle
        self.cycle = cycle
        self.tree = None
        scope = self.cards.scope
        if scope.kind == "goal" and self.actor is not None:
            scope = role_scope(self.actor)  # that goal belongs to the cycle just left
        self.cards.reset(scope)
        self.labels = Labels({}, {}, {})
        self.emit(CycleMoved(cycle, previous, why))

    # --- health ------------------------------------------------------------------------

    def set_health(self, health: Health) -> None:
        if health != self.health:
            self.health = health
            self.emit(HealthChanged(health))

    # --- applying fresh data --------------------------------------------------------------

    def apply(self, refresh: Refresh) -> None:
        """Take what the database thread read; tell the views what changed."""
        if refresh.cycle_id is not None and self.cycle is not None and refresh.cycle_id != self.cycle.id:
            refresh.tree = refresh.labels = refresh.board = refresh.cards = refresh.tree_goals = None
        touches = self._take_batch(refresh.batch) if refresh.batch is not None else ()
        if refresh.people is not None:
            self.people = {p.id: p for p in refresh.people}
            if refresh.teams is not None:
                self.teams = dict(refresh.teams)
            self.emit(PeopleChanged())
        if refresh.actor is not None and refresh.actor != self.actor:
            before, self.actor = self.actor, refresh.actor
            why = ""
            if before is not None and before.active and not refresh.actor.active:
                why = "You are no longer active here: nothing you change is saved."
            elif before is not None and before.role != refresh.actor.role:
                why = f"You are now a{'n' if refresh.actor.role == 'admin' else ''} {refresh.actor.role}."
            self.emit(ActorChanged(refresh.actor, why))
        if refresh.cycles is not None:
            self._take_cycles(refresh.cycles, touches)
            if refresh.cycle_id is not None and self.cycle is not None and refresh.cycle_id != self.cycle.id:
                return  # the rest was read for the cycle just left
        if refresh.labels is not None:
            self.labels = refresh.labels
        latest = refresh.batch.latest if refresh.batch is not None else None
        reranked = False
        if refresh.tree is not None:
            self.tree = refresh.tree
            keep()
            self.tree_stale = False
            self.tree_as_of = refresh.as_of if refresh.as_of is not None else (latest or self.seen)
            self.emit(TreeChanged(None))
            reranked = self.cards.loaded and self.cards.rank(self.today)  # goals' standing may differ
        else:
            if refresh.tree_goals is not None and self.tree is not None:
                touched = self.tree.patch(refresh.tree_goals)
                self.emit(TreeChanged(frozenset(touched)))
                reranked = self.cards.loaded and self.cards.rank(self.today)
            if refresh.tree_from is not None and latest is not None and self.tree_as_of >= refresh.tree_from:
                self.tree_as_of = max(self.tree_as_of, latest)
        if refresh.cards_from is not None and latest is not None and self.cards.as_of >= refresh.cards_from:
            self.cards.as_of = max(self.cards.as_of, latest)
        if refresh.board is not None:
            scope, cards, ranked = refresh.board
            self.cards.fill(scope, cards, ranked, refresh.as_of if refresh.as_of is not None else self.seen)
            self.cards.rank(self.today)  # by the goals' standing, which the reader did not know
            keep()
            self.emit(CardsChanged(frozenset(), frozenset(), whole=True))
        elif refresh.cards is not None and self.cards.loaded:
            local_ids = {t.entity_id for t in touches if t.entity == "task" and t.local}
            changed, removed = self.cards.take(
                refresh.cards, self.member(), self.actor.id if self.actor else None, self.today
            )
            if changed or removed:
                others = (changed | removed) - local_ids
                self.emit(CardsChanged(frozenset(changed), frozenset(removed), local=not others))
        elif (refresh.labels is not None or reranked) and self.cards.loaded:
            self.emit(CardsChanged(frozenset(), frozenset()))
        if touches:
            self.emit(RecordsChanged(tuple(touches)))

    def _take_batch(self, batch: ChangeBatch) -> list[Touch]:
        self.seen = max(self.seen, batch.latest)
        self.gaps = batch.gaps
        grouped: dict[tuple[str, int], list[ChangeRow]] = {}
        for row in batch.rows:
            grouped.setdefault((row.entity, row.entity_id), []).append(row)
        touches = []
        for (entity, ident), rows in grouped.items():
            last = rows[-1]
            local = all(r.op in self.own_ops for r in rows)
            fields = frozenset(r.field for r in rows)
            touch = Touch(
                entity,
                ident,
                last.actor_id,
                self.handle(last.actor_id),
                fields,
                "@delete" in fields,
                "@create" in fields,
                local,
            )
            touches.append(touch)
            self.recent[(entity, ident)] = touch
        if len(self.recent) > 5_000:
            for key in list(self.recent)[:2_500]:
                del self.recent[key]
        return touches

    def _take_cycles(self, cycles: list[CycleRow], touches: Iterable[Touch]) -> None:
        self.cycles = cycles
        self.emit(CyclesChanged())
        if self.cycle is None:
            current = next((c for c in cycles if c.state == "active"), None)
            if current is not None:
                self.choose_cycle(current, f"Now in {current.name}.")
            return
        mine = next((c for c in cycles if c.id == self.cycle.id), None)
        if mine is None:
            fallback = next((c for c in cycles if c.state == "active"), cycles[0] if cycles else None)
            self.choose_cycle(
                fallback, f"{self.cycle.name} is gone; now in {fallback.name if fallback else 'no cycle'}."
            )
            return
        if mine.state == "closed" and self.cycle.state != "closed":
            touch = next((t for t in touches if t.entity == "cycle" and t.entity_id == mine.id), None)
            by = "" if touch is None else (" by you" if touch.local else f" by {touch.who()}")
            after = next_open_cycle(cycles, mine)
            if after is not None:
                self.choose_cycle(after, f"{mine.name} was closed{by}; now in {after.name} ({after.state}).")
                return
            self.cycle = mine
            self.emit(CycleMoved(mine, mine, f"{mine.name} was closed{by}; it is read-only now."))
            return
        if mine != self.cycle:
            previous, self.cycle = self.cycle, mine
            self.emit(CycleMoved(mine, previous, ""))


def next_open_cycle(cycles: Iterable[CycleRow], closed: CycleRow) -> CycleRow | None:
    """The cycle to work in after ``closed``: the active one, else the next that is not closed."""
    later = sorted((c for c in cycles if c.state != "closed"), key=lambda c: c.starts)
    active = [c for c in later if c.state == "active"]
    if active:
        return active[0]
    after = [c for c in later if c.starts >= closed.starts]
    return after[0] if after else (later[-1] if later else None)
