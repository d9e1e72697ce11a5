"""Exports from the app: a Markdown file written where the person says (readable by
them only), a browser download under ``okrate web``, or on a team server the command
that puts the same text on the person's own machine."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from okrate_tui.core.errors import OkrateError
from okrate_tui.core.files import replace_private
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.host import Host


def export_file(app: Host, title: str, default: str, make: Callable[[], str], command: str) -> None:
    """Ask where to write a Markdown export, then write it (readable by you only).

    In a browser (``okrate web``) the export is a download named ``default`` instead.
    Over SSH the files of the server are not the person's: ``command`` says how to get
    the same text onto their own machine instead.
    """
    if app.is_web:
        download(app, default, make)
        return
    if app.person_id is not None:
        app.notify(
            f"On a team server files land on your own machine: ssh … {command} > {default}",
            title="Not written here",
            severity="warning",
            timeout=15,
        )
        return

    async def submit(values: dict[str, str]) -> Path:
        path = Path(values["file"]).expanduser()
        if not path.parent.exists():
            raise OkrateError(f"the folder {path.parent} does not exist")
        text = await app.db.call(make)
        replace_private(path, text)
        return path

    def done(path: Path | None) -> None:
        if path is not None:
            app.notify(f"Wrote {path}")

    fields = [
        Field(
            "file",
            "Write to",
            str(Path("~") / default),
            required=True,
            help="a Markdown file; an existing one is replaced",
        )
    ]
    app.push_screen(FormScreen(title, fields, submit), done)


def download(app: Host, name: str, make: Callable[[], str]) -> None:
    """Hand a Markdown export to the browser, which saves it where the person chooses."""

    async def deliver() -> None:
        try:
            text = await app.db.read(make)
        except OkrateError as exc:
            app.notify(str(exc), title="Not exported", severity="error", timeout=10)
            return
        app.deliver_text(io.StringIO(text), save_filename=name, mime_type="text/markdown", encoding="utf-8")
        app.notify(f"{name} goes to your browser's downloads")

    app.run_worker(deliver(), group="export")
