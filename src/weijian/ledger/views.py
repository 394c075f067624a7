"""Ledger pages. Every object a URL names is fetched through the user's scope: a unit, record or
type outside it answers 404 and nothing changes. Writes go through `actions`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian import periods, tables
from weijian.once import guard as once
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from . import actions, excel, queries
from .models import Activity, ActivityType, Attachment
from .schema import Kind, display_value, field_lines

PAGE_SIZE = 50
MAX_UNITS_IN_PICKER = 400


# -- lookups through the scope ---------------------------------------------------------------


def _unit(user, code: str | None, capability: Can = Can.VIEW) -> OrgUnit:
    scope = get_scope(user)
    if not code:
        home = scope.home_unit()
        if home is None:
            raise Http404("您还没有被分配任何单位的角色")
        return home
    unit = get_object_or_404(OrgUnit, code=code)
    if not scope.can(capability, unit):
        raise Http404("不在您的权限范围内")
    return unit


def _type(user, code: str) -> ActivityType:
    for activity_type in queries.visible_types(get_scope(user)):
        if activity_type.code == code:
            return activity_type
    raise Http404("没有这个台账类型")


def _record(user, pk: int, capability: Can = Can.VIEW) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("type", "org_unit"), pk=pk)
    if not get_scope(user).can(capability, activity.org_unit):
        raise Http404("不在您的权限范围内")
    return activity


def _period(text: str | None) -> periods.Period:
    if not text:
        return periods.Period.containing(periods.PeriodType.YEARLY, timezone.localdate())
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None


def _entry_units(user) -> list[OrgUnit]:
    units = list(get_scope(user).units(Can.ENTER).order_by("path")[:MAX_UNITS_IN_PICKER])
    label_with_ancestors(units)
    return units


# -- lists ----------------------------------------------------------------------------------


@login_required
def home(request):
    """Every ledger type with its figures for a unit's subtree and a period."""
    unit = _unit(request.user, request.GET.get("ou"))
    period = _period(request.GET.get("pe"))
    rows = []
    for activity_type in queries.visible_types(get_scope(request.user)):
        # a type that publishes no figure (改革举措, 专题学习教育…) shows none: no query for it
        totals = []
        if activity_type.figures:
            totals = queries.totals(activity_type, queries.records(activity_type, unit, period))
        rows.append({"type": activity_type, "totals": totals})
    context = {"unit": unit, "period": period, "rows": rows, **_pickers(request.user)}
    return render(request, "ledger/home.html", context)


def _pickers(user) -> dict:
    scope = get_scope(user)
    return {
        "can_manage": scope.has_any(Can.MANAGE),
        "can_enter": scope.has_any(Can.ENTER),
    }


