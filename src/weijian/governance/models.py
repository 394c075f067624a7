"""Leading groups (领导小组/委员会) with dated membership, and annual responsibility contracts
(目标责任书) whose indicator targets are checked against the indicator engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit


class MemberRole(models.TextChoices):
    LEADER = "LEADER", "组长"
    DEPUTY = "DEPUTY", "副组长"
    MEMBER = "MEMBER", "成员"


ROLE_ORDER = {MemberRole.LEADER: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}


class LeadingGroup(models.Model):
    """A 领导小组 / 委员会 set up by a unit's document (成立), later adjusted (调整)."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="leading_groups", verbose_name="设立单位"
    )
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("主要职责")
    office_location = models.CharField("办公室设在", max_length=100, blank=True)
    office_director = models.CharField("办公室主任", max_length=100, blank=True)
    document_number = models.CharField("成立文号", max_length=100)
    founded_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "领导小组"
        verbose_name_plural = "领导小组"
        ordering = ["org_unit__path", "name"]
        constraints = [
            # One active group of a name per unit, held by the database: the check in
            # create_group alone let a double click found the same group twice.
            models.UniqueConstraint(
                fields=["org_unit", "name"],
                condition=models.Q(dissolved_on=None),
                name="unique_active_group_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupChange(models.Model):
    """One dated event of a group's life: 成立 or 调整, with its document and reason."""

    class Kind(models.TextChoices):
        FOUND = "FOUND", "成立"
        ADJUST = "ADJUST", "调整"

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    effective_on = models.DateField("生效日期")
    document_number = models.CharField("文号", max_length=100, blank=True)
    reason = models.CharField("调整原因", max_length=300, blank=True)
    summary = models.TextField("变动情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "成立/调整记录"
        verbose_name_plural = "成立/调整记录"
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.group} {self.get_kind_display()} {self.effective_on}"


class GroupMember(models.Model):
    """A person's seat in a group from `joined_on` until `left_on` (None: still serving).
    A change of role closes the old seat and opens a new one, so history is kept."""

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100)
    role = models.CharField("组内职务", max_length=10, choices=MemberRole.choices)
    sort_order = models.PositiveIntegerField(default=0)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = "小组成员"
        verbose_name_plural = "小组成员"
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["group", "left_on"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}（{self.post}）"


class ContractStatus(models.TextChoices):
    PENDING = "PENDING", "未签订"
    SIGNED = "SIGNED", "已签订"


class Contract(models.Model):
    """One year's 目标责任书 between an issuing unit and one unit below it."""

    year = models.PositiveIntegerField("年度")
    issuer = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="contracts_issued", verbose_name="发出单位"
    )
    party = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="contracts", verbose_name="责任单位"
    )
    title = models.CharField("名称", max_length=200)
    responsible_person = models.CharField("第一责任人", max_length=50, blank=True)
    status = models.CharField(
        "签订状态", max_length=10, choices=ContractStatus.choices, default=ContractStatus.PENDING
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The signed paper, scanned (PDF or photo; checked and cleaned like ledger attachments);
    # in $WEIJIAN_VAR_DIR/media/contracts/…, served only through a scoped view.
    scan = models.FileField("签字扫描件", upload_to="contracts/%Y/", max_length=200, blank=True)
    scan_name = models.CharField("扫描件文件名", max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=50, blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scan_uploaded_at = models.DateTimeField("扫描件上传时间", null=True, blank=True)

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ["-year", "issuer__path", "party__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "issuer", "party", "title"], name="unique_contract"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.party} {self.title}"


class ContractTarget(models.Model):
    """A target of a contract: an indicator with a target value, or a duty in words."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    sort_order = models.PositiveIntegerField(default=0)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, verbose_name="指标"
    )
    target_value = models.DecimalField(
        "目标值", max_digits=20, decimal_places=6, null=True, blank=True
    )
    duty = models.TextField("工作职责", blank=True)

    class Meta:
        verbose_name = "责任目标"
        verbose_name_plural = "责任目标"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.indicator.name if self.indicator else self.duty[:40]


class GovernanceLog(models.Model):
    """Who did what to which group or contract (the audit trail of this app)."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    object_type = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"
