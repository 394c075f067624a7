"""Survey pages: offices (scoped, login) set up surveys and read results; respondents answer
on the public page (no login) reached by the link or QR code."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from weijian import periods, tables
from weijian.client_ip import request_address
from weijian.once import guard as once
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from . import actions, queries
from .models import SCALE_LABELS, QuestionType, Survey, SurveyStatus


def _visible_survey(user, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("org_unit", "questionnaire"), pk=pk)
    if not get_scope(user).can(Can.VIEW, survey.org_unit):
        raise Http404("不在您的权限范围内")
    return survey


def _period(request) -> periods.Period:
    text = request.GET.get("pe") or str(timezone.localdate().year)
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None


def public_url(request, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("survey_public", args=[survey.token]))


@login_required
def survey_list(request):
    """Surveys of the user's scope, by unit (picker), title and period (for the counts), paged."""
    period = _period(request)
    listed = queries.surveys_for(request.user)
    unit = None
    if request.GET.get("ou"):
        unit = OrgUnit.objects.filter(code=request.GET["ou"]).first()
        if unit is None or not get_scope(request.user).can(Can.VIEW, unit):
            raise Http404("不在您的权限范围内")
        listed = listed.filter(org_unit__path__startswith=unit.path)
    text = request.GET.get("q", "").strip()[:50]
    if text:
        listed = listed.filter(title__icontains=text)
    page = Paginator(listed, 30).get_page(request.GET.get("page"))
    surveys = list(page)
    label_with_ancestors([s.org_unit for s in surveys])
    counts = queries.counts_by_survey(surveys, period)
    rows = []
    for s in surveys:
        n, ok = counts.get(s.pk, (0, 0))
        satisfaction = queries.rate(ok, n)
        rows.append((s, n, satisfaction, queries.flags(s.questionnaire, satisfaction)))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "period": period,
        "rows": rows,
        "page": page,
        "unit": unit,
        "text": text,
        "query": params.urlencode(),
        "can_create": get_scope(request.user).has_any(Can.MANAGE),
    }
    return render(request, "surveys/list.html", context)


@login_required
def survey_new(request):
    units = list(get_scope(request.user).units(Can.MANAGE).order_by("path")[:400])
    if not units:
        raise Http404("没有可管理的单位")
    label_with_ancestors(units)
    questionnaires = queries.questionnaire_choices()  # a GET shows them, creates nothing
    if request.method == "POST":
        unit = next((u for u in units if u.code == request.POST.get("unit")), None)
        questionnaire = request.POST.get("questionnaire", "")
        try:
            if unit is None or questionnaire not in dict(questionnaires):
                raise actions.SurveyError("请选择调查单位和问卷")
            with once.claim(request) as claimed:  # a double click must not make two surveys
                survey = actions.create_survey(
                    request.user, questionnaire, unit, request.POST.get("title", "")
                )
                claimed.url = reverse("survey_results", args=[survey.pk])
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "survey_list")
        except actions.SurveyError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "调查已建立，可将链接或二维码发给调查对象")
            return redirect("survey_results", pk=survey.pk)
    context = {"units": units, "questionnaires": questionnaires, "form": request.POST}
    return render(request, "surveys/new.html", context)


@login_required
def survey_edit(request, pk: int):
    survey = _visible_survey(request.user, pk)
    if not get_scope(request.user).can(Can.MANAGE, survey.org_unit):
        raise Http404("不在您的权限范围内")
    if request.method == "POST":
        try:
            actions.update_survey(
                request.user,
                survey,
                title=request.POST.get("title", ""),
                status=request.POST.get("status", ""),
            )
        except actions.SurveyError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存")
            return redirect("survey_results", pk=survey.pk)
    context = {"survey": survey, "statuses": SurveyStatus.choices, "log": survey.log.all()[:20]}
    return render(request, "surveys/edit.html", context)


@login_required
def survey_results(request, pk: int):
    survey = _visible_survey(request.user, pk)
    period = _period(request)
    context = {
        "survey": survey,
        "period": period,
        "results": queries.results(survey, period),
        "link": public_url(request, survey),
        "threshold_source": _rule_text(survey),
        "can_manage": get_scope(request.user).can(Can.MANAGE, survey.org_unit),
        "periods": _period_choices(),
    }
    return render(request, "surveys/results.html", context)


def _rule_text(survey: Survey) -> str:
    rule = queries.rule_of(survey.questionnaire)
    return rule.description if rule else "本问卷未设定满意度底线。"


def _period_choices() -> list[periods.Period]:
    today = timezone.localdate()
    year = periods.parse(str(today.year))
    months = [m for m in year.periods_within(periods.PeriodType.MONTHLY) if m.start <= today]
    quarters = [q for q in year.periods_within(periods.PeriodType.QUARTERLY) if q.start <= today]
    return [year, *reversed(quarters), *reversed(months), periods.parse(str(today.year - 1))]


