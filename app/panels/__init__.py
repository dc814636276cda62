"""Panels of the main window: each reads the state, shows it, and emits intent signals."""
