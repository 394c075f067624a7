from django.contrib import admin

from .models import Contract, ContractTarget, GroupChange, GroupMember, LeadingGroup


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0


class ChangeInline(admin.TabularInline):
    model = GroupChange
    extra = 0


@admin.register(LeadingGroup)
class LeadingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "org_unit", "document_number", "founded_on"]
    inlines = [MemberInline, ChangeInline]


class TargetInline(admin.TabularInline):
    model = ContractTarget
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "issuer", "party", "status", "signed_on"]
    list_filter = ["year", "status"]
    inlines = [TargetInline]
