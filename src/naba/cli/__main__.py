"""``python -m naba.cli``: the ``naba`` command."""

from naba.cli import main

main()
