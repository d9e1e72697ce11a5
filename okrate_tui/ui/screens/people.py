"""People and teams: add colleagues, change their team, manager or role, deactivate
someone who left (their open tasks are released) or bring them back, add and rename
teams. The same rules as the services: managers change the people below them, only
admins grant the admin role."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType

from okrate_tui.core.errors import OkrateError
from okrate_tui.core.permissions import manages
from okrate_tui.core.queries import org
from okrate_tui.core.services import people as svc
from okrate_tui.core.validation import clean_handle, clean_title
from okrate_tui.core.vocab import ROLES
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import plural
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.guard import Guarded
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.screens.table_screen import TableScreen

ROLE_TONE = {"admin": "special_strong", "manager": "info", "member": ""}
WELCOME = (
    "Your organisation is ready. Add the people you work with: n adds a person, "
    "t a team; everyone else signs in as themselves."
)


class PeopleScreen(Guarded, TableScreen[org.PersonEntry]):
    NAME = "people"
    COLUMNS = ("name", "handle", "role", "team", "manager", "open tasks", "")
    WATCHES = frozenset({"person", "team"})
    BINDINGS: ClassVar[list[BindingType]] = default_keys("people")

    def __init__(self, welcome: bool = False) -> None:
        super().__init__()
        self.welcome = welcome

    @property
    def entries(self) -> list[org.PersonEntry]:
        return self.rows

    def heading(self) -> str:
        return "People and teams"

    def on_mount(self) -> None:
        if self.welcome:
            self.notify(WELCOME, title="Welcome", timeout=20)

    async def read(self) -> list[org.PersonEntry]:
        return await self.okrate.db.read(org.people_overview)

    def key(self, entry: org.PersonEntry) -> int:
        return entry.row.id

    def cells(self, entry: org.PersonEntry) -> tuple[Text, ...]:
        row = entry.row
        dim = "" if row.active else tone("muted")
        return (
            Text(row.name, style="bold" if row.active else tone("struck")),
            Text(f"@{row.handle}", style=dim),
            Text(row.role, style=tone(ROLE_TONE.get(row.role, "")) if row.active else dim),
            Text(row.team or "—", style=dim),
            Text(f"@{entry.manager}" if entry.manager else "—", style=dim),
            Text(str(entry.open_tasks), style=dim, justify="right"),
            Text("left" if not row.active else (plural(entry.reports, "report") if entry.reports else ""), dim),
        )

    def filled(self) -> None:
        active = sum(e.row.active for e in self.entries)
        teams = len(self.okrate.session.teams)
        note = f"{active} active of {len(self.entries)} · {teams} team{'s' if teams != 1 else ''}"
        if self.okrate.session.actor is not None and self.okrate.session.actor.role == "member":
            note += " · people and teams are changed by managers and admins"
        self.note(note)

    # --- who may do what ----------------------------------------------------------------

    def refusal(self, action: str) -> str | None:
        session = self.okrate.session
        actor = session.actor
        if action not in ("add_person", "edit_person", "toggle_active", "add_team", "rename_team") or actor is None:
            return None
        if not actor.active:
            return f"@{actor.handle} is no longer active here: nothing you change is saved."
        if actor.role == "member":
            return f"@{actor.handle} is a member: people and teams are added and changed by managers and admins."
        if action in ("edit_person", "toggle_active"):
            entry = self.current()
            if entry is None or actor.role == "admin":
                return None
            person = entry.row
            if action == "edit_person" and person.id == actor.id:
                return None
            if person.role == "admin":
                return f"@{person.handle} is an admin: only an admin changes an admin."
            if not manages(actor.id, person.id, self._manager_of):
                return f"@{actor.handle} changes only the people below them, and @{person.handle} is not."
        return None

    def _manager_of(self, person_id: int) -> int | None:
        person = self.okrate.session.people.get(person_id)
        return person.manager_id if person is not None else None

    # --- forms ------------------------------------------------------------------------

    def _roles(self) -> list[tuple[str, str]]:
        actor = self.okrate.session.actor
        allowed = ROLES if actor is not None and actor.role == "admin" else ("member", "manager")
        return [(r, r) for r in allowed]

    def _fields(self, values: dict[str, str], *, new: bool) -> list[Field]:
        session = self.okrate.session
        managers = [(f"{p.name} (@{p.handle})", p.handle) for p in session.active_people() if p.role != "member"]
        fields = [Field("name", "Name", values.get("name", ""), required=True, check=lambda v: clean_title(v, 80))]
        if new:
            fields.append(
                Field(
                    "handle",
                    "Handle",
                    values.get("handle", ""),
                    required=True,
                    check=clean_handle,
                    placeholder="their login, e.g. jonas",
                    help="on a shared machine or team server this is how they are recognised",
                )
            )
        fields += [
            Field("role", "Role", values.get("role", "member"), kind="select", options=self._roles(), required=True),
            Field(
                "team",
                "Team",
                values.get("team", ""),
                kind="select",
                options=[(name, name) for name in sorted(session.teams.values())],
                placeholder="no team",
            ),
            Field("manager", "Manager", values.get("manager", ""), kind="select", options=managers, placeholder="none"),
        ]
        return fields

    def _save(self, result: Any, what: str) -> None:
        if isinstance(result, tuple):
            self.notify(what)
            self.okrate.after_write()
            self.load()

    def action_add_person(self) -> None:
        app = self.okrate
        actor = app.session.actor
        default_manager = actor.handle if actor is not None and actor.role != "member" else ""

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.save(
                svc.create_person,
                values["handle"],
                values["name"],
                role=values["role"],
                team=values["team"] or None,
                manager=values["manager"] or None,
            )

        self.app.push_screen(
            FormScreen("Add a person", self._fields({"manager": default_manager}, new=True), submit),
            lambda r: self._save(r, f"Added @{r[0].handle}." if isinstance(r, tuple) else ""),
        )

    def action_edit_person(self) -> None:
        entry = self.current()
        if entry is None:
            return
        app = self.okrate
        row = entry.row
        initial = {
            "name": row.name,
            "role": row.role,
            "team": row.team or "",
            "manager": entry.manager or "",
        }

        async def submit(values: dict[str, str]) -> Any:
            changes: dict[str, Any] = {k: (v or None) for k, v in values.items() if v != initial[k]}
            if not changes:
                return ("unchanged", None)
            return await app.writer.save(svc.edit_person, row.id, entry.version, **changes)

        self.app.push_screen(
            FormScreen(f"Edit @{row.handle}", self._fields(initial, new=False), submit),
            lambda r: self._save(r, f"Saved @{row.handle}."),
        )

    def action_toggle_active(self) -> None:
        entry = self.current()
        if entry is None:
            return
        row = entry.row
        app = self.okrate
        leaving = row.active
        if leaving:
            question = f"Deactivate {row.name} (@{row.handle})?"
            detail = (
                f"They can no longer sign in or change anything. Their {entry.open_tasks} open "
                f"task{'s' if entry.open_tasks != 1 else ''} lose their owner so someone picks them up; "
                "their history stays."
            )
        else:
            question = f"Bring {row.name} (@{row.handle}) back?"
            detail = "They can sign in and work again; released tasks stay with whoever took them."

        async def save() -> None:
            try:
                (person, released), _ = await app.writer.save(svc.set_active, row.id, entry.version, not leaving)
            except OkrateError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            if leaving:
                self.notify(f"@{person.handle} is deactivated; {released} open task(s) released.")
            else:
                self.notify(f"@{person.handle} is active again.")
            app.after_write()
            self.load()

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_worker(save(), group="people-save")

        self.app.push_screen(ConfirmScreen(question, detail, watch=("person", row.id)), answer)

    def action_add_team(self) -> None:
        app = self.okrate

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.save(svc.create_team, values["name"])

        fields = [Field("name", "Team", "", required=True, check=lambda v: clean_title(v, 80))]
        self.app.push_screen(
            FormScreen("Add a team", fields, submit),
            lambda r: self._save(r, f"Added the team {r[0].name}." if isinstance(r, tuple) else ""),
        )

    def action_rename_team(self) -> None:
        self._rename_team()

    @work(group="people-team")
    async def _rename_team(self) -> None:
        app = self.okrate
        teams = sorted(app.session.teams.items(), key=lambda item: item[1].casefold())
        if not teams:
            self.notify("There are no teams yet: t adds one.")
            return
        team_id = await app.push_screen_wait(
            PickerScreen("Rename which team?", [Choice(tid, name, name) for tid, name in teams])
        )
        if team_id is None:
            return
        versions = await app.db.read(org.team_versions)
        old = app.session.teams.get(team_id, "")

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.save(svc.rename_team, team_id, versions.get(team_id), values["name"])

        fields = [Field("name", "New name", old, required=True, check=lambda v: clean_title(v, 80))]
        saved = await app.push_screen_wait(FormScreen(f"Rename {old}", fields, submit))
        self._save(saved, f"Renamed {old} to {saved[0].name}." if isinstance(saved, tuple) else "")

    def action_close(self) -> None:
        self.dismiss(None)
