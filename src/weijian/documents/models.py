"""Summary templates offices can copy and edit, their uploaded Word layouts, and the
documents generated from them (kept per unit, with who and when)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit


class SummaryTemplate(models.Model):
    """A summary template: the built-in ones are YAML files in `documents/summaries/`; an
    office's copy lives here, owned by its unit, with the same structure as JSON."""

    code = models.CharField("编码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="summary_templates", verbose_name="所属单位"
    )
    based_on = models.CharField("复制自", max_length=60, blank=True)
    spec = models.JSONField("模板内容")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "总结模板"
        verbose_name_plural = "总结模板"
        ordering = ["org_unit__path", "code"]

    def __str__(self) -> str:
        return self.name


class WordLayout(models.Model):
    """An uploaded .docx (letterhead, page setup) with a `{{ body }}` placeholder; the generated
    summary is put where the placeholder stands (docxtpl fills the other placeholders)."""

    name = models.CharField("名称", max_length=100)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="word_layouts", verbose_name="所属单位"
    )
    file = models.CharField("文件", max_length=300)  # relative to MEDIA_ROOT
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "Word版式"
        verbose_name_plural = "Word版式"
        ordering = ["org_unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class GeneratedDocument(models.Model):
    """One generated summary or plan: the .docx and its provenance file on disk."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="documents", verbose_name="单位"
    )
    period = models.CharField("期间", max_length=30)
    template_code = models.CharField("模板", max_length=60)
    title = models.CharField("标题", max_length=200)
    docx = models.CharField("文件", max_length=300)  # relative to MEDIA_ROOT
    provenance = models.CharField("数据来源文件", max_length=300)
    preview = models.CharField("预览文件", max_length=300, blank=True)
    figures = models.PositiveIntegerField("数字个数", default=0)
    seconds = models.DecimalField("生成耗时（秒）", max_digits=8, decimal_places=2, default=0)
    layout = models.ForeignKey(
        WordLayout, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="版式"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="生成人",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "已生成文档"
        verbose_name_plural = "已生成文档"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["org_unit", "-created_at"], name="document_unit_created")]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    PENDING = "PENDING", "未反馈"
    DONE = "DONE", "已完成"
    ONGOING = "ONGOING", "推进中"
    NOT_DONE = "NOT_DONE", "未完成"


class PlanTask(models.Model):
    """A task of a year's plan (工作计划), kept when the plan is generated so that the summary
    of that year reports on it. A target task (`indicator` + `target_value`) is judged from
    the data; any other task by the status its office records."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="plan_tasks", verbose_name="单位"
    )
    year = models.PositiveIntegerField("计划年度")
    document = models.ForeignKey(
        GeneratedDocument, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="计划文件"
    )
    sort_order = models.PositiveIntegerField(default=0)
    text = models.CharField("任务", max_length=500)
    office = models.CharField("牵头科室", max_length=100, blank=True)
    deadline = models.CharField("完成时限", max_length=50, blank=True)
    indicator = models.CharField("指标编码", max_length=60, blank=True)
    target_value = models.DecimalField(
        "目标值", max_digits=20, decimal_places=6, null=True, blank=True
    )
    direction = models.CharField("方向", max_length=4, blank=True)  # up / down
    status = models.CharField(
        "完成情况", max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    note = models.CharField("说明", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计划任务"
        verbose_name_plural = "计划任务"
        ordering = ["org_unit__path", "year", "sort_order", "id"]
        indexes = [models.Index(fields=["org_unit", "year"], name="plan_task_unit_year")]

    def __str__(self) -> str:
        return self.text[:40]


class PlanTaskLog(models.Model):
    """Who recorded which status of a plan task, and when (the task's audit trail)."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=TaskStatus.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.task} {self.get_status_display()}"


class TemplateChange(models.Model):
    """The audit trail of offices' summary templates and Word layouts: who copied, edited or
    uploaded what, when. An edit keeps the template before and after, so what changed can be
    shown line by line (`diff`); an upload keeps the file's name, size and SHA-256."""

    class Action(models.TextChoices):
        COPY = "COPY", "复制模板"
        EDIT = "EDIT", "修改模板"
        UPLOAD_LAYOUT = "UPLOAD_LAYOUT", "上传版式"

    at = models.DateTimeField("时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name="所属单位"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    template_code = models.CharField("模板编码", max_length=60, blank=True, db_index=True)
    layout = models.ForeignKey(
        WordLayout, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="版式"
    )
    name_before = models.CharField("原名称", max_length=100, blank=True)
    name_after = models.CharField("新名称", max_length=100, blank=True)
    spec_before = models.JSONField("修改前", null=True, blank=True)
    spec_after = models.JSONField("修改后", null=True, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "模板修改记录"
        verbose_name_plural = "模板修改记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.template_code}"

    def diff(self) -> str:
        """The template's YAML before → after, as a unified diff ("" for a copy or upload)."""
        import difflib

        from .specs import dump_yaml

        if self.spec_before is None or self.spec_after is None:
            return ""
        # Keys sorted: PostgreSQL's jsonb keeps no key order, so both sides compare alike.
        lines = difflib.unified_diff(
            dump_yaml(self.spec_before, sort_keys=True).splitlines(),
            dump_yaml(self.spec_after, sort_keys=True).splitlines(),
            "修改前",
            "修改后",
            lineterm="",
            n=1,
        )
        return "\n".join(lines)