@login_required
def record_list(request, type_code: str):
    activity_type = _type(request.user, type_code)
    unit = _unit(request.user, request.GET.get("ou"))
    period = _period(request.GET.get("pe"))
    text = request.GET.get("q", "")[:50]
    listed = queries.matching(queries.records(activity_type, unit, period), text)
    listed = listed.order_by("-start_date", "-pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    label_with_ancestors([a.org_unit for a in page])
    fields = activity_type.field_specs()
    shown = [f for f in fields if f.kind in (Kind.CHOICE, Kind.COUNTER)][:4]
    scope = get_scope(request.user)
    months = [p.id for p in period.periods_within(periods.PeriodType.MONTHLY)]
    context = {
        "type": activity_type,
        "unit": unit,
        "period": period,
        "page": page,
        "text": text,
        "query": params.urlencode(),  # the pager and the export keep unit, period and search
        "columns": shown,
        "rows": [(a, [_cell(f, a) for f in shown]) for a in page],
        "totals": queries.totals(activity_type, listed),
        "can_enter": scope.can(Can.ENTER, unit),
        "months": _month_marks(activity_type, unit, months) if len(months) <= 12 else [],
        **_pickers(request.user),
    }
    return render(request, "ledger/list.html", context)


def _cell(spec, activity) -> tuple[str, bool, str]:
    """(text, is a count, the column's name: shown beside the value on a phone)."""
    value = display_value(spec, activity.values.get(spec.key))
    return value, spec.kind == Kind.COUNTER, spec.label


def _month_marks(activity_type, unit, months):
    today = timezone.localdate()
    declared = queries.declared_months(activity_type, unit, months)
    counts = {}
    for month in Activity.objects.filter(
        type=activity_type, org_unit=unit, period_id__in=months
    ).values_list("period_id", flat=True):
        counts[month] = counts.get(month, 0) + 1
    result = []
    for month in months:
        if month > actions.month_of(today):
            break
        result.append(
            {
                "id": month,
                "label": periods.parse(month).label,
                "count": counts.get(month, 0),
                "declared": month in declared,
            }  # fmt: skip
        )
    return result


# -- one record -----------------------------------------------------------------------------


@login_required
def detail(request, pk: int):
    activity = _record(request.user, pk)
    label_with_ancestors([activity.org_unit])
    context = {
        "a": activity,
        "type": activity.type,
        "fields": queries.field_rows(activity),
        "attachments": activity.attachments.all(),
        "audits": queries.audits(activity)[:50],
        "can_enter": get_scope(request.user).can(Can.ENTER, activity.org_unit),
        "max_mb": _max_mb(),
    }
    return render(request, "ledger/detail.html", context)


def _max_mb() -> int:
    from .attachments import max_bytes

    return max_bytes() // (1024 * 1024)


@login_required
def create(request, type_code: str):
    activity_type = _type(request.user, type_code)
    units = _entry_units(request.user)
    if not units:
        raise Http404("您没有登记台账的权限")
    default = request.GET.get("ou") or units[0].code
    return _edit_page(request, activity_type, None, units, default)


@login_required
def edit(request, pk: int):
    activity = _record(request.user, pk, Can.ENTER)
    units = _entry_units(request.user)
    return _edit_page(request, activity.type, activity, units, activity.org_unit.code)


def _edit_page(request, activity_type, activity, units, unit_code):
    problems = []
    if request.method == "POST":
        data = actions.RecordInput(
            request.POST.get("title"),
            request.POST.get("start"),
            request.POST.get("end"),
            _posted_values(request.POST, activity_type),
        )
        unit_code = request.POST.get("unit") or unit_code
        unit = next((u for u in units if u.code == unit_code), None)
        try:
            if unit is None:
                raise actions.LedgerError("请选择本人有权登记的单位")
            if activity is None:
                with once.claim(request) as claimed:  # a double click must not register twice
                    activity = actions.create_activity(request.user, activity_type, unit, data)
                    claimed.url = reverse("ledger_detail", args=[activity.pk])
                messages.success(request, f"已登记：{activity.title}")
            else:
                actions.update_activity(request.user, activity, data, unit)
                messages.success(request, "已保存修改")
            return redirect("ledger_detail", activity.pk)
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "ledger_list", activity_type.code)
        except actions.LedgerError as error:
            problems = error.problems or [actions.Problem("", error.message)]
        form = {"title": data.title or "", "start": data.start or "", "end": data.end or "",
                "values": dict(request.POST.items())}  # fmt: skip
    elif activity is not None:
        form = {"title": activity.title, "start": activity.start_date.isoformat(),
                "end": activity.end_date.isoformat(), "values": _form_values(activity)}  # fmt: skip
    else:
        form = {"title": "", "start": timezone.localdate().isoformat(), "end": "", "values": {}}
    by_label = {p.where: p.reason for p in problems}
    inputs = [
        {
            "spec": f,
            "name": f"f_{f.key}",
            "value": form["values"].get(f"f_{f.key}", ""),
            "problem": by_label.get(f.label, ""),
        }  # fmt: skip
        for f in activity_type.field_specs()
    ]
    context = {
        "type": activity_type,
        "a": activity,
        "units": units,
        "unit_code": unit_code,
        "form": form,
        "inputs": inputs,
        "problems": problems,
        "by_label": by_label,
    }
    return render(request, "ledger/form.html", context, status=400 if problems else 200)


def _posted_values(post, activity_type) -> dict:
    values = {}
    for spec in activity_type.field_specs():
        values[spec.key] = post.get(f"f_{spec.key}", "")
    return values


