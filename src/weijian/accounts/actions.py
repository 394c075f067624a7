"""Every write to accounts: tokens created and revoked, lockouts lifted, password changes
recorded; each in a transaction, each checked and recorded as an AccountEvent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import tokens
from .models import AccountEvent, ApiToken

TOKEN_DAYS = (30, 90, 180, 365)  # the lifetimes offered; DHIS2 also requires an expiry
MAX_TOKENS = 20  # live tokens per user: more is a sign of tokens not being revoked


class AccountError(Exception):
    """A refused account action; the message is Chinese and shown as is."""


def _event(user, action: str, by, detail: str = "") -> None:
    AccountEvent.objects.create(
        user=user, username=user.get_username(), action=action, by=by, at=timezone.now(),
        detail=detail[:200],
    )  # fmt: skip


def create_token(user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user` (who must be the one asking): returns the row and the token
    text, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise AccountError("请填写令牌的用途（例如：DHIS2 同步脚本）")
    if len(name) > 100:
        raise AccountError("用途过长（最多 100 个字）")
    if days not in TOKEN_DAYS:
        raise AccountError(f"有效期只能为 {'、'.join(str(d) for d in TOKEN_DAYS)} 天")
    now = timezone.now()
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(
            user=user, revoked_at__isnull=True, expires_at__gt=now
        )
        if len(live) >= MAX_TOKENS:
            raise AccountError(f"有效令牌已有 {MAX_TOKENS} 个，请先撤销不用的令牌")
        text = tokens.generate()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=tokens.digest(text),
            shown=tokens.shown(text),
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        _event(user, AccountEvent.Action.TOKEN_CREATED, user, f"{name}（{token.shown}）")
    return token, text


def revoke_token(user, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens. Revoking twice changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise AccountError("找不到该令牌")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            _event(user, AccountEvent.Action.TOKEN_REVOKED, user, f"{token.name}（{token.shown}）")
    return token


def change_password(user, new_password: str) -> None:
    """Set `user`'s own password (already checked by the page's form: the old password and
    the validators), lift a forced change (a temporary password is now replaced) and record
    the change, in one transaction."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _set_must_change(user, False)  # a forced change at the first login is done
        _event(user, AccountEvent.Action.PASSWORD_CHANGED, user)


def unlock(user, by=None, detail: str = "") -> int:
    """Lift the login lockout of `user` (django-axes' failed attempts by that username);
    returns how many failure records were cleared."""
    from axes.utils import reset

    with transaction.atomic():
        cleared = reset(username=user.get_username())
        _event(user, AccountEvent.Action.UNLOCKED, by, detail or f"清除失败记录 {cleared} 条")
    return cleared


def toggle_favourite(user, kind: str, code: str) -> bool:
    """Add `code` to the user's favourites of `kind`, or take it away; returns whether it is
    a favourite now. The caller has checked that the code names something the user may see."""
    from .models import Favourite

    with transaction.atomic():
        deleted, _ = Favourite.objects.filter(user=user, kind=kind, code=code).delete()
        if deleted:
            return False
        Favourite.objects.get_or_create(user=user, kind=kind, code=code)
    return True


# -- people: users and roles managed by a 机构管理员 inside their own subtree ----------------
#
# A manager (a role with MANAGE: 局管理员, 机构管理员) manages the users who hold roles in the
# units they manage, and grants roles at those units only — never at a unit above or beside
# them. 局管理员 is granted only by someone holding it at or above the unit (or a superuser).
# A user who also holds a role outside the manager's subtree is someone else's too: the
# manager may grant and revoke roles inside the subtree, but not reset that user's password,
# rename or deactivate them. Superusers are managed in the Django admin only.

