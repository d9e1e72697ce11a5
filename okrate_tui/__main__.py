"""Allow ``python -m okrate_tui``."""

from okrate_tui.cli.main import main

raise SystemExit(main())
