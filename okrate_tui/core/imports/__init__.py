"""Reading task lists made elsewhere (Taskwarrior, spreadsheets, Okrate's own CSV) into
an :class:`~okrate_tui.core.imports.plan.Plan`; :mod:`okrate_tui.core.services.imports`
writes a plan through the task and goal services."""
