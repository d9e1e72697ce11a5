"""Exports in a browser (``okrate web``) are downloads; in a terminal they still ask for a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.conftest import SIZE, settle
from tests.ui.test_review_pane import open_review, to_person


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Run the app as if under Textual's web driver; collect what it delivers."""
    delivered: list[dict[str, Any]] = []

    def deliver_text(self: OkrateApp, file: Any, **options: Any) -> str:
        delivered.append({"text": file.read(), **options})
        return "key"

    monkeypatch.setattr(OkrateApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(OkrateApp, "deliver_text", deliver_text)
    return delivered


async def test_packet_export_is_a_download_in_a_browser(demo_path, make_app, in_browser, tmp_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "kim")
        await pilot.press("x")
        await settle(pilot, lambda a: bool(in_browser))
        assert not isinstance(app.screen, FormScreen)  # the browser asks where, not the app
    [sent] = in_browser
    assert sent["save_filename"].endswith("-kim.md")
    assert sent["mime_type"] == "text/markdown"
    assert "Kim" in sent["text"] and sent["text"].startswith("#")
    assert not list(tmp_path.glob("*.md"))  # nothing written on the server's disk
    assert any("browser's downloads" in n.message for n in app._notifications)


async def test_one_on_one_export_is_a_download_in_a_browser(demo_path, make_app, in_browser) -> None:
    app = make_app(demo_path, as_handle="devon")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "jonas")
        await pilot.press("o")
        await settle(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.goals)
        await pilot.press("x")
        await settle(pilot, lambda a: bool(in_browser))
    [sent] = in_browser
    assert sent["save_filename"].startswith("one-on-one-") and sent["save_filename"].endswith("-jonas.md")
    assert sent["text"].strip()


async def test_in_a_terminal_export_still_asks_for_a_file(demo_path, make_app, tmp_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await to_person(pilot, "kim")
        await pilot.press("x")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        assert not app.is_web
