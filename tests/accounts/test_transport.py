"""Transport: no Basic dialog for browsers, no cross-site writes with ambient credentials,
a CSP on our pages, Swagger UI from our own static files, no serving with the default key,
and `weijian check --deploy` clean with the README's production settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tests.api.conftest import basic_auth
from tests.world import PASSWORD
from weijian.accounts import actions
from weijian.deploy import refuse_default_secret_key
from weijian.reporting.models import DataValue

WRITE = "/api/dataValues?de=DIS&pe=202601&ou=MED&value=7"


def test_browsers_get_no_basic_challenge_programs_do(client, world):
    for headers in ({"HTTP_SEC_FETCH_MODE": "navigate"}, {"HTTP_ACCEPT": "text/html,*/*"},
                    {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}):  # fmt: skip
        response = client.get("/api/me", **headers)
        assert response.status_code == 401
        assert not response["WWW-Authenticate"].lower().startswith("basic")
        assert response["WWW-Authenticate"].startswith("ApiToken")
    response = client.get("/api/me", HTTP_ACCEPT="application/json")  # curl, requests, httpx
    assert response["WWW-Authenticate"].startswith("Basic ")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_a_cross_site_write_with_basic_credentials_is_refused(client, world, headers):
    """The attack: a page elsewhere POSTs a form to /api/dataValues?…&value=… and the
    browser adds the Basic credentials it cached."""
    response = client.post(WRITE, **basic_auth("alice"), **headers)
    assert response.status_code == 403
    assert "拒绝跨站写入" in response.json()["message"]
    assert not DataValue.objects.exists()


def test_the_same_site_and_programs_still_write_with_basic(client, world):
    response = client.post(WRITE, **basic_auth("alice"), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 201
    response = client.post(WRITE.replace("value=7", "value=8"), **basic_auth("alice"))
    assert response.status_code == 201
    assert DataValue.objects.get().value == "8"
    # Reads are never refused for their origin.
    assert (
        client.get("/api/me", **basic_auth("alice"), HTTP_ORIGIN="https://evil.example").status_code
        == 200
    )


def test_a_cross_site_write_with_the_session_is_refused_even_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    client.login(username="alice", password=PASSWORD)
    token = client.cookies["csrftoken"].value
    response = client.post(WRITE, HTTP_X_CSRFTOKEN=token, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not DataValue.objects.exists()
    response = client.post(WRITE, HTTP_X_CSRFTOKEN=token, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 201


def test_a_token_is_not_ambient_so_it_may_write_from_anywhere(client, world):
    _token, text = actions.create_token(world.alice, "脚本", 30)
    response = client.post(
        WRITE, HTTP_AUTHORIZATION=f"ApiToken {text}", HTTP_ORIGIN="https://tool.example"
    )
    assert response.status_code == 201


def test_pages_carry_a_content_security_policy(client, world):
    client.force_login(world.alice)
    for url in ("/login/", "/", "/account/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy


def test_swagger_ui_is_served_from_our_own_static_files(client, world):
    client.force_login(world.victor)
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_serving_with_the_default_key_is_refused_unless_debug(settings):
    settings.DEBUG, settings.SECRET_KEY = False, settings.DEV_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="WEIJIAN_SECRET_KEY"):
        refuse_default_secret_key()
    settings.DEBUG = True
    refuse_default_secret_key()
    settings.DEBUG, settings.SECRET_KEY = False, "k" * 50
    refuse_default_secret_key()


def _env(**extra) -> dict[str, str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("WEIJIAN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(extra)
    return env


def test_the_wsgi_application_refuses_the_default_key(tmp_path):
    result = subprocess.run([sys.executable, "-c", "import weijian.wsgi"], capture_output=True,
                            text=True, env=_env(WEIJIAN_VAR_DIR=str(tmp_path)), timeout=120)  # fmt: skip
    assert result.returncode != 0 and "WEIJIAN_SECRET_KEY" in result.stderr


# The README's production example (section “Production settings”).
PRODUCTION = {
    "WEIJIAN_SECRET_KEY": "Qm4v8yZp2LrT7nW5sXc9Kd3Hf6Jg1Bq0Ae-Uo_Vi8Ny4Mz2Pt7Rw5Sx3Cv9Lb6Gh1",
    "WEIJIAN_ALLOWED_HOSTS": "weijian.example.gov.cn",
    "WEIJIAN_CSRF_TRUSTED_ORIGINS": "https://weijian.example.gov.cn",
    "WEIJIAN_HTTPS": "true",
    "WEIJIAN_HSTS_PRELOAD": "true",
    "WEIJIAN_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "WEIJIAN_TRUSTED_PROXIES": "127.0.0.1",
}


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    command = [sys.executable, "-m", "weijian.cli", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            env=_env(WEIJIAN_VAR_DIR=str(tmp_path), **PRODUCTION))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # And the same check says what is wrong without them.
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            env=_env(WEIJIAN_VAR_DIR=str(tmp_path)))  # fmt: skip
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout


def test_no_template_has_an_inline_script_or_event_handler():
    """The CSP forbids them (script-src 'self'), so one would silently stop working."""
    import re
    from pathlib import Path

    import weijian

    offenders = []
    for path in Path(weijian.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(path.name)
    assert offenders == []
