"""The DHIS2-compatible HTTP API under /api/ (django-ninja; OpenAPI at /api/openapi.json)."""