TEMP_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def temporary_password() -> str:
    """A 12-character password a person can read aloud; mixed letters and digits, so
    Django's validators accept it."""
    import secrets

    while True:
        text = "".join(secrets.choice(TEMP_PASSWORD_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return text


def _manager_scope(manager):
    from weijian.orgs.scope import Can, get_scope

    scope = get_scope(manager)
    if not scope.has_any(Can.MANAGE):
        raise AccountError("您没有管理用户的权限（需要机构管理员或局管理员角色）")
    return scope


def may_grant(manager, role: str, unit) -> bool:
    """Whether `manager` may grant `role` at `unit`: inside their MANAGE subtree, and
    局管理员 only from someone who holds it at or above the unit."""
    from weijian.orgs.models import Role
    from weijian.orgs.scope import Can, get_scope

    scope = get_scope(manager)
    if not scope.can(Can.MANAGE, unit):
        return False
    return role != Role.BUREAU_ADMIN or scope.covers_role(role, unit)


def wholly_managed(manager, person) -> bool:
    """True when every role `person` holds lies inside `manager`'s subtree (and the person is
    not a superuser): only then may the manager reset, rename or deactivate them."""
    from weijian.orgs.scope import Can, get_scope

    if person.is_superuser or person.pk == manager.pk:
        return False
    scope = get_scope(manager)
    units = [a.org_unit for a in person.role_assignments.select_related("org_unit")]
    return bool(units) and all(scope.can(Can.MANAGE, u) for u in units)


def _set_must_change(person, value: bool) -> None:
    from .models import AccountState

    AccountState.objects.update_or_create(user=person, defaults={"must_change_password": value})


def create_person(manager, username: str, full_name: str, role: str, unit) -> tuple[object, str]:
    """A new user holding `role` at `unit`, with a temporary password they must change at
    the first login. Returns (user, temporary password) — the password is shown once."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from weijian.orgs.models import Role, RoleAssignment

    _manager_scope(manager)
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    User = get_user_model()
    if not username:
        raise AccountError("请填写用户名（登录时使用，如 zhangsan）")
    try:
        User.username_validator(username)
    except ValidationError:
        raise AccountError("用户名只能包含字母、数字和 @ . + - _") from None
    if len(username) > 150 or not full_name or len(full_name) > 60:
        raise AccountError("请填写姓名（最多 60 字）；用户名最多 150 个字符")
    if role not in Role.values:
        raise AccountError("请选择角色")
    if not may_grant(manager, role, unit):
        raise AccountError(f"您不能在“{unit.name}”授予“{Role(role).label}”角色")
    password = temporary_password()
    with transaction.atomic():
        if User.objects.select_for_update().filter(username__iexact=username).exists():
            raise AccountError(f"用户名“{username}”已被使用，请换一个")
        person = User.objects.create_user(username, password=password, first_name=full_name)
        RoleAssignment.objects.create(user=person, org_unit=unit, role=role)
        _set_must_change(person, True)
        _event(
            person, AccountEvent.Action.USER_CREATED, manager, f"{Role(role).label} @ {unit.name}"
        )
    return person, password


def grant_role(manager, person, role: str, unit):
    from weijian.orgs.models import Role, RoleAssignment

    _manager_scope(manager)
    if role not in Role.values:
        raise AccountError("请选择角色")
    if person.is_superuser:
        raise AccountError("超级用户请在系统管理中维护")
    if not may_grant(manager, role, unit):
        raise AccountError(f"您不能在“{unit.name}”授予“{Role(role).label}”角色")
    with transaction.atomic():
        _, created = RoleAssignment.objects.get_or_create(user=person, org_unit=unit, role=role)
        if created:  # granting twice (a resent form) records nothing more
            _event(
                person,
                AccountEvent.Action.ROLE_GRANTED,
                manager,
                f"{Role(role).label} @ {unit.name}",
            )
    return created


def revoke_role(manager, assignment_id: int):
    from weijian.orgs.models import RoleAssignment
    from weijian.orgs.scope import Can

    scope = _manager_scope(manager)
    with transaction.atomic():
        assignment = (
            RoleAssignment.objects.select_for_update()
            .select_related("user", "org_unit")
            .filter(pk=assignment_id)
            .first()
        )
        if assignment is None or not scope.can(Can.MANAGE, assignment.org_unit):
            raise AccountError("找不到该角色授权（可能已被撤销）")
        if not may_grant(manager, assignment.role, assignment.org_unit):
            raise AccountError("您不能撤销这一角色")
        if assignment.user_id == manager.pk:
            raise AccountError("不能撤销自己的角色，请由其他管理员操作")
        if (
            not RoleAssignment.objects.filter(user=assignment.user)
            .exclude(pk=assignment.pk)
            .exists()
        ):
            raise AccountError("这是该用户唯一的角色；如不再使用该账户，请停用该用户")
        what = f"{assignment.get_role_display()} @ {assignment.org_unit.name}"
        assignment.delete()
        _event(assignment.user, AccountEvent.Action.ROLE_REVOKED, manager, what)
    return assignment


def _refuse_unless_wholly_managed(manager, person) -> None:
    _manager_scope(manager)
    if not wholly_managed(manager, person):
        raise AccountError(
            "该用户在您管理的单位以外也有角色（或是您本人、超级用户），请由上级管理员操作"
        )


def reset_password(manager, person) -> str:
    """A new temporary password for `person`, who must change it at the next login; their
    open sessions end (the password hash changes). Returns the password, shown once."""
    _refuse_unless_wholly_managed(manager, person)
    password = temporary_password()
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
        _set_must_change(person, True)
        _event(person, AccountEvent.Action.PASSWORD_RESET, manager)
    return password


def set_active(manager, person, active: bool) -> None:
    _refuse_unless_wholly_managed(manager, person)
    with transaction.atomic():
        if person.is_active == active:
            return  # a replay changes nothing and records nothing
        person.is_active = active
        person.save(update_fields=["is_active"])
        action = (
            AccountEvent.Action.USER_ACTIVATED if active else AccountEvent.Action.USER_DEACTIVATED
        )
        _event(person, action, manager)


def rename(manager, person, full_name: str) -> None:
    _refuse_unless_wholly_managed(manager, person)
    full_name = (full_name or "").strip()
    if not full_name or len(full_name) > 60:
        raise AccountError("请填写姓名（最多 60 字）")
    with transaction.atomic():
        if person.first_name == full_name and not person.last_name:
            return
        old = person.get_full_name() or person.username
        person.first_name, person.last_name = full_name, ""
        person.save(update_fields=["first_name", "last_name"])
        _event(person, AccountEvent.Action.USER_RENAMED, manager, f"{old} → {full_name}")


def dismiss_hints(user) -> None:
    from .models import AccountState

    AccountState.objects.update_or_create(user=user, defaults={"hints_seen": True})