@login_required
def survey_qr(request, pk: int, fmt: str):
    """The QR code of the public link, as SVG (print) or PNG (chat apps)."""
    survey = _visible_survey(request.user, pk)
    if fmt not in ("svg", "png"):
        raise Http404("二维码格式应为 svg 或 png")
    qr = segno.make(public_url(request, survey), error="m")
    out = io.BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=8, border=2)
        content_type = "image/svg+xml"
    else:
        qr.save(out, kind="png", scale=10, border=2)
        content_type = "image/png"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.{fmt}"'
    return response


# -- the public page ---------------------------------------------------------------------


def _client_ip(request) -> str:
    """REMOTE_ADDR, or behind a configured trusted proxy the address it forwarded for
    (WEIJIAN_TRUSTED_PROXIES): X-Forwarded-For from anyone else would let a spammer pick
    their own address and pass the per-address limit."""
    return request_address(request.META, settings.WEIJIAN_TRUSTED_PROXIES)


def _foreign_origin(request) -> bool:
    """A POST a browser sent from a page of another site (its Origin header says so). Scripts
    and old browsers send none: those are left to the stamp, honeypot and per-address limit."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


@never_cache
@csrf_exempt  # anonymous, cookie-less respondents; spam is stopped by the checks in actions
def survey_public(request, token: str):
    survey = get_object_or_404(
        Survey.objects.select_related("org_unit", "questionnaire"), token=token
    )
    questions = list(survey.questionnaire.questions.all())
    problems: dict[str, str] = {}
    error = ""
    if request.method == "POST" and _foreign_origin(request):
        # csrf_exempt: without this, a page elsewhere could make every visitor's browser post
        # an answer from the visitor's own address (past the per-address limit).
        context = {"title": "无法提交", "message": "请从调查链接打开问卷后提交，未保存任何答卷。"}
        return render(request, "web/error.html", context, status=403)
    if request.method == "POST":
        # Post/redirect/get: the thanks page is a GET, so reloading it or going back and
        # forward never sends the answer again (and a resend of the page is AlreadyAnswered).
        thanks = reverse("survey_thanks", args=[survey.token])
        try:
            actions.submit_response(survey, request.POST, ip=_client_ip(request))
        except actions.Discarded:
            return redirect(thanks, status=303)
        except actions.AlreadyAnswered:
            return HttpResponseRedirect(thanks + "?again=1", status=303)
        except actions.SurveyError as exc:
            error, problems = exc.message, exc.problems
        else:
            return HttpResponseRedirect(thanks, status=303)
    chosen = request.POST if request.method == "POST" else None
    items = [_item(q, n, chosen, problems) for n, q in enumerate(questions, 1)]
    # A corrected page keeps its stamp: its fill time runs on, and it still gives one answer.
    posted = request.POST.get("started", "") if chosen is not None else ""
    context = {
        "survey": survey,
        "items": items,
        "error": error,
        "started": posted if actions.read_stamp(survey, posted) else actions.start_stamp(survey),
        "honeypot": actions.HONEYPOT,
    }
    status = 400 if error and request.method == "POST" else 200
    return render(request, "surveys/public.html", context, status=status)


@never_cache
def survey_thanks(request, token: str):
    survey = get_object_or_404(Survey.objects.select_related("org_unit"), token=token)
    return render(
        request, "surveys/thanks.html", {"survey": survey, "again": "again" in request.GET}
    )


def _item(question, number, chosen, problems) -> dict:
    picked = set(chosen.getlist(question.field_name)) if chosen is not None else set()
    if question.type == QuestionType.SCALE:
        options = [(str(s), f"{SCALE_LABELS[s]}", s) for s in (5, 4, 3, 2, 1)]
    else:
        options = [(str(i), label, None) for i, label in enumerate(question.options)]
    return {
        "q": question,
        "number": number,
        "options": [(v, label, score, v in picked) for v, label, score in options],
        "text": chosen.get(question.field_name, "") if chosen is not None else "",
        "problem": problems.get(question.field_name, ""),
    }


@login_required
def survey_results_xlsx(request, pk: int):
    """Results as two sheets: per question and option (count, share), and the comments."""
    survey = _visible_survey(request.user, pk)
    period = _period(request)
    result = queries.results(survey, period, comment_limit=5000)
    rows, comments = [], []
    for q in result.questions:
        for label, count, share in q.counts:
            rows.append((q.question.text, label, count, share))
        if q.average is not None:
            rows.append((q.question.text, "平均分", q.average, None))
        comments += [
            (q.question.text, timezone.localtime(at).replace(tzinfo=None), text)
            for at, text in q.comments
        ]
    note = (
        f"有效问卷 {result.total} 份，满意 {result.satisfied} 份，"
        f"满意度 {result.rate if result.rate is not None else '—'}%"
    )
    heading = f"{survey.title} · {period.label}"
    book = tables.sheet(None, "统计", heading, ["题目", "选项", "份数", "占比（%）"], rows, note)
    tables.sheet(book, "意见建议", f"{heading} · 意见建议", ["题目", "时间", "内容"], comments)
    response = HttpResponse(tables.xlsx_bytes(book), content_type=tables.XLSX)
    response["Content-Disposition"] = tables.disposition(f"{survey.title}{period.label}.xlsx")
    return response
