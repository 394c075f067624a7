"""Throttled, then locked: the login page and HTTP Basic count failures per account and per
address (django-axes); a locked login is refused even with the right password, in Chinese,
until the window passes or an administrator unlocks it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from tests.api.conftest import basic_auth
from tests.world import PASSWORD
from weijian.accounts.lockout import client_ip
from weijian.accounts.models import AccountEvent

LIMIT = 5  # WEIJIAN_LOGIN_FAILURE_LIMIT's default


def login(client, username, password, address="10.1.1.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world):
    for _ in range(LIMIT - 1):
        response = login(client, "alice", "wrong")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    response = login(client, "alice", "wrong")  # the 5th failure locks
    assert response.status_code == 429
    response = login(client, "alice", PASSWORD, address="10.9.9.9")  # any address
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟后再试" in page
    assert "_auth_user_id" not in client.session
    # Bob is not affected.
    assert login(client, "bob", PASSWORD).status_code == 302


def test_an_administrator_unlocks_with_the_command_and_it_is_recorded(client, world):
    for _ in range(LIMIT):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 429
    call_command("unlock", "alice")
    event = AccountEvent.objects.get(action=AccountEvent.Action.UNLOCKED)
    assert event.username == "alice" and "weijian unlock" in event.detail
    assert login(client, "alice", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, world):
    for _ in range(LIMIT - 1):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(client, world):
    # 30 failures from one address over 30 usernames: each account has 1, the address 30.
    for i in range(30):
        login(client, f"guess{i}", "wrong", address="10.6.6.6")
    assert login(client, "bob", PASSWORD, address="10.6.6.6").status_code == 429
    assert login(client, "bob", PASSWORD, address="10.7.7.7").status_code == 302


def test_http_basic_is_counted_and_locked_alike_with_a_chinese_json_answer(client, world):
    for _ in range(LIMIT - 1):
        response = client.get("/api/me", **basic_auth("alice", "wrong"))
        assert response.status_code == 401
    assert client.get("/api/me", **basic_auth("alice", "wrong")).status_code == 429
    response = client.get("/api/me", **basic_auth("alice"))
    assert response.status_code == 429
    body = response.json()
    assert body["httpStatusCode"] == 429 and "登录失败次数过多" in body["message"]
    # The login page counts the same failures.
    assert login(client, "alice", PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.9", "", [], "10.0.0.9"),
        ("10.0.0.9", "6.6.6.6", [], "10.0.0.9"),  # no trusted proxy: the header is ignored
        ("10.0.0.9", "6.6.6.6", ["127.0.0.1"], "10.0.0.9"),  # not from the proxy: ignored
        ("127.0.0.1", "6.6.6.6", ["127.0.0.1"], "6.6.6.6"),
        # The client wrote its own X-Forwarded-For; the proxy appended the real address.
        ("127.0.0.1", "1.2.3.4, 8.8.8.8", ["127.0.0.1"], "8.8.8.8"),
        ("127.0.0.1", "8.8.8.8, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "8.8.8.8"),
        ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    settings, remote, forwarded, trusted, expected
):
    import ipaddress

    settings.WEIJIAN_TRUSTED_PROXIES = [ipaddress.ip_network(t) for t in trusted]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
