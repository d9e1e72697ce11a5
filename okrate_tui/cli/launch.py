"""Open the app, and the demo organisation that ``--demo`` points the app or a command at."""

from __future__ import annotations

import os

from okrate_tui.cli.context import Context
from okrate_tui.core.db import demo_path
from okrate_tui.core.files import private_dir


def use_demo(ctx: Context, db: str | None) -> None:
    """Point ``ctx`` at the demo file (never at $OKRATE_DB: only an explicit ``--db``
    names another), fill it when empty, and act as the demo's admin unless ``--as``
    says otherwise."""
    ctx.url = db
    if db is None:
        ctx.url = str(demo_path())
        private_dir(demo_path().parent)
    ctx.db(create=True)
    from okrate_tui import demo
    from okrate_tui.core.tables import is_empty

    if is_empty():
        demo.generate()
    if ctx.as_handle is None:
        ctx.as_handle = "maria"


WEB_DRIVER = "textual.drivers.web_driver"


def in_browser() -> bool:
    """Is the app to draw into a browser? textual-serve (``okrate web``) runs each tab
    with Textual's web driver over pipes, which are no terminal and need none."""
    module, _, _ = os.environ.get("TEXTUAL_DRIVER", "").partition(":")
    return module == WEB_DRIVER


def launch(ctx: Context) -> int:
    """Open the app; the database is opened (or found missing) on its own thread."""
    from okrate_tui.ui.start import begin
    from okrate_tui.ui.store.gateway import Gateway

    db = Gateway()
    operator = ctx.is_operator
    early = begin(db, ctx.url, ctx.as_handle, ctx.person_id, operator)  # database work overlaps the UI imports
    from okrate_tui.ui.app import OkrateApp

    if not in_browser():  # the terminal's own size, not one a shell exported (Textual reads COLUMNS first)
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    remote = ctx.person_id is not None or bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))
    app = OkrateApp(
        url=ctx.url,
        as_handle=ctx.as_handle,
        db=db,
        prefetch=early,
        person_id=ctx.person_id,
        operator=operator,
        blink=not remote,  # over SSH every blink of a cursor is a frame sent
    )
    try:
        app.run()
    finally:
        db.close()
    return int(app.return_code or 0)
