from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import OrgUnit, OrgUnitGroup, RoleAssignment


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit, exclude=["path", "depth", "numchild"])
    list_display = [
        "name",
        "code",
        "type",
        "short_name",
        "opening_date",
        "closing_date",
        "leadership",
    ]
    search_fields = ["name", "code", "uid"]
    list_filter = ["type"]


@admin.register(OrgUnitGroup)
class OrgUnitGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "uid"]
    filter_horizontal = ["members"]
    search_fields = ["name", "code"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "org_unit__name"]
    autocomplete_fields = ["org_unit"]
