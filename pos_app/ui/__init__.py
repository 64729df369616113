"""The cashier's desktop (PySide6): widgets and models only; all work goes through services."""
