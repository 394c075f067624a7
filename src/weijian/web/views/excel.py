from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from weijian.reporting import actions, excel

from .common import form_unit_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def download(request, form_code, unit_code, period_id):
    form, unit, period = form_unit_period(request.user, form_code, unit_code, period_id)
    filled = request.GET.get("blank") != "1"
    content = excel.build_workbook(form, unit, period, filled=filled)
    response = HttpResponse(content, content_type=XLSX)
    name = f"{form.name}-{unit.display_name}-{period.label}{'' if filled else '-空表'}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
def upload(request, form_code, unit_code, period_id):
    form, unit, period = form_unit_period(request.user, form_code, unit_code, period_id)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, "请选择要上传的 Excel 文件")
    elif uploaded.size > settings.WEIJIAN_MAX_UPLOAD_BYTES:
        messages.error(request, "文件过大，请上传本系统下载的报表文件")
    else:
        try:
            result = excel.import_workbook(request.user, form, unit, period.id, uploaded)
        except actions.ReportingError as exc:
            messages.error(request, exc.message)
            for problem in exc.problems[:100]:
                messages.warning(request, f"{problem.where}：{problem.reason}")
        else:
            if result.changed:
                messages.success(
                    request,
                    f"Excel 导入成功：新增 {result.created} 项，修改 {result.updated} 项，清除 {result.deleted} 项",
                )
            else:
                messages.info(request, "未发现改动：文件中的数据与已保存的一致，没有保存任何内容")
    return redirect("entry", form.code, unit.code, period.id)
