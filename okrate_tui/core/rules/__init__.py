"""Pure functions for the domain's rules: no database, no clock, no UI."""
