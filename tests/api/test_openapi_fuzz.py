"""A bounded schemathesis run over every operation of /api/openapi.json, through the WSGI
app: no 5xx, and every answer's status, content type and body as the schema publishes them.

Bounded and repeatable: 12 examples per operation, derandomized (the same requests every
run), as the bureau administrator (the widest scope) over the test world. About a minute."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app closes "old" database connections at each request's start and end, which
    on PostgreSQL would close the test's own connection mid-transaction; Django's test client
    disconnects the same signal handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
