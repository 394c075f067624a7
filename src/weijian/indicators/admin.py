from django.contrib import admin

from .models import Constant, Indicator, IndicatorSource, Target, ValidationRule


@admin.register(IndicatorSource)
class IndicatorSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "document", "edition", "valid_from", "valid_to"]
    search_fields = ["title", "code", "document"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "type", "direction", "source", "verification"]
    list_filter = ["group", "type", "direction", "national_monitoring", "source"]
    search_fields = ["name", "code", "numerator", "denominator"]


@admin.register(Constant)
class ConstantAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "value"]
    search_fields = ["name", "code"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "left", "operator", "right", "importance"]
    list_filter = ["importance", "operator", "source"]
    search_fields = ["name", "code", "left", "right"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "org_unit", "period", "value", "note"]
    list_filter = ["period"]
    search_fields = ["indicator__name", "indicator__code", "org_unit__name", "org_unit__code"]
    autocomplete_fields = ["indicator", "org_unit"]
