"""A bounded schemathesis run over every operation of /api/openapi.json, through the WSGI
app: no 5xx, and every answer's status, content type and body as the schema publishes them.

Bounded and repeatable: 12 examples per operation, derandomized (the same requests every
run), as the bureau administrator (the widest scope) over the test world. About a minute."""

from __future__ import annotations

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.api.conftest import basic_auth

# The schema is read once, at collection, through the WSGI app (no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES = 12


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_published(case, world):
    headers = {"Authorization": basic_auth("admin")["HTTP_AUTHORIZATION"]}
    case.call_and_validate(headers=headers, checks=CHECKS)
