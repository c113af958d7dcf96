"""naba (نبأ): an Arabic-first news aggregation engine.

Pipeline: fetch → extract → analyze → store → search → read. See ARCHITECTURE in the README.
"""

__version__ = "0.1.0"
