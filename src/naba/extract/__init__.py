"""naba.extract."""
