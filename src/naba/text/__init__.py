"""naba.text."""
