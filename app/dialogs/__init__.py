"""Dialogs: export, settings, shortcuts and small text prompts."""