def _form_values(activity) -> dict:
    result = {}
    for spec in activity.type.field_specs():
        value = activity.values.get(spec.key)
        if value is None:
            continue
        if spec.kind == Kind.BOOLEAN:
            value = "是" if value else "否"
        elif spec.kind == Kind.PEOPLE:
            value = "、".join(value)
        result[f"f_{spec.key}"] = str(value)
    return result


@login_required
@require_POST
def delete(request, pk: int):
    activity = _record(request.user, pk, Can.ENTER)
    type_code, unit_code, title = activity.type.code, activity.org_unit.code, activity.title
    actions.delete_activity(request.user, activity)
    messages.success(request, f"已删除：{title}")
    return redirect(reverse("ledger_list", args=[type_code]) + f"?ou={unit_code}")


# -- attachments ----------------------------------------------------------------------------


@login_required
@require_POST
def attach(request, pk: int):
    activity = _record(request.user, pk, Can.ENTER)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "请选择要上传的文件")
    try:
        with once.claim(request) as claimed:
            _attach_files(request, activity, files)
            claimed.url = reverse("ledger_detail", args=[activity.pk])
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "ledger_detail", activity.pk)
    return redirect("ledger_detail", activity.pk)


def _attach_files(request, activity, files) -> None:
    for upload in files:
        if upload.size > getattr(settings, "WEIJIAN_LEDGER_MAX_ATTACHMENT_BYTES", 10 << 20):
            messages.error(request, f"文件“{upload.name}”超过 {_max_mb()} MB，未上传")
            continue
        try:
            actions.add_attachment(request.user, activity, upload.name, upload.read())
            messages.success(request, f"已上传：{upload.name}")
        except actions.LedgerError as error:
            messages.error(request, error.message)


def _attachment(user, pk: int, capability: Can) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("activity__org_unit"), pk=pk)
    if not get_scope(user).can(capability, attachment.activity.org_unit):
        raise Http404("不在您的权限范围内")
    return attachment


@login_required
def attachment_file(request, pk: int):
    attachment = _attachment(request.user, pk, Can.VIEW)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = _attachment(request.user, pk, Can.ENTER)
    activity_pk = attachment.activity_id
    actions.delete_attachment(request.user, attachment)
    messages.success(request, f"已删除附件：{attachment.name}")
    return redirect("ledger_detail", activity_pk)


# -- nothing to report -----------------------------------------------------------------------


@login_required
@require_POST
def nothing(request, type_code: str):
    activity_type = _type(request.user, type_code)
    unit = _unit(request.user, request.POST.get("ou"), Can.ENTER)
    month = request.POST.get("month", "")
    try:
        if request.POST.get("action") == "withdraw":
            actions.withdraw_nothing(request.user, activity_type, unit, month)
            messages.success(request, "已撤销本月无记录声明")
        else:
            actions.declare_nothing(request.user, activity_type, unit, month)
            messages.success(
                request, f"已声明：{unit.name}{month[:4]}年{int(month[4:])}月无{activity_type.name}"
            )
    except actions.LedgerError as error:
        messages.error(request, error.message)
    except ValueError:
        messages.error(request, f"月份“{month}”无效")
    back = (
        reverse("ledger_list", args=[type_code])
        + f"?ou={unit.code}&pe={request.POST.get('pe', '')}"
    )
    return redirect(back)


# -- Excel ----------------------------------------------------------------------------------


@login_required
def template(request, type_code: str):
    activity_type = _type(request.user, type_code)
    units = [(u.code, u.ancestor_names()) for u in _entry_units(request.user)]
    data = excel.template(activity_type.name, activity_type.field_specs(), units)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{activity_type.name.replace('/', '、')}导入模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def import_page(request, type_code: str):
    activity_type = _type(request.user, type_code)
    if not _entry_units(request.user):
        raise Http404("您没有登记台账的权限")
    problems, message = [], ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            message = "请选择要导入的 .xlsx 文件"
        elif upload.size > settings.WEIJIAN_MAX_UPLOAD_BYTES:
            message = f"文件超过 {settings.WEIJIAN_MAX_UPLOAD_BYTES // 1048576} MB，未导入"
        else:
            try:
                with once.claim(request) as claimed:  # a resent upload must not import twice
                    created = actions.import_xlsx(request.user, activity_type, upload.read())
                    claimed.url = reverse("ledger_list", args=[activity_type.code])
                messages.success(request, f"已导入 {len(created)} 条{activity_type.name}记录")
                return redirect("ledger_list", activity_type.code)
            except once.Replayed as replay:
                return once.answer_replay(request, replay, "ledger_list", activity_type.code)
            except actions.LedgerError as error:
                message, problems = error.message, error.problems
    context = {"type": activity_type, "problems": problems, "message": message}
    return render(request, "ledger/import.html", context, status=400 if message else 200)


