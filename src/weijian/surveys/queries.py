"""Reads of surveys: scoped lists, results per survey and period, threshold flags."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from weijian import periods
from weijian.orgs.scope import get_scope

from .builtin import QUESTIONNAIRES, RULE_SOURCE, THRESHOLDS
from .models import (
    SATISFIED_FROM,
    SCALE_LABELS,
    Kind,
    Question,
    Questionnaire,
    QuestionType,
    Response,
    Survey,
)


def questionnaire_choices() -> list[tuple[str, str]]:
    """(code, label) of every questionnaire an office may run: the built-in ones (created in
    the database on first use, by create_survey, never by showing this list) and any others."""
    rows = {code: (kind, name, True) for code, name, kind, _intro, _questions in QUESTIONNAIRES}
    for q in Questionnaire.objects.all():
        rows.setdefault(q.code, (q.kind, q.name, q.builtin))
    ordered = sorted(rows.items(), key=lambda row: (row[1][0], row[0]))
    return [
        (code, f"{Kind(kind).label} · {name}{'（内置）' if builtin else ''}")
        for code, (kind, name, builtin) in ordered
    ]


def surveys_for(user) -> QuerySet[Survey]:
    return get_scope(user).filter(Survey.objects.select_related("org_unit", "questionnaire"))


def in_period(qs: QuerySet[Response], period: periods.Period) -> QuerySet[Response]:
    """Responses counted in the period: by their month (YYYYMM), as they are published."""
    months = [m.id for m in period.periods_within(periods.PeriodType.MONTHLY)]
    return qs.filter(month__in=months)


def rate(satisfied: int, total: int) -> Decimal | None:
    """满意度 (%) = 满意份数 / 有效问卷份数 × 100, one decimal; None without responses."""
    if not total:
        return None
    return (Decimal(satisfied) * 100 / Decimal(total)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Flag:
    text: str


@dataclass(frozen=True)
class Rule:
    """The district's rule for a kind of survey: below `threshold` % is a breach with
    `consequence`, per `source`."""

    kind: str
    threshold: Decimal
    consequence: str
    source: str

    def breached_by(self, satisfaction: Decimal | None) -> bool:
        return satisfaction is not None and satisfaction < self.threshold

    @property
    def description(self) -> str:
        where = f"依据：{self.source}" if self.source else "依据：本单位问卷设定"
        return f"{where}（满意度低于{self.threshold.normalize():f}%：{self.consequence}）"


def rule_of(questionnaire: Questionnaire) -> Rule | None:
    if questionnaire.threshold is None:
        return None
    return Rule(
        questionnaire.kind, Decimal(str(questionnaire.threshold)), questionnaire.consequence,
        questionnaire.rule_source,
    )  # fmt: skip


def default_rule(kind: str) -> Rule:
    floor, consequence = THRESHOLDS[kind]
    return Rule(kind, Decimal(floor), consequence, RULE_SOURCE)


def flags(questionnaire: Questionnaire | str, satisfaction: Decimal | None) -> list[Flag]:
    """The breach of the questionnaire's rule (a kind code: the built-in rule of that kind)."""
    rule = default_rule(questionnaire) if isinstance(questionnaire, str) else rule_of(questionnaire)
    if rule is None or not rule.breached_by(satisfaction):
        return []
    return [
        Flag(
            f"满意度 {satisfaction}% 低于 {rule.threshold.normalize():f}%：按规定{rule.consequence}"
        )
    ]


def rules_for(unit, period: periods.Period) -> dict[str, Rule]:
    """The rule that judges each kind of survey the unit (and its subtree) ran in the period:
    the questionnaire's own, the strictest when several were used; the built-in rule for a
    kind with no questionnaire of its own."""
    used = Questionnaire.objects.filter(
        surveys__org_unit__path__startswith=unit.path,
        surveys__responses__month__in=[
            m.id for m in period.periods_within(periods.PeriodType.MONTHLY)
        ],
        threshold__isnull=False,
    ).distinct()
    found: dict[str, Rule] = {}
    for questionnaire in used:
        rule = rule_of(questionnaire)
        if rule and (questionnaire.kind not in found or rule.threshold > found[questionnaire.kind].threshold):  # fmt: skip
            found[questionnaire.kind] = rule
    for kind in THRESHOLDS:
        found.setdefault(kind, default_rule(kind))
    return found


def counts_by_survey(surveys: list[Survey], period: periods.Period) -> dict[int, tuple[int, int]]:
    """(responses, satisfied) per survey in the period, one grouped query."""
    rows = (
        in_period(Response.objects.filter(survey__in=surveys), period)
        .values("survey")
        .annotate(n=Count("id"), s=Count("id", filter=Q(satisfied=True)))
        .order_by()
    )
    return {r["survey"]: (r["n"], r["s"]) for r in rows}


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int, Decimal | None]] = field(default_factory=list)  # label, n, %
    average: Decimal | None = None
    satisfied_share: Decimal | None = None  # scale questions: share at 4–5
    comments: list[tuple[object, str]] = field(default_factory=list)


@dataclass
class Results:
    total: int
    satisfied: int
    rate: Decimal | None
    flags: list[Flag]
    questions: list[QuestionResult]


def results(survey: Survey, period: periods.Period, comment_limit: int = 100) -> Results:
    """Counts, 满意度, per-question breakdown and the latest comments for one survey."""
    questions = list(survey.questionnaire.questions.all())
    rows = list(
        in_period(survey.responses.all(), period)
        .order_by("-submitted_at")
        .values_list("submitted_at", "satisfied", "answers")
    )
    total = len(rows)
    satisfied = sum(1 for _, ok, _ in rows if ok)
    satisfaction = rate(satisfied, total)
    out = []
    for q in questions:
        key = str(q.pk)
        given = [(at, answers[key]) for at, _, answers in rows if key in answers]
        result = QuestionResult(q, answered=len(given))
        if q.type == QuestionType.TEXT:
            result.comments = [(at, text) for at, text in given if text][:comment_limit]
        elif q.type == QuestionType.SCALE:
            tally = Counter(v for _, v in given)
            result.counts = [
                (f"{score} {SCALE_LABELS[score]}", tally[score], rate(tally[score], len(given)))
                for score in (5, 4, 3, 2, 1)
            ]
            if given:
                result.average = (Decimal(sum(v for _, v in given)) / Decimal(len(given))).quantize(
                    Decimal("0.01")
                )
            result.satisfied_share = rate(
                sum(1 for _, v in given if v >= SATISFIED_FROM), len(given)
            )
        else:
            tally = Counter()
            for _, v in given:
                tally.update(v if isinstance(v, list) else [v])
            result.counts = [
                (label, tally[i], rate(tally[i], len(given))) for i, label in enumerate(q.options)
            ]
        out.append(result)
    return Results(total, satisfied, satisfaction, flags(survey.questionnaire, satisfaction), out)
