"""人员与角色: a 机构管理员 manages users and roles inside their own subtree only, audited;
a temporary password (new user, reset) must be changed at the next login."""

import pytest

from tests.world import PASSWORD, make_user
from weijian.accounts.models import AccountEvent, AccountState
from weijian.orgs.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingrid(world):
    """The hospital's 机构管理员."""
    return make_user("ingrid", Role.INSTITUTION_ADMIN, world.hospital)


@pytest.fixture
def manager(client, ingrid):
    client.login(username="ingrid", password=PASSWORD)
    return client


def test_the_list_shows_the_hospitals_people_and_nobody_above_or_beside(manager, world):
    response = manager.get("/people/")
    assert response.status_code == 200
    names = [p.username for p, _ in response.context["rows"]]
    # alice (内科), bob (外科), ingrid, rita and victor (人民医院); not olivia (卫生院), not admin (局)
    assert names == ["alice", "bob", "ingrid", "rita", "victor"]
    assert "城关卫生院" not in response.content.decode()
    assert manager.get(f"/people/{world.olivia.pk}/").status_code == 404
    assert manager.get(f"/people/{world.admin.pk}/").status_code == 404


def test_a_role_above_is_not_shown_and_cannot_be_revoked(manager, world):
    RoleAssignment.objects.create(user=world.victor, org_unit=world.bureau, role=Role.VIEWER)
    page = manager.get(f"/people/{world.victor.pk}/")
    assert [r.org_unit.code for r in page.context["roles"]] == ["HOS"]  # the bureau role unseen
    above = RoleAssignment.objects.get(user=world.victor, org_unit=world.bureau)
    manager.post(f"/people/{world.victor.pk}/roles/{above.pk}/revoke/")
    assert RoleAssignment.objects.filter(pk=above.pk).exists()
    # and victor, someone else's too, keeps his password and stays active
    manager.post(f"/people/{world.victor.pk}/reset/")
    manager.post(f"/people/{world.victor.pk}/active/", {"active": "0"})
    world.victor.refresh_from_db()
    assert world.victor.check_password(PASSWORD) and world.victor.is_active


def test_roles_are_granted_inside_the_subtree_only_and_never_bureau_admin(manager, world):
    alice = world.alice
    manager.post(f"/people/{alice.pk}/grant/", {"role": Role.VIEWER, "ou": "BUR"})  # above
    manager.post(f"/people/{alice.pk}/grant/", {"role": Role.VIEWER, "ou": "TWN"})  # beside
    manager.post(f"/people/{alice.pk}/grant/", {"role": Role.BUREAU_ADMIN, "ou": "HOS"})
    assert list(
        RoleAssignment.objects.filter(user=alice).values_list("role", "org_unit__code")
    ) == [(Role.CLERK, "MED")]
    page = manager.get(f"/people/{alice.pk}/")
    assert Role.BUREAU_ADMIN.value not in [v for v, _ in page.context["grantable"]]

    manager.post(f"/people/{alice.pk}/grant/", {"role": Role.CLERK, "ou": "SUR"})
    manager.post(f"/people/{alice.pk}/grant/", {"role": Role.CLERK, "ou": "SUR"})  # resent
    assert RoleAssignment.objects.filter(user=alice, org_unit=world.surgery).count() == 1
    granted = AccountEvent.objects.filter(user=alice, action=AccountEvent.Action.ROLE_GRANTED)
    assert [(e.by.username, e.detail) for e in granted] == [("ingrid", "科室填报员 @ 外科")]


def test_the_bureau_admin_may_grant_bureau_admin(client, world):
    client.login(username="admin", password=PASSWORD)
    client.post(f"/people/{world.rita.pk}/grant/", {"role": Role.BUREAU_ADMIN, "ou": "HOS"})
    assert RoleAssignment.objects.filter(user=world.rita, role=Role.BUREAU_ADMIN).exists()


def test_a_clerk_and_a_reviewer_have_no_people_page(client, world):
    for username in ("alice", "rita", "olivia"):
        client.login(username=username, password=PASSWORD)
        assert client.get("/people/").status_code == 404
        client.post("/people/new/", {"username": "x", "name": "X", "role": "CLERK", "ou": "MED"})
    assert not RoleAssignment.objects.filter(user__username="x").exists()


def test_revoking_the_last_role_is_refused_and_a_second_role_goes(manager, world):
    only = RoleAssignment.objects.get(user=world.bob)
    manager.post(f"/people/{world.bob.pk}/roles/{only.pk}/revoke/")
    assert RoleAssignment.objects.filter(pk=only.pk).exists()
    extra = RoleAssignment.objects.create(user=world.bob, org_unit=world.medicine, role="CLERK")
    manager.post(f"/people/{world.bob.pk}/roles/{extra.pk}/revoke/")
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    event = AccountEvent.objects.get(user=world.bob, action=AccountEvent.Action.ROLE_REVOKED)
    assert event.by.username == "ingrid" and event.detail == "科室填报员 @ 内科"


