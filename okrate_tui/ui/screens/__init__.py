
from okrate_tui.ui.harmless import install

install()  # every screen shows stored text, never obeys it (see ui/harmless.py)
