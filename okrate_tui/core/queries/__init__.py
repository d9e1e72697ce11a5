"""Read-side queries: fast, read-only, returning plain rows and dataclasses.

The UI and the CLI read through these functions and write through the services.
"""