# -- the campaign calendar ---------------------------------------------------------------------


@login_required
def calendar(request):
    unit = _unit(request.user, request.GET.get("ou"))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        periods.parse(str(year))
    except (ValueError, periods.PeriodError):
        raise Http404("年份无效") from None
    items = queries.calendar_check(unit, year, today)
    counts = {
        s: sum(1 for i in items if i.status == s) for s in ("DONE", "OVERDUE", "OPEN", "LATER")
    }
    context = {"unit": unit, "year": year, "items": items, "counts": counts,
               "years": [today.year - 1, today.year]}  # fmt: skip
    return render(request, "ledger/calendar.html", context)


# -- types ------------------------------------------------------------------------------------


@login_required
def type_edit(request, type_code: str | None = None):
    scope = get_scope(request.user)
    existing = _type(request.user, type_code) if type_code else None
    owners = scope.root_units(Can.MANAGE)
    if not owners or (existing and (existing.builtin or not scope.can(Can.MANAGE, existing.owner))):
        raise Http404("您没有管理台账类型的权限")
    problems = []
    form = {
        "name": existing.name if existing else "",
        "code": existing.code if existing else "",
        "description": existing.description if existing else "",
        "fields": field_lines(existing.field_specs()) if existing else "",
        "owner": existing.owner.code if existing else owners[0].code,
    }
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        owner = next((u for u in owners if u.code == form["owner"]), owners[0])
        try:
            with once.claim(request) as claimed:
                saved = actions.save_type(request.user, owner, form["name"], form["fields"],
                                          form["description"], form["code"], existing)  # fmt: skip
                claimed.url = reverse("ledger_list", args=[saved.code])
            messages.success(request, f"已保存台账类型：{saved.name}")
            return redirect("ledger_list", saved.code)
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "ledger_home")
        except actions.LedgerError as error:
            problems = error.problems
    context = {"existing": existing, "form": form, "owners": owners, "problems": problems}
    return render(request, "ledger/type_form.html", context, status=400 if problems else 200)


@login_required
def records_xlsx(request, type_code: str):
    """The records of a type for a unit's subtree and a period, every field a column."""
    activity_type = _type(request.user, type_code)
    unit = _unit(request.user, request.GET.get("ou"))
    period = _period(request.GET.get("pe"))
    text = request.GET.get("q", "")[:50]
    listed = list(queries.matching(queries.records(activity_type, unit, period), text)[:10000])
    label_with_ancestors([a.org_unit for a in listed])
    specs = activity_type.field_specs()
    headers = ["开始日期", "结束日期", "单位", "标题", *[_header(f) for f in specs], "登记人"]
    rows = [
        (
            a.start_date, a.end_date, a.org_unit.ancestor_names(), a.title,
            *[_cell_value(f, a.values.get(f.key)) for f in specs],
            (a.created_by.get_full_name() or a.created_by.username) if a.created_by else "",
        )
        for a in listed
    ]  # fmt: skip
    heading = f"{unit.name} · {activity_type.name}台账 · {period.label}（{len(rows)} 条）"
    book = tables.sheet(None, activity_type.name, heading, headers, rows)
    response = HttpResponse(tables.xlsx_bytes(book), content_type=tables.XLSX)
    response["Content-Disposition"] = tables.disposition(
        f"{unit.name}{activity_type.name}台账{period.label}.xlsx"
    )
    return response


def _header(spec) -> str:
    return f"{spec.label}（{spec.unit}）" if spec.unit else spec.label


def _cell_value(spec, value):
    """Counts and numbers stay numbers (they add up in Excel); the rest reads as on the page."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return display_value(spec, value)
