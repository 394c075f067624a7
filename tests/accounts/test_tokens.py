"""Personal access tokens: DHIS2's shape, shown once, stored hashed, scoped like their owner,
usable on the API only, revoked or expired → 401."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from weijian.accounts import actions, tokens
from weijian.accounts.models import AccountEvent, ApiToken
from weijian.reporting.models import DataValue


def bearer(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"ApiToken {text}"}


def test_tokens_have_dhis2s_shape_and_a_checksum():
    text = tokens.generate()
    assert text.startswith("d2pat_") and len(text) == 48 and tokens.well_formed(text)
    changed = text[:10] + ("A" if text[10] != "A" else "B") + text[11:]
    assert not tokens.well_formed(changed)  # one character off: the CRC32 no longer fits
    assert not tokens.well_formed(text[:-1])
    assert tokens.generate() != text


def test_the_page_shows_a_new_token_once_and_keeps_only_its_hash(client, world):
    client.force_login(world.alice)
    response = client.post("/account/tokens/", {"name": "同步脚本", "days": "90"})
    assert response.status_code == 302
    page = client.get("/account/").content.decode()
    token = ApiToken.objects.get()
    start = page.index('value="d2pat_') + len('value="')
    text = page[start : start + 48]
    assert tokens.digest(text) == token.digest and text not in str(token.__dict__)
    assert "只显示这一次" in page
    assert text not in client.get("/account/").content.decode()  # a reload does not show it
    assert (token.expires_at - token.created_at).days == 90
    assert AccountEvent.objects.get().action == AccountEvent.Action.TOKEN_CREATED


@pytest.mark.parametrize(("name", "days", "message"), [("", "90", "请填写令牌的用途"),
                                                       ("x", "7", "有效期只能为"),
                                                       ("x", "abc", "有效期只能为")])  # fmt: skip
def test_bad_token_requests_change_nothing(client, world, name, days, message):
    client.force_login(world.alice)
    response = client.post("/account/tokens/", {"name": name, "days": days}, follow=True)
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_acts_as_its_owner_with_the_owners_scope(client, world):
    _token, text = actions.create_token(world.olivia, "脚本", 30)
    me = client.get("/api/me", **bearer(text)).json()
    assert me["username"] == "olivia"
    rows = {"dataValues": [{"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "9"}]}  # fmt: skip
    response = client.post("/api/dataValueSets?idScheme=CODE", rows, content_type="application/json",
                           **bearer(text))  # fmt: skip
    assert response.status_code == 409
    assert "您没有组织机构“MED”的填报权限" in response.json()["response"]["conflicts"][0]["value"]
    rows["dataValues"][0]["orgUnit"] = "TWN"
    response = client.post("/api/dataValueSets?idScheme=CODE", rows, content_type="application/json",
                           **bearer(text))  # fmt: skip
    assert response.status_code == 200
    assert DataValue.objects.get().org_unit == world.township
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_expired_or_unknown_tokens_and_inactive_owners_are_401(client, world):
    token, text = actions.create_token(world.alice, "脚本", 30)
    assert client.get("/api/me", **bearer(text)).status_code == 200
    actions.revoke_token(world.alice, token.pk)
    assert client.get("/api/me", **bearer(text)).status_code == 401
    token, text = actions.create_token(world.alice, "脚本2", 30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/me", **bearer(text)).status_code == 401
    assert client.get("/api/me", **bearer(tokens.generate())).status_code == 401
    assert client.get("/api/me", **bearer("d2pat_short")).status_code == 401
    _token, text = actions.create_token(world.bob, "脚本", 30)
    world.bob.is_active = False
    world.bob.save()
    assert client.get("/api/me", **bearer(text)).status_code == 401


def test_a_token_opens_no_web_page(client, world):
    _token, text = actions.create_token(world.admin, "脚本", 30)
    response = client.get("/", **bearer(text))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nobody_revokes_anothers_token(client, world):
    token, _text = actions.create_token(world.alice, "脚本", 30)
    client.force_login(world.olivia)
    response = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert "找不到该令牌" in response.content.decode()
    assert ApiToken.objects.get().revoked_at is None
    client.force_login(world.alice)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    client.post(f"/account/tokens/{token.pk}/revoke/")  # a replay changes nothing more
    assert AccountEvent.objects.filter(action=AccountEvent.Action.TOKEN_REVOKED).count() == 1


def test_twenty_live_tokens_at_most(world):
    for i in range(actions.MAX_TOKENS):
        actions.create_token(world.alice, f"t{i}", 30)
    with pytest.raises(actions.AccountError, match="请先撤销"):
        actions.create_token(world.alice, "one more", 30)


def test_a_double_clicked_token_request_makes_one_token(client, world):
    """Two tokens from one click: the second shown, the first valid and never seen."""
    from tests.replay import form_token, submit_twice
    from weijian.accounts.models import ApiToken

    client.force_login(world.alice)
    token = form_token(client.get("/account/").content.decode(), 'action="/account/tokens/"')
    submit_twice(client, "/account/tokens/", {"name": "同步脚本", "days": "90"}, token)
    assert ApiToken.objects.filter(user=world.alice).count() == 1
