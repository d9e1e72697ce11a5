"""The demo organisation: a realistic, deterministic company to explore and to measure
against. It lives outside the core, which never depends on it."""

from okrate_tui.demo.organisation import DemoSummary, generate

__all__ = ["DemoSummary", "generate"]
