"""报表审核: the reports of the units below mine, filtered (status, form, unit, period, text),
paged, with 批量审核通过 that makes the same checks as approving one by one."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian import periods, tables
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import actions, queries
from weijian.reporting.models import Form, SubmissionStatus

PAGE_SIZE = 50


# The parts of the list's address that narrow it (not the status or the page): carried to the
# entry page as ?list=… so that 下一份待审 stays inside what the reviewer narrowed the list to.
NARROWING = ("form", "ou", "pe", "q")


def _filter(request) -> queries.ReviewFilter:
    return review_filter(request.user, request.GET)


def review_filter(user, get: QueryDict) -> queries.ReviewFilter:
    """The list's filter from its query parameters; a unit outside the user's scope or a bad
    period is a 404 (Http404), as on any page."""
    status = get.get("status", SubmissionStatus.SUBMITTED)
    if status not in SubmissionStatus.values:
        status = SubmissionStatus.SUBMITTED
    unit = None
    if get.get("ou"):
        unit = OrgUnit.objects.filter(code=get["ou"]).first()
        if unit is None or not get_scope(user).can(Can.VIEW, unit):
            raise Http404("不在您的权限范围内")
    period = None
    if get.get("pe"):
        try:
            period = periods.parse(get["pe"])
        except periods.PeriodError as exc:
            raise Http404(str(exc)) from None
    return queries.ReviewFilter(status, get.get("form", ""), unit, period, get.get("q", "")[:50])


def within_list(user, raw: str) -> tuple[queries.ReviewFilter | None, str]:
    """The entry page's ?list=… (the review list's narrowing parameters) as a filter and as
    the query to carry on; anything unusable is dropped, never an error on the entry page."""
    kept = _narrowing(QueryDict(raw[:500]))
    if not kept:
        return None, ""
    try:
        return review_filter(user, kept), kept.urlencode()
    except Http404:
        return None, ""


def _narrowing(get: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for key in NARROWING:
        if get.get(key):
            kept[key] = get[key]
    return kept


@login_required
def review_list(request):
    scope = get_scope(request.user)
    wanted = _filter(request)
    page = Paginator(queries.review_queue(scope, wanted), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    label_with_ancestors([s.org_unit for s in page])
    notes = queries.last_reviews(list(page))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "submissions": [(s, notes.get(s.pk)) for s in page],
        "wanted": wanted,
        "statuses": SubmissionStatus.choices,
        "forms": Form.objects.order_by("code").only("code", "name"),
        "can_review": scope.has_any(Can.REVIEW),
        "query": params.urlencode(),
        "within": _narrowing(request.GET).urlencode(),
        "next_review": queries.next_to_review(scope, within=replace(wanted, status="SUBMITTED"))
        if scope.has_any(Can.REVIEW)
        else None,
    }
    return render(request, "web/review_list.html", context)


@login_required
@require_POST
def approve_selected(request):
    result = actions.approve_many(request.user, request.POST.getlist("ids"))
    if result.approved:
        messages.success(request, f"已审核通过 {len(result.approved)} 份报表")
    for submission, reason in result.refused[:10]:
        what = f"{submission.form.name} · {submission.org_unit.name} · {submission.period_id}"
        messages.error(request, f"{what}：{reason}")
    if not result.approved and not result.refused:
        messages.error(request, "请先勾选要审核通过的报表")
    back = request.POST.get("back", "")
    return redirect(f"/review/?{back}" if back and "//" not in back else "review_list")


EXPORT_LIMIT = 5000


@login_required
def review_xlsx(request):
    """The filtered review list as a sheet (all pages, up to 5 000 reports)."""
    scope = get_scope(request.user)
    wanted = _filter(request)
    listed = list(queries.review_queue(scope, wanted)[:EXPORT_LIMIT])
    label_with_ancestors([s.org_unit for s in listed])
    notes = queries.last_reviews(listed)
    rows = [
        (
            s.form.name, s.org_unit.ancestor_names(), s.period.parsed.label, s.get_status_display(),
            _name(s.submitted_by), _local(s.submitted_at), *_review(notes.get(s.pk)), s.return_reason,
        )
        for s in listed
    ]  # fmt: skip
    headers = [
        "报表",
        "单位",
        "期间",
        "状态",
        "上报人",
        "上报时间",
        "审核情况",
        "审核人",
        "审核时间",
        "退回原因",
    ]
    status = dict(SubmissionStatus.choices)[wanted.status]
    book = tables.sheet(None, "报表审核", f"报表审核 · {status}（{len(rows)} 份）", headers, rows)
    response = HttpResponse(tables.xlsx_bytes(book), content_type=tables.XLSX)
    response["Content-Disposition"] = tables.disposition(f"报表审核-{status}.xlsx")
    return response


def _review(note) -> tuple:
    """The latest review (main's ReviewNote): what, by whom, when; an earlier version's is
    said to be so, as on the page."""
    if note is None:
        return ("", "", None)
    label = f"上次{note.label}，已重新上报" if note.earlier else note.label
    return (label, _name(note.by), _local(note.at))


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