def test_a_new_user_must_choose_a_password_at_first_login(manager, client, world):
    response = manager.post(
        "/people/new/", {"username": "zhangsan", "name": "张三", "role": "CLERK", "ou": "MED"}
    )
    person = RoleAssignment.objects.get(user__username="zhangsan").user
    assert response.url == f"/people/{person.pk}/"
    page = manager.get(response.url)
    temporary = page.context["new_password"]["password"]
    assert 'id="temporary-password"' in page.content.decode()
    assert "temporary-password" not in manager.get(response.url).content.decode()  # shown once
    created = AccountEvent.objects.get(user=person, action=AccountEvent.Action.USER_CREATED)
    assert created.by.username == "ingrid" and created.detail == "科室填报员 @ 内科"

    manager.logout()
    assert client.login(username="zhangsan", password=temporary)
    assert client.get("/").url == "/account/password/required/"
    assert client.get("/forms/MED/").url == "/account/password/required/"
    weak = client.post(
        "/account/password/required/",
        {"old_password": temporary, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 400 and "密码不能全是数字" in weak.content.decode()
    done = client.post(
        "/account/password/required/",
        {
            "old_password": temporary,
            "new_password1": "Qingshan-2026!",
            "new_password2": "Qingshan-2026!",
        },
    )
    assert done.url == "/"
    assert client.get("/").status_code == 200
    assert not AccountState.objects.get(user=person).must_change_password


def test_the_manager_resets_a_password_and_the_old_one_stops_working(manager, client, world):
    manager.post(f"/people/{world.alice.pk}/reset/")
    temporary = manager.get(f"/people/{world.alice.pk}/").context["new_password"]["password"]
    manager.logout()
    assert not client.login(username="alice", password=PASSWORD)
    assert client.login(username="alice", password=temporary)
    assert client.get("/review/").url == "/account/password/required/"
    reset = AccountEvent.objects.get(user=world.alice, action=AccountEvent.Action.PASSWORD_RESET)
    assert reset.by.username == "ingrid"


def test_the_manager_cannot_reset_their_own_password_here(manager, ingrid):
    manager.post(f"/people/{ingrid.pk}/reset/")
    ingrid.refresh_from_db()
    assert ingrid.check_password(PASSWORD)


def test_a_deactivated_user_cannot_log_in_and_is_audited(manager, client, world):
    manager.post(f"/people/{world.bob.pk}/active/", {"active": "0"})
    manager.post(f"/people/{world.bob.pk}/active/", {"active": "0"})  # replay: nothing more
    manager.logout()
    assert not client.login(username="bob", password=PASSWORD)
    events = AccountEvent.objects.filter(user=world.bob, action="USER_DEACTIVATED")
    assert events.count() == 1


def test_changing_my_own_password_on_my_account_page(client, world):
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Neike-2026!", "new_password2": "Neike-2026!"},
    )
    assert response.url == "/account/"
    world.alice.refresh_from_db()
    assert world.alice.check_password("Neike-2026!")
    assert AccountEvent.objects.filter(user=world.alice, action="PASSWORD_CHANGED").count() == 1
    wrong = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "Neike-2027!", "new_password2": "Neike-2027!"},
    )
    assert wrong.status_code == 400
    world.alice.refresh_from_db()
    assert world.alice.check_password("Neike-2026!")


def test_a_user_made_in_the_admin_site_also_changes_the_password_first(client, world):
    from django.contrib.auth.models import User

    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    client.login(username="admin", password=PASSWORD)
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "lisi", "password1": "Temp-Pass-2026", "password2": "Temp-Pass-2026",
         "usable_password": "true"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    person = User.objects.get(username="lisi")
    assert AccountState.objects.get(user=person).must_change_password
    client.logout()
    client.login(username="lisi", password="Temp-Pass-2026")
    assert client.get("/").url == "/account/password/required/"


def test_the_next_page_keeps_the_unit_and_the_search(manager, world):
    for n in range(51):  # 51 clerks of 内科 found by "nk" (not alice): two pages of 50
        make_user(f"nk{n:02d}", Role.CLERK, world.medicine)
    first = manager.get("/people/?ou=MED&q=nk")
    assert first.context["page"].paginator.count == 51
    assert 'href="?ou=MED&amp;q=nk&page=2"' in first.content.decode()
    second = manager.get("/people/?ou=MED&q=nk&page=2")
    assert [p.username for p, _ in second.context["rows"]] == ["nk50"]
