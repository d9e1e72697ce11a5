"""keys.toml: every table is used, every action exists where its key is pressed, and a
typo in the file is an error, not a silent key that does nothing."""

from __future__ import annotations

import pytest
from textual.actions import parse
from textual.binding import Binding

from okrate_tui.ui import default_keys as default_keys_module
from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.default_keys import default_keys, key_tables
from okrate_tui.ui.key_index import binding_classes
from okrate_tui.ui.screens.main import MainScreen


def _bindings(cls: type) -> list[Binding]:
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def test_every_table_is_the_bindings_of_one_class() -> None:
    declared = {b.id for place in key_tables() for b in default_keys(place) if isinstance(b, Binding)}
    used = {b.id for cls in binding_classes(OkrateApp) for b in _bindings(cls)}
    assert declared == used
    ids = [f"{place}.{name}" for place, table in key_tables().items() for name in table]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("cls", binding_classes(OkrateApp), ids=lambda cls: cls.__name__)
def test_every_action_exists_on_the_class_that_binds_it(cls: type) -> None:
    for binding in _bindings(cls):
        target, name, _ = parse(binding.action)
        owner = {"app": OkrateApp, "screen": MainScreen}.get(target, cls)
        assert callable(getattr(owner, f"action_{name}", None)), f"{binding.id}: no action_{name} on {owner.__name__}"


def test_an_unknown_field_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {"board": {"left": {"keys": "h", "action": "column(-1)", "lable": "Left"}}}
    monkeypatch.setattr(default_keys_module, "key_tables", lambda: table)
    with pytest.raises(ValueError, match="lable"):
        default_keys("board")


def test_a_refusable_action_comes_with_its_silent_twin() -> None:
    bindings = [b for b in default_keys("board") if isinstance(b, Binding) and b.id == "board.done"]
    assert [b.action for b in bindings] == ['act("done")', "refused('act(\"done\")')"]
    assert bindings[1].show is False
