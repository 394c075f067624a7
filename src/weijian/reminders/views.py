"""提醒设置 (a unit's e-mail and group robots) and 催报 from the completeness page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.models import Form

from . import actions, queries
from .models import ChannelKind


@login_required
def channels(request):
    scope = get_scope(request.user)
    if not scope.has_any(Can.MANAGE) and not scope.has_any(Can.REVIEW):
        raise Http404("您没有设置提醒的权限")
    context = {
        "channels": queries.channels_of(scope),
        "deliveries": queries.deliveries_of(scope),
        "kinds": ChannelKind.choices,
        "can_manage": scope.has_any(Can.MANAGE),
        "home": scope.home_unit(),
    }
    return render(request, "reminders/channels.html", context)


@login_required
@require_POST
def add(request):
    post = request.POST
    unit = OrgUnit.objects.filter(code=post.get("ou", "")).first()
    try:
        if unit is None:
            raise actions.ReminderError("请选择单位")
        actions.add_channel(
            request.user, unit, post.get("kind", ""), post.get("name", ""),
            post.get("target", ""), post.get("secret", ""),
        )  # fmt: skip
        messages.success(request, "已添加接收方式；建议点“发送测试”确认能收到")
    except actions.ReminderError as exc:
        messages.error(request, str(exc))
    return redirect("reminder_channels")


@login_required
@require_POST
def remove(request, pk: int):
    try:
        channel = actions.remove_channel(request.user, pk)
        messages.success(request, f"已删除“{channel.name}”")
    except actions.ReminderError as exc:
        messages.error(request, str(exc))
    return redirect("reminder_channels")


@login_required
@require_POST
def test(request, pk: int):
    try:
        delivery = actions.test_channel(request.user, pk)
        level = messages.success if delivery.status == "SENT" else messages.error
        level(request, f"测试消息：{delivery.detail}")
    except actions.ReminderError as exc:
        messages.error(request, str(exc))
    return redirect("reminder_channels")


@login_required
@require_POST
def urge(request, form_code: str, period_id: str):
    form = get_object_or_404(Form, code=form_code)
    try:
        period = periods.parse(period_id)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None
    try:
        result = actions.urge(request.user, form, period, request.POST.getlist("unit"))
    except actions.ReminderError as exc:
        messages.error(request, str(exc))
        return redirect("completeness_detail", form.code, period.id)
    reached = {d.about_id: d.about for d in result.sent}
    if reached:
        messages.success(request, f"已向 {len(reached)} 个单位发出催报")
    if result.repeated and not reached:
        messages.info(request, "今天已经催报过这些单位，未重复发送")
    for delivery in result.failed[:5]:
        messages.error(
            request, f"{delivery.about.name}（{delivery.channel.name}）：{delivery.detail}"
        )
    if result.unreachable:
        names = "、".join(u.name for u in result.unreachable[:10])
        messages.warning(
            request, f"{names} 及其上级未设置接收方式，未发送（请机构管理员在“提醒设置”中添加）"
        )
    return redirect("completeness_detail", form.code, period.id)
