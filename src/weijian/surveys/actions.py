"""Every write of surveys: set-up by offices (scoped, logged) and answers from the public
link (no login; rate-limited per IP, honeypot, minimum fill time, closed surveys refuse).
Each accepted answer republishes its unit × month through reporting's system values."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from weijian.indicators.models import Direction, Indicator, IndicatorType
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.actions import SystemSource, ensure_system_elements, publish_system_values

from .builtin import (
    ELEMENTS,
    QUESTIONNAIRES,
    RATE_NAMES,
    RULE_SOURCE,
    THRESHOLDS,
    rate_code,
    responses_code,
    satisfied_code,
)
from .models import (
    SATISFIED_FROM,
    Kind,
    Question,
    Questionnaire,
    QuestionType,
    Response,
    Survey,
    SurveyLog,
    SurveyStatus,
)

MAX_TEXT = 500


class SurveyError(Exception):
    """A refused action; `message` is Chinese; `problems` maps form fields to reasons."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or {}


class Discarded(Exception):
    """A submission judged to be spam (honeypot filled): answered politely, never saved."""


class AlreadyAnswered(Exception):
    """The page this answer was sent from already gave an accepted answer (the browser resent
    it, or a script replays one stamp): nothing is saved again."""


# -- metadata ----------------------------------------------------------------------------


def ensure_builtin_questionnaires() -> dict[str, Questionnaire]:
    """Create the built-in questionnaires if missing (idempotent); returns them by kind."""
    found = {}
    for code, name, kind, intro, questions in QUESTIONNAIRES:
        floor, consequence = THRESHOLDS[kind]
        defaults = {
            "name": name, "kind": kind, "intro": intro, "builtin": True, "threshold": Decimal(floor),
            "consequence": consequence, "rule_source": RULE_SOURCE,
        }  # fmt: skip
        questionnaire, created = Questionnaire.objects.get_or_create(code=code, defaults=defaults)
        if created:
            Question.objects.bulk_create(
                Question(
                    questionnaire=questionnaire,
                    sort_order=i,
                    text=text,
                    type=qtype,
                    options=options,
                    required=required,
                    overall=overall,
                )
                for i, (text, qtype, options, required, overall) in enumerate(questions, 1)
            )
        found[kind] = questionnaire
    return found


def ensure_survey_metadata() -> None:
    """The system elements SVY_<KIND>_RESPONSES/SATISFIED and indicators SVY_<KIND>_RATE."""
    ensure_system_elements(ELEMENTS)
    for kind in Kind:
        Indicator.objects.update_or_create(
            code=rate_code(kind),
            defaults={
                "name": RATE_NAMES[kind],
                "short_name": RATE_NAMES[kind],
                "group": "满意度调查",
                "numerator": f"#{{{satisfied_code(kind)}}}",
                "numerator_description": "总体满意度为“满意”或“非常满意”的问卷份数",
                "denominator": f"#{{{responses_code(kind)}}}",
                "denominator_description": "有效问卷份数",
                "type": IndicatorType.PERCENT,
                "decimals": 1,
                "unit": "%",
                "direction": Direction.HIGHER_BETTER,
                "data_source": "满意度调查（系统统计）",
                "definition": f"{RATE_NAMES[kind]} = 满意问卷份数 / 有效问卷份数 × 100%；"
                "总体满意度题（5 分制）选 4 满意 或 5 非常满意 计为满意",
                "citation": "本系统满意度调查模块的统计口径",
                "verification": "adapted",
            },
        )


# -- offices: set up, edit, open and close -------------------------------------------------


def _require_manage(user, unit: OrgUnit) -> None:
    if not get_scope(user).can(Can.MANAGE, unit):
        raise SurveyError(f"您没有“{unit.name}”的调查管理权限")


