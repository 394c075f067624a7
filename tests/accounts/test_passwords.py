"""Django's four password validators, in Chinese, on every path that sets a password."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.world import PASSWORD
from weijian.accounts.models import AccountEvent


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "这个密码太常见了，容易被猜中"),
        ("12345678", "密码不能全是数字"),
        ("8391275640", "密码不能全是数字"),
        ("abc12", "密码太短：至少需要 8 个字符"),
        ("alice-liu-2026", "密码与用户名过于相似"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(db, password, reason):
    user = User(username="alice-liu", first_name="Alice")
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert any(reason in message for message in caught.value.messages), caught.value.messages


def test_similarity_to_the_name_is_named_in_chinese(db):
    with pytest.raises(ValidationError) as caught:
        validate_password("wanglili1", User(username="u1001", first_name="Wanglili"))
    assert caught.value.messages == ["密码与名字过于相似，容易被猜中"]


def test_a_strong_password_passes(db):
    validate_password("xiu-lan-bridge-47", User(username="alice"))


def test_the_account_page_refuses_12345678_and_changes_nothing(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个密码太常见了" in page and "密码不能全是数字" in page
    assert User.objects.get(username="alice").check_password(PASSWORD)
    assert not AccountEvent.objects.exists()


def test_the_account_page_changes_the_password_and_records_it(client, world):
    client.force_login(world.alice)
    new = "xiu-lan-bridge-47"
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert User.objects.get(username="alice").check_password(new)
    assert AccountEvent.objects.get().action == AccountEvent.Action.PASSWORD_CHANGED
    assert client.get("/account/").status_code == 200  # still signed in


def test_a_wrong_old_password_changes_nothing(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "xiu-lan-bridge-47",
         "new_password2": "xiu-lan-bridge-47"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "原密码" in response.content.decode()
    assert User.objects.get(username="alice").check_password(PASSWORD)


def test_the_account_page_needs_a_login(client, db):
    assert client.get("/account/").status_code == 302
    assert client.post("/account/password/", {}).status_code == 302


def test_a_password_change_and_its_record_are_one_write(client, world, monkeypatch):
    # If the account event cannot be written, the password must not have changed either: a
    # change nobody can see in 账户记录 is what the record is there to prevent.
    client.force_login(world.alice)
    new = "xiu-lan-bridge-47"

    def broken(*args, **kwargs):
        raise RuntimeError("the event table is unavailable")

    monkeypatch.setattr(AccountEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
    assert User.objects.get(username="alice").check_password(PASSWORD)
