"""naba.sources."""