def create_survey(
    user, questionnaire: Questionnaire | str, unit: OrgUnit, title: str = ""
) -> Survey:
    """A survey of `questionnaire` (a row, or its code: a built-in one is created on first
    use) at `unit`."""
    _require_manage(user, unit)
    with transaction.atomic():
        if isinstance(questionnaire, str):
            questionnaire = _questionnaire(questionnaire)
        title = (title or "").strip() or (
            f"{unit.display_name}{questionnaire.name.replace('问卷', '')}"
        )
        if len(title) > 200:
            raise SurveyError("调查名称过长（最多 200 字）")
        ensure_survey_metadata()  # the figures this survey will publish exist from now on
        survey = Survey.objects.create(
            questionnaire=questionnaire, org_unit=unit, title=title, created_by=user
        )
        SurveyLog.objects.create(survey=survey, user=user, action="create", detail=title)
    return survey


def _questionnaire(code: str) -> Questionnaire:
    if any(code == builtin[0] for builtin in QUESTIONNAIRES):
        ensure_builtin_questionnaires()
    found = Questionnaire.objects.filter(code=code).first()
    if found is None:
        raise SurveyError("请选择问卷")
    return found


def update_survey(user, survey: Survey, *, title: str, status: str) -> Survey:
    _require_manage(user, survey.org_unit)
    title = (title or "").strip()
    if not title:
        raise SurveyError("请填写调查名称")
    if len(title) > 200:
        raise SurveyError("调查名称过长（最多 200 字）")
    if status not in SurveyStatus.values:
        raise SurveyError("状态应为“进行中”或“已结束”")
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        changes = []
        if survey.title != title:
            changes.append(f"名称：{survey.title} → {title}")
        if survey.status != status:
            changes.append(f"状态：{survey.get_status_display()} → {SurveyStatus(status).label}")
        survey.title, survey.status = title, status
        survey.save(update_fields=["title", "status"])
        if changes:
            SurveyLog.objects.create(
                survey=survey, user=user, action="update", detail="；".join(changes)[:300]
            )
    return survey


# -- respondents ---------------------------------------------------------------------------

_STARTED = signing.Signer(salt="weijian.surveys.started")


def start_stamp(survey: Survey, now: float | None = None) -> str:
    """A signed stamp put in the page: when the form was shown (so the fill time can't be
    faked) and a random per-page token: one page gives one accepted answer (Response.stamp is
    unique), however often it is sent."""
    shown = int(now if now is not None else time.time())
    return _STARTED.sign(f"{survey.pk}:{shown}:{secrets.token_urlsafe(16)}")


@dataclass(frozen=True)
class Stamp:
    seconds: int  # how long the form was open before it was sent
    token: str  # the page's one-time token


def read_stamp(survey: Survey, stamp: str) -> Stamp | None:
    """The stamp's fill time and token; None when forged, of another survey, or malformed."""
    try:
        survey_id, shown, token = _STARTED.unsign(stamp or "").split(":")
        if int(survey_id) != survey.pk or not token:
            return None
        return Stamp(int(time.time()) - int(shown), token)
    except (signing.BadSignature, ValueError):
        return None


