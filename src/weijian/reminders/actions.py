"""Every write of reminders: channels configured (by a unit's managers), 催报 sent (by a
reviewer above the late unit), the daily digest. A delivery row is claimed under a unique
key before anything is sent, so a resent request never sends twice; the network call happens
outside the transaction and its result is written afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import queries as reporting

from . import queries, senders, texts
from .models import Channel, ChannelKind, Delivery, DeliveryStatus

MAX_CHANNELS_PER_UNIT = 10


class ReminderError(Exception):
    """A refused reminder action; the message is Chinese and shown as is."""


# -- channels -----------------------------------------------------------------------------


def add_channel(
    user, unit: OrgUnit, kind: str, name: str, target: str, secret: str = ""
) -> Channel:
    if not get_scope(user).can(Can.MANAGE, unit):
        raise ReminderError(f"您没有设置“{unit.name}”提醒方式的权限（需要机构管理员）")
    if kind not in ChannelKind.values:
        raise ReminderError("请选择接收方式")
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ReminderError("请填写名称（最多 60 字），如“院办工作群”")
    secret = (secret or "").strip()
    if len(secret) > 100 or (secret and kind != ChannelKind.DINGTALK):
        raise ReminderError("加签密钥只用于钉钉群机器人，最多 100 个字符")
    try:
        target = senders.check_target(kind, target)
    except senders.SendError as exc:
        raise ReminderError(str(exc)) from None
    with transaction.atomic():
        if (
            Channel.objects.select_for_update().filter(org_unit=unit).count()
            >= MAX_CHANNELS_PER_UNIT
        ):
            raise ReminderError(f"每个单位最多设置 {MAX_CHANNELS_PER_UNIT} 个接收方式")
        existing = Channel.objects.filter(org_unit=unit, kind=kind, target=target).first()
        if existing:  # the same address twice (a resent form) is one channel
            return existing
        return Channel.objects.create(
            org_unit=unit, kind=kind, name=name, target=target, secret=secret, created_by=user
        )


def remove_channel(user, channel_id: int) -> Channel:
    with transaction.atomic():
        channel = Channel.objects.select_related("org_unit").filter(pk=channel_id).first()
        if channel is None or not get_scope(user).can(Can.MANAGE, channel.org_unit):
            raise ReminderError("找不到该接收方式（可能已删除）")
        channel.delete()
    return channel


# -- sending ------------------------------------------------------------------------------


@dataclass
class Sent:
    sent: list[Delivery] = field(default_factory=list)
    failed: list[Delivery] = field(default_factory=list)
    repeated: int = 0  # already sent under the same key (today, for this report)
    unreachable: list[OrgUnit] = field(default_factory=list)  # no channel at or above


def _deliver(channel: Channel, key: str, kind: str, about: OrgUnit, subject: str, text: str,
             by, result: Sent) -> None:  # fmt: skip
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                channel=channel, key=key[:200], kind=kind, about=about, text=text,
                status=DeliveryStatus.PENDING, sent_by=by,
            )  # fmt: skip
    except IntegrityError:
        result.repeated += 1
        return
    outcome = senders.send(channel.kind, channel.target, channel.secret, subject, text)
    delivery.status = DeliveryStatus.SENT if outcome.ok else DeliveryStatus.FAILED
    delivery.detail = outcome.detail[:300]
    delivery.save(update_fields=["status", "detail"])
    (result.sent if outcome.ok else result.failed).append(delivery)


def urge(user, form, period, unit_codes=None, today: dt.date | None = None) -> Sent:
    """催报: tell the units that have not sent `form` for `period` (all of them, or those of
    `unit_codes`) through their channels. Only a reviewer above a unit may urge it; a unit
    that has reported is skipped; each report is urged at most once a day per channel."""
    today = today or timezone.localdate()
    scope = get_scope(user)
    if not scope.has_any(Can.REVIEW):
        raise ReminderError("催报由上级单位的审核员发出，您没有审核权限")
    state = reporting.completeness(form, period, scope)
    wanted = set(unit_codes or [])
    late = [
        unit
        for unit, _submission in state.missing
        if scope.can(Can.REVIEW, unit) and (not wanted or unit.code in wanted)
    ]
    if not late:
        raise ReminderError("没有需要催报的单位（都已上报，或不在您的审核范围内）")
    by_name = user.get_full_name() or user.username
    home = scope.home_unit()
    result = Sent()
    for unit in late:
        channels = queries.channels_reaching(unit)
        if not channels:
            result.unreachable.append(unit)
            continue
        text = texts.urge_text(
            form, unit, period, state.due_date, today, by_name, home.name if home else ""
        )
        key = f"urge:{form.code}:{period.id}:{unit.code}:{today.isoformat()}"
        for channel in channels:
            _deliver(
                channel,
                key,
                "URGE",
                unit,
                f"【催报】{form.name} {period.label}",
                text,
                user,
                result,
            )
    return result


def send_digests(
    today: dt.date | None = None, dry_run: bool = False
) -> list[tuple[Channel, str, str]]:
    """The daily digest: every unit with an active channel gets what is due and overdue in its
    subtree, once a day. Returns (channel, text, outcome) for the command to print."""
    today = today or timezone.localdate()
    done = []
    units = {
        c.org_unit_id: c.org_unit
        for c in Channel.objects.filter(active=True).select_related("org_unit")
    }
    for unit in sorted(units.values(), key=lambda u: u.path):
        result = queries.digest(unit, today)
        if result.empty:
            continue
        text = texts.digest_text(result)
        for channel in Channel.objects.filter(org_unit=unit, active=True):
            if dry_run:
                done.append((channel, text, "未发送（演练）"))
                continue
            sent = Sent()
            _deliver(channel, f"digest:{today.isoformat()}", "DIGEST", unit,
                     f"卫健工作台每日提醒 {texts.day(today)}", text, None, sent)  # fmt: skip
            outcome = (
                "已发送" if sent.sent else "今天已发过" if sent.repeated else sent.failed[0].detail
            )
            done.append((channel, text, outcome))
    return done


def test_channel(user, channel_id: int) -> Delivery:
    """A test message, so an administrator sees the robot answer before relying on it."""
    channel = Channel.objects.select_related("org_unit").filter(pk=channel_id).first()
    if channel is None or not get_scope(user).can(Can.MANAGE, channel.org_unit):
        raise ReminderError("找不到该接收方式")
    result = Sent()
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    text = (
        f"【卫健工作台·提醒测试】{channel.org_unit.name}的“{channel.name}”已能收到催报和每日提醒。"
    )
    _deliver(
        channel, f"test:{stamp}", "TEST", channel.org_unit, "卫健工作台提醒测试", text, user, result
    )
    if not (result.sent or result.failed):
        raise ReminderError("刚刚已发送过测试消息，请稍后再试")
    return (result.sent or result.failed)[0]
