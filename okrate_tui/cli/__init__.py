"""The ``okrate`` command: scripted use of the core, and the door to the app."""