def ip_hash(ip: str) -> str:
    """Keyed hash of the address: enough to rate-limit, without storing anyone's IP."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()


@dataclass
class Answered:
    answers: dict[str, object] = field(default_factory=dict)
    satisfied: bool = False


def clean_answers(questions: list[Question], data) -> Answered:
    """Check every answer against its question; SurveyError lists every problem by field."""
    problems: dict[str, str] = {}
    result = Answered()
    for number, q in enumerate(questions, start=1):
        name = q.field_name
        raw = (
            [v for v in data.getlist(name) if str(v).strip() != ""]
            if hasattr(data, "getlist")
            else ([data[name]] if data.get(name) not in (None, "") else [])
        )
        if not raw:
            if q.required:
                problems[name] = f"第 {number} 题为必答题，请作答"
            continue
        if q.type == QuestionType.TEXT:
            text = str(raw[0]).strip()
            if len(text) > MAX_TEXT:
                problems[name] = f"第 {number} 题最多 {MAX_TEXT} 字（现有 {len(text)} 字）"
            else:
                result.answers[str(q.pk)] = text
            continue
        try:
            numbers = [int(str(v).strip()) for v in raw]
        except ValueError:
            problems[name] = f"第 {number} 题的答案无效"
            continue
        if q.type == QuestionType.SCALE:
            if len(numbers) != 1 or not 1 <= numbers[0] <= 5:
                problems[name] = f"第 {number} 题应在 1–5 分之间选择一项"
                continue
            result.answers[str(q.pk)] = numbers[0]
            if q.overall:
                result.satisfied = numbers[0] >= SATISFIED_FROM
        elif q.type == QuestionType.SINGLE:
            if len(numbers) != 1 or not 0 <= numbers[0] < len(q.options):
                problems[name] = f"第 {number} 题应在给出的选项中选择一项"
                continue
            result.answers[str(q.pk)] = numbers[0]
        else:  # MULTI
            if len(set(numbers)) != len(numbers) or not all(
                0 <= n < len(q.options) for n in numbers
            ):
                problems[name] = f"第 {number} 题的选项无效"
                continue
            result.answers[str(q.pk)] = sorted(numbers)
    if problems:
        raise SurveyError(f"有 {len(problems)} 道题需要修改，问卷尚未提交", problems)
    return result


HONEYPOT = "website"  # a field people never see (hidden by CSS); bots fill it


def submit_response(survey: Survey, data, *, ip: str, now: dt.datetime | None = None) -> Response:
    """Save one answer from the public page, all or nothing, and republish the unit × month.

    Refusals (SurveyError): closed survey, too fast, too many from this address, bad answers.
    A filled honeypot raises Discarded: the page thanks the bot and nothing is saved. A page
    (stamp) that already gave an accepted answer raises AlreadyAnswered: nothing is saved."""
    if not survey.is_open:
        raise SurveyError("本次调查已结束，不再接收答卷。感谢您的关注！")
    if str(data.get(HONEYPOT, "")).strip():
        raise Discarded()
    stamp = read_stamp(survey, data.get("started", ""))
    if stamp is None:
        raise SurveyError("页面已失效，请刷新后重新填写")
    if Response.objects.filter(stamp=stamp.token).exists():
        raise AlreadyAnswered()
    seconds = stamp.seconds
    if seconds < settings.WEIJIAN_SURVEY_MIN_SECONDS:
        raise SurveyError("提交过快，请认真阅读题目后再提交")
    questions = list(survey.questionnaire.questions.all())
    answered = clean_answers(questions, data)
    now = now or timezone.now()
    hashed = ip_hash(ip)
    limit = settings.WEIJIAN_SURVEY_RATE_PER_HOUR
    with transaction.atomic():
        # Re-read the status under a lock: an office closing the survey wins over a late answer.
        # Counting after the lock also keeps a burst of simultaneous answers to the limit.
        survey = Survey.objects.select_for_update().select_related("org_unit").get(pk=survey.pk)
        if not survey.is_open:
            raise SurveyError("本次调查已结束，不再接收答卷。感谢您的关注！")
        recent = Response.objects.filter(
            ip_hash=hashed, submitted_at__gt=now - dt.timedelta(hours=1)
        ).count()
        if recent >= limit:
            raise SurveyError(f"同一网络每小时最多提交 {limit} 份问卷，请稍后再试")
        local = timezone.localtime(now)
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey,
                    org_unit=survey.org_unit,
                    kind=survey.questionnaire.kind,
                    submitted_at=now,
                    month=f"{local:%Y%m}",
                    satisfied=answered.satisfied,
                    answers=answered.answers,
                    ip_hash=hashed,
                    fill_seconds=seconds,
                    stamp=stamp.token,
                )
        except IntegrityError:  # the same page sent twice at once: the first one counts
            raise AlreadyAnswered() from None
        publish_month(survey.org_unit, response.kind, response.month)
    return response


def publish_month(unit: OrgUnit, kind: str, month: str) -> None:
    """Recount one unit × kind × month in SQL and publish SVY_<KIND>_RESPONSES/SATISFIED."""
    counts = Response.objects.filter(org_unit=unit, kind=kind, month=month).aggregate(
        n=Count("id"), s=Count("id", filter=Q(satisfied=True))
    )
    if not counts["n"]:
        figures = {responses_code(kind): None, satisfied_code(kind): None}
    else:
        figures = {responses_code(kind): counts["n"], satisfied_code(kind): counts["s"]}
    publish_system_values(SystemSource.SURVEYS, unit, month, figures)
