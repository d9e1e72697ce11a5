"""The questions before the app proper: on an empty database, the demo or an
organisation of one's own; on a personal file without a matching handle, who is acting."""

from __future__ import annotations

from typing import Any

from textual.app import App

from okrate_tui.core import clock
from okrate_tui.core.db import resolve
from okrate_tui.core.files import private_dir
from okrate_tui.core.identity import os_user
from okrate_tui.core.queries import org
from okrate_tui.core.services.setup import start_organisation
from okrate_tui.core.validation import clean_handle, clean_title, parse_date
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.screens.welcome import WelcomeScreen
from okrate_tui.ui.start import Start
from okrate_tui.ui.store.gateway import Gateway


def fill_demo(url: str) -> None:
    """Open the demo file and fill it when it is empty (database thread)."""
    from okrate_tui import demo
    from okrate_tui.core.db import open_db
    from okrate_tui.core.tables import is_empty

    open_db(url, create=True)
    if is_empty():
        demo.generate()


def _start_fields(login: str, personal: bool) -> list[Field]:
    first, last, name = clock.quarter_of(clock.today())

    def own_handle(value: str) -> str:
        handle = clean_handle(value)
        if not personal and handle != login:
            raise ValueError(f"on a shared database your handle is your login name, {login}")
        return handle

    return [
        Field(
            "handle",
            "Your handle",
            login,
            required=True,
            check=own_handle,
            help="a handle equal to your login name is picked up by itself"
            + ("; others pass --as" if personal else ""),
        ),
        Field("name", "Your name", "", required=True, check=clean_title),
        Field("cycle", "First cycle", name, required=True, check=clean_title),
        Field("starts", "Starts", first.isoformat(), required=True, check=parse_date),
        Field("ends", "Ends", last.isoformat(), required=True, check=parse_date),
        Field(
            "goal",
            "Your company's first goal",
            "",
            required=True,
            check=clean_title,
            placeholder="e.g. Grow recurring revenue to €1M",
        ),
    ]


async def welcome(app: App[Any], db: Gateway, url: str | None, start: Start) -> tuple[str | None, str, bool] | None:
    """Until the person chose: the database to open, the handle to act as, and whether
    they founded the organisation (then adding colleagues comes next)."""
    where = resolve(url).describe()
    if start.missing:
        where = f"{where} (not made yet: nothing is written until you choose)"
    personal = start.identity is not None and start.identity.may_pick
    login = os_user() or ""
    while True:
        choice = await app.push_screen_wait(WelcomeScreen(where, demo=personal))
        if choice == "demo":
            from okrate_tui.core.db import demo_path

            demo_file = demo_path()
            private_dir(demo_file.parent)
            await db.call(fill_demo, str(demo_file))
            app.notify(f"Exploring the demo organisation in {demo_file}; {where} stays empty.", timeout=10)
            return str(demo_file), "maria", False

        async def submit(values: dict[str, str]) -> org.PersonRow:
            def make() -> org.PersonRow:
                from okrate_tui.core.db import open_db

                open_db(url, create=True)  # the explicit choice: now the file is made
                return org.person_row(start_organisation(None, **values).id)

            return await db.call(make)

        form = FormScreen("Start your organisation", _start_fields(login, personal), submit)
        person = await app.push_screen_wait(form)
        if person is not None:
            return url, person.handle, True


async def pick_person(app: App[Any], start: Start, as_handle: str | None) -> str | None:
    """Who is acting, from the active people (a personal file only)."""
    choices = [
        Choice(
            p.handle,
            f"{p.name}  @{p.handle} · {p.role}{' · ' + p.team if p.team else ''}",
            f"{p.name} {p.handle} {p.team or ''}",
        )
        for p in start.people
        if p.active
    ]
    asked = f"@{as_handle}" if start.unknown_handle else f"'{os_user() or 'your login'}'"
    question = f"Who are you? (nobody has the handle {asked})"
    return await app.push_screen_wait(PickerScreen(question, choices, hint="start with --as HANDLE to skip this"))
