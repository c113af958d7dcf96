"""naba.web."""
