"""The package's metadata: an SPDX licence, both command names, the classifiers."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_licence_is_an_spdx_expression_with_its_file() -> None:
    project = PROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert "2026 The Okrate authors" in (ROOT / "LICENSE").read_text()
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert "setuptools>=77" in PROJECT["build-system"]["requires"]


def test_okrate_tui_runs_the_same_command_as_okrate() -> None:
    scripts = PROJECT["project"]["scripts"]
    assert scripts["okrate-tui"] == scripts["okrate"] == "okrate_tui.cli.main:main"


def test_classifiers_and_links() -> None:
    project = PROJECT["project"]
    for classifier in ("Environment :: Console", "Topic :: Office/Business", "Programming Language :: Python :: 3.13"):
        assert classifier in project["classifiers"]
    assert set(project["urls"]) == {"Homepage", "Documentation", "Issues"}
    assert all(url.startswith("https://github.com/okrate/okrate-tui") for url in project["urls"].values())
