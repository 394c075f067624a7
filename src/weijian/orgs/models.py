"""The organisation tree (卫健局 → 机构 → 科室 → 病区), unit groups and scoped roles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from treebeard.mp_tree import MP_Node

from .uids import generate_uid

code_validator = RegexValidator(r"^[A-Za-z0-9_\-]+$", "编码只能包含字母、数字、下划线和短横线")
uid_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9]{10}$", "UID 须为 11 位：字母开头，其余为字母或数字"
)


class OrgUnitType(models.TextChoices):
    BUREAU = "BUREAU", "卫健局"
    HOSPITAL = "HOSPITAL", "综合医院"
    TCM_HOSPITAL = "TCM_HOSPITAL", "中医院"
    MCH = "MCH", "妇幼保健院"
    CDC = "CDC", "疾控中心"
    TOWNSHIP = "TOWNSHIP", "乡镇卫生院"
    COMMUNITY = "COMMUNITY", "社区卫生服务中心"
    DEPARTMENT = "DEPARTMENT", "科室"
    WARD = "WARD", "病区"
    OTHER = "OTHER", "其他"


DEFAULT_LEADERSHIP = "区委、区政府"


class OrgUnit(MP_Node):
    """One node of the tree. `depth` (from treebeard) is the level: the bureau is level 1."""

    code = models.CharField("编码", max_length=50, unique=True, validators=[code_validator])
    uid = models.CharField(
        "UID", max_length=11, unique=True, default=generate_uid, validators=[uid_validator]
    )
    name = models.CharField("名称", max_length=200)
    short_name = models.CharField("简称", max_length=100, blank=True)
    type = models.CharField("类型", max_length=20, choices=OrgUnitType.choices)
    opening_date = models.DateField("启用日期", null=True, blank=True)
    closing_date = models.DateField("撤销日期", null=True, blank=True)
    # The district's leadership as its documents name it: a 示范区 or 开发区 is led by its
    # 党工委、管委会, a county by 县委、县政府. Set on the top unit; units below inherit it.
    leadership = models.CharField(
        "上级党委政府",
        max_length=50,
        blank=True,
        help_text="工作总结开头“在……的正确领导下”所写的本地党委政府，如“区委、区政府”"
        "“示范区党工委、管委会”。一般只在最上级单位（卫健局）填写，下级单位沿用；"
        f"都不填时写“{DEFAULT_LEADERSHIP}”。",
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> int:
        return self.depth

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_open_during(self, start: dt.date, end: dt.date) -> bool:
        """Open for some part of [start, end]: opened by its end and not closed before its start."""
        if self.opening_date and self.opening_date > end:
            return False
        return not (self.closing_date and self.closing_date < start)

    def is_closed_on(self, day: dt.date) -> bool:
        return self.closing_date is not None and self.closing_date < day

    def leadership_line(self) -> str:
        """Who leads the district ("区委、区政府", "示范区党工委、管委会"): the nearest setting
        from this unit up to the top, else the default. One query."""
        steplen = self.steplen
        paths = [self.path[: steplen * k] for k in range(1, self.depth + 1)]
        found = (
            OrgUnit.objects.filter(path__in=paths)
            .exclude(leadership="")
            .order_by("-depth")
            .values_list("leadership", flat=True)
            .first()
        )
        return found or DEFAULT_LEADERSHIP

    def ancestor_names(self) -> str:
        """'区人民医院 / 内科' style path, without the bureau at the root.

        Lists of units call `label_with_ancestors(units)` first, which fills this in with one
        query for the whole list instead of one per unit.
        """
        cached = getattr(self, "_ancestor_names", None)
        if cached is None:
            label_with_ancestors([self])
            cached = self._ancestor_names
        return cached


def label_with_ancestors(units) -> None:
    """Give every unit of the list its 'institution / department' label with one query."""
    units = [u for u in units if getattr(u, "_ancestor_names", None) is None]
    steplen = OrgUnit.steplen
    wanted = {u.path[: steplen * k] for u in units for k in range(2, u.depth)}
    rows = OrgUnit.objects.filter(path__in=wanted).values_list("path", "short_name", "name")
    names = {path: short_name or name for path, short_name, name in rows} if wanted else {}
    for unit in units:
        parts = [names[unit.path[: steplen * k]] for k in range(2, unit.depth)]
        unit._ancestor_names = " / ".join([*parts, unit.display_name])


class OrgUnitGroup(models.Model):
    code = models.CharField("编码", max_length=50, unique=True, validators=[code_validator])
    uid = models.CharField(
        "UID", max_length=11, unique=True, default=generate_uid, validators=[uid_validator]
    )
    name = models.CharField("名称", max_length=200)
    members = models.ManyToManyField(
        OrgUnit, related_name="groups", verbose_name="成员", blank=True
    )

    class Meta:
        verbose_name = "机构分组"
        verbose_name_plural = "机构分组"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    BUREAU_ADMIN = "BUREAU_ADMIN", "局管理员"
    INSTITUTION_ADMIN = "INSTITUTION_ADMIN", "机构管理员"
    CLERK = "CLERK", "科室填报员"
    REVIEWER = "REVIEWER", "审核员"
    INSPECTOR = "INSPECTOR", "检查员"
    VIEWER = "VIEWER", "只读"


class RoleAssignment(models.Model):
    """A user holds a role over one org unit and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="用户",
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="所属机构"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org_unit", "role"], name="unique_role_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"
