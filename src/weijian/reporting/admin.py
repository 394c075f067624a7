from django.contrib import admin

from .models import (
    Category,
    CategoryMembership,
    CategoryOption,
    DataElement,
    DataValueAudit,
    Form,
    FormElement,
    FormSection,
    Submission,
    SubmissionEvent,
)


@admin.register(CategoryOption)
class CategoryOptionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "uid"]
    search_fields = ["name", "code"]


class CategoryMembershipInline(admin.TabularInline):
    model = CategoryMembership
    extra = 1


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "uid"]
    inlines = [CategoryMembershipInline]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "value_type", "aggregation_type", "unit", "category"]
    list_filter = ["value_type", "aggregation_type", "system_managed"]
    search_fields = ["name", "code", "uid"]


class FormSectionInline(admin.TabularInline):
    model = FormSection
    extra = 0


class FormElementInline(admin.TabularInline):
    model = FormElement
    extra = 0
    autocomplete_fields = ["element"]


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "period_type", "due_days"]
    search_fields = ["name", "code"]
    filter_horizontal = ["org_units", "org_groups"]
    inlines = [FormSectionInline, FormElementInline]


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    readonly_fields = ["action", "by", "at", "reason"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only here: workflow changes go through the review pages, which audit them."""

    list_display = ["form", "org_unit", "period", "status", "first_submitted_at", "reviewed_by"]
    list_filter = ["status", "form"]
    inlines = [SubmissionEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a report would reopen locked data and erase its workflow history.
        return False


@admin.register(DataValueAudit)
class DataValueAuditAdmin(admin.ModelAdmin):
    list_display = [
        "changed_at",
        "org_unit",
        "period",
        "element",
        "action",
        "old_value",
        "new_value",
        "changed_by",
    ]
    list_filter = ["action", "source"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
