"""人员与角色: a 机构管理员 (or 局管理员) manages the users and roles of the units they manage
and nothing above or beside them. Every write goes through `actions`, audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from weijian.orgs.models import OrgUnit, Role
from weijian.orgs.scope import Can, get_scope

from . import actions, queries

NEW_PASSWORD = "accounts_new_password"  # session key: a temporary password shown once


def _manager(request):
    scope = get_scope(request.user)
    if not scope.has_any(Can.MANAGE):
        raise Http404("您没有管理用户的权限")
    return scope


def _managed_unit(request, code: str | None):
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not get_scope(request.user).can(Can.MANAGE, unit):
        raise Http404("不在您的管理范围内")
    return unit


def _person(request, pk: int):
    """A user the manager may see: one holding a role inside the managed subtree."""
    scope = _manager(request)
    person = queries.people(scope).filter(pk=pk).first()
    if person is None:
        raise Http404("找不到该用户")
    return person


def _roles(request, unit=None) -> list[tuple[str, str]]:
    """The roles the manager may hand out (局管理员 only by one who holds it)."""
    scope = get_scope(request.user)
    home = unit or scope.home_unit()
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.BUREAU_ADMIN or (home and scope.covers_role(value, home))
    ]


@login_required
def people(request):
    scope = _manager(request)
    unit = _managed_unit(request, request.GET.get("ou"))
    listed = queries.people(scope, request.GET.get("q", "")[:50], unit)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    roles = queries.managed_roles(scope, list(page))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": params.urlencode(),  # the pager keeps the unit and the search
        "rows": [(p, roles.get(p.pk, [])) for p in page],
        "unit": unit,
        "text": request.GET.get("q", ""),
        "roles": _roles(request),
        "new_password": request.session.pop(NEW_PASSWORD, None),
    }
    return render(request, "accounts/people.html", context)


@login_required
@require_POST
def create(request):
    _manager(request)
    post = request.POST
    try:
        unit = _managed_unit(request, post.get("ou"))
        if unit is None:
            raise actions.AccountError("请选择所属单位")
        person, password = actions.create_person(
            request.user, post.get("username", ""), post.get("name", ""), post.get("role", ""), unit
        )
    except (actions.AccountError, Http404) as exc:
        messages.error(request, str(exc))
        return redirect("people")
    request.session[NEW_PASSWORD] = {"who": person.username, "password": password}
    messages.success(request, f"已新建用户“{person.first_name}”（{person.username}）")
    return redirect("person", pk=person.pk)


@login_required
def person(request, pk: int):
    target = _person(request, pk)
    scope = get_scope(request.user)
    context = {
        "person": target,
        "roles": queries.managed_roles(scope, [target]).get(target.pk, []),
        "grantable": _roles(request),
        "wholly": actions.wholly_managed(request.user, target),
        "events": queries.person_events(target),
        "new_password": request.session.pop(NEW_PASSWORD, None),
    }
    return render(request, "accounts/person.html", context)


def _act(request, pk: int, work, done: str):
    target = _person(request, pk)
    try:
        result = work(target)
        if done:
            messages.success(request, done)
    except (actions.AccountError, Http404) as exc:
        messages.error(request, str(exc))
        return redirect("person", pk=target.pk)
    if isinstance(result, str):  # a temporary password: shown once on the next page
        request.session[NEW_PASSWORD] = {"who": target.username, "password": result}
    return redirect("person", pk=target.pk)


@login_required
@require_POST
def grant(request, pk: int):
    def work(target):
        unit = _managed_unit(request, request.POST.get("ou"))
        if unit is None:
            raise actions.AccountError("请选择单位")
        actions.grant_role(request.user, target, request.POST.get("role", ""), unit)

    return _act(request, pk, work, "已授予角色")


@login_required
@require_POST
def revoke(request, pk: int, assignment_id: int):
    return _act(
        request, pk, lambda t: actions.revoke_role(request.user, assignment_id), "已撤销角色"
    )


@login_required
@require_POST
def reset(request, pk: int):
    return _act(
        request,
        pk,
        lambda t: actions.reset_password(request.user, t),
        "已重置密码，请把临时密码告知本人",
    )


@login_required
@require_POST
def activate(request, pk: int):
    active = request.POST.get("active") == "1"
    return _act(
        request,
        pk,
        lambda t: actions.set_active(request.user, t, active),
        "已启用该用户" if active else "已停用该用户，该用户无法再登录",
    )


@login_required
@require_POST
def rename(request, pk: int):
    return _act(
        request,
        pk,
        lambda t: actions.rename(request.user, t, request.POST.get("name", "")),
        "已修改姓名",
    )
