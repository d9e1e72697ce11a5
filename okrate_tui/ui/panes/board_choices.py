"""What the board's pickers offer, read from the session store (no widgets)."""

from __future__ import annotations

from okrate_tui.core.queries.board import BoardScope, Labels
from okrate_tui.ui.panes.board_keys import FILTER_PRESETS
from okrate_tui.ui.screens.picker import Choice
from okrate_tui.ui.store.session import Session

Milestones = list[tuple[int, int, str]]  # (milestone id, goal id, title)


def owner_choices(session: Session) -> list[Choice]:
    """Nobody, then every active person (values: handles, "" for nobody)."""
    return [Choice("", "nobody", "nobody none unowned")] + [
        Choice(
            p.handle, f"{p.name}  @{p.handle}{' · ' + p.team if p.team else ''}", f"{p.name} {p.handle} {p.team or ''}"
        )
        for p in session.active_people()
    ]


def goal_choices(labels: Labels) -> list[Choice]:
    """The cycle's goals that are not archived, by breadcrumb (values: goal ids)."""
    return [
        Choice(gid, labels.breadcrumb(gid), labels.breadcrumb(gid))
        for gid in sorted(labels.goal_titles)
        if gid not in labels.archived
    ]


def goal_milestone_choices(labels: Labels, milestones: Milestones) -> list[Choice]:
    """Each goal, then its milestones as ``Goal › Milestone``: values (goal, milestone)."""
    by_goal: dict[int, list[tuple[int, str]]] = {}
    for mid, gid, title in milestones:
        by_goal.setdefault(gid, []).append((mid, title))
    choices = []
    for gid in sorted(labels.goal_titles):
        if gid in labels.archived:
            continue
        crumb = labels.breadcrumb(gid)
        choices.append(Choice((gid, None), crumb, crumb))
        for mid, title in by_goal.get(gid, []):
            label = f"{labels.goal_titles[gid]} › {title}"
            choices.append(Choice((gid, mid), f"  {label}", f"{crumb} {title} milestone"))
    return choices


def filter_choices(session: Session) -> list[Choice]:
    """The filter presets, then an owner filter for each person (values: filter tokens)."""
    choices = [Choice(token, f"{label}   {token}", f"{label} {token}") for token, label in FILTER_PRESETS]
    return choices + [
        Choice(f"@{p.handle}", f"Owner: {p.name}   @{p.handle}", f"owner {p.name} {p.handle}")
        for p in session.active_people()
    ]


def scope_choices(session: Session) -> list[Choice]:
    """Mine, my team, other teams, everything, a goal, another person: values (kind, id)."""
    me = session.actor
    if me is None:
        return []
    team = session.team_name(me.team_id)
    choices = [Choice(("mine", me.id), "My tasks", "mine my tasks")]
    if me.team_id is not None:
        choices.append(Choice(("team", me.team_id), f"My team: {team}", f"my team {team}"))
    choices += [
        Choice(("team", tid), f"Team: {name}", f"team {name}")
        for tid, name in sorted(session.teams.items(), key=lambda t: t[1])
        if tid != me.team_id
    ]
    choices.append(Choice(("org", None), "Whole organisation", "whole organisation all everything"))
    choices.append(Choice(("goal", None), "A goal and its sub-goals…", "goal subtree"))
    return choices + [
        Choice(("person", p.id), f"{p.name}  @{p.handle}", f"person {p.name} {p.handle} {p.team or ''}")
        for p in session.active_people()
        if p.id != me.id
    ]


def scope_for(session: Session, kind: str, ident: int | None) -> BoardScope:
    """The scope a choice stands for."""
    me = session.actor
    if kind == "mine" and me is not None:
        return BoardScope("mine", person_id=me.id, label="my tasks")
    if kind == "person":
        return BoardScope("person", person_id=ident, label=f"@{session.handle(ident) or '?'}")
    if kind == "team":
        return BoardScope("team", team_id=ident, label=f"team: {session.team_name(ident) or '?'}")
    if kind == "goal" and ident is not None:
        title = session.labels.goal_titles.get(ident)
        if title is None and session.tree is not None and ident in session.tree:
            title = session.tree.line(ident).title
        return BoardScope("goal", goal_id=ident, label=f"goal: {title or ident}")
    return BoardScope()
