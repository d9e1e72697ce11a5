"""The Textual app. It reads through core queries and writes through core services."""
