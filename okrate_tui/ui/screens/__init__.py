"""The app's screens. Importing them makes every screen show stored text, never obey it
(see :mod:`okrate_tui.ui.harmless`)."""

from okrate_tui.ui.harmless import install

install()
