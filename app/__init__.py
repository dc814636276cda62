"""Synopsis Studio: the PySide6 desktop application (widgets only; engine calls go via core)."""
