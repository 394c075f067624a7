"""Satisfaction surveys: questionnaires (built-in or custom), a public survey per unit with an
unguessable token, and the responses respondents send without logging in.

Satisfaction rule (stated on every results page): a response is 满意 when its questionnaire's
overall question (总体满意度, a 1–5 scale) is answered 4 满意 or 5 非常满意;
满意度 = 满意份数 / 有效问卷份数 × 100%.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit


class Kind(models.TextChoices):
    INPAT = "INPAT", "住院患者"
    OUTPAT = "OUTPAT", "门诊患者"
    STAFF = "STAFF", "职工"


class QuestionType(models.TextChoices):
    SINGLE = "SINGLE", "单选"
    MULTI = "MULTI", "多选"
    SCALE = "SCALE", "1–5 分评分"
    TEXT = "TEXT", "文字意见"


SCALE_LABELS = {1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}
SATISFIED_FROM = 4  # 4 满意 and 5 非常满意 count as satisfied


class Questionnaire(models.Model):
    code = models.CharField("编码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("调查对象", max_length=10, choices=Kind.choices)
    intro = models.TextField("卷首语", blank=True)
    builtin = models.BooleanField("内置", default=False)
    # The district's rule for this survey: a satisfaction below `threshold` (%) is a breach with
    # `consequence` (取消年度评先资格, 约谈单位领导 …), per `rule_source`. Summaries and the
    # results pages read the rule from here; empty = no rule.
    threshold = models.DecimalField(
        "满意度底线（%）", max_digits=5, decimal_places=1, null=True, blank=True
    )
    consequence = models.CharField("低于底线的处理", max_length=100, blank=True)
    rule_source = models.CharField("规则依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "问卷"
        verbose_name_plural = "问卷"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    sort_order = models.PositiveIntegerField(default=0)
    text = models.CharField("题目", max_length=200)
    type = models.CharField("题型", max_length=10, choices=QuestionType.choices)
    options = models.JSONField("选项", default=list, blank=True)
    required = models.BooleanField("必答", default=True)
    # The one 1–5 question whose answer decides whether a response is 满意.
    overall = models.BooleanField("总体满意度题", default=False)

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits: not guessable


class SurveyStatus(models.TextChoices):
    OPEN = "OPEN", "进行中"
    CLOSED = "CLOSED", "已结束"


class Survey(models.Model):
    """One questionnaire run at one unit, with its public link (token) and QR code."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="surveys", verbose_name="问卷"
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="surveys", verbose_name="调查单位"
    )
    title = models.CharField("调查名称", max_length=200)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    status = models.CharField(
        "状态", max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "满意度调查"
        verbose_name_plural = "满意度调查"
        ordering = ["org_unit__path", "questionnaire__kind", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class Response(models.Model):
    """One filled questionnaire. `kind`, `org_unit` and `month` are copied from the survey so
    publishing a unit × month is one indexed aggregate; `satisfied` is decided on arrival."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    submitted_at = models.DateTimeField()
    month = models.CharField(max_length=6)  # YYYYMM (local time), the period it counts in
    satisfied = models.BooleanField()
    answers = models.JSONField(default=dict)  # {question id: int | [int] | str}
    ip_hash = models.CharField(max_length=64, blank=True)
    fill_seconds = models.PositiveIntegerField(null=True)
    # The one-time token of the page the answer was sent from: unique, so a page resent (back
    # and resend, a double click, a script replaying one stamp) never counts twice. NULL for
    # answers from before stamps had tokens (unique allows many NULLs, not many "").
    stamp = models.CharField(max_length=40, unique=True, null=True, editable=False)  # noqa: DJ001

    class Meta:
        verbose_name = "问卷答复"
        verbose_name_plural = "问卷答复"
        indexes = [
            models.Index(fields=["org_unit", "kind", "month"]),
            models.Index(fields=["survey", "submitted_at"]),
            models.Index(fields=["ip_hash", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.submitted_at:%Y-%m-%d %H:%M}"


class SurveyLog(models.Model):
    """Who created, changed, opened or closed a survey (the audit trail of this app)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey} {self.action}"
