"""Controllers: what the views do, with no widgets (saving, conflicts, versions, undo)."""
