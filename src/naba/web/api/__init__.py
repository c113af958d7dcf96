"""naba's JSON API (``/api/v1``), its one error envelope, ``/openapi.json`` and ``/docs``."""
