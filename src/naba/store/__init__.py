"""Storage: the Store protocol and its SQLite implementation (the source of truth)."""
