from django.contrib import admin

from .models import Question, Questionnaire, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Custom questionnaires are made here (copy a built-in one and edit its questions)."""

    list_display = ["name", "kind", "threshold", "consequence", "builtin"]
    inlines = [QuestionInline]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "org_unit", "questionnaire", "status"]
    readonly_fields = ["token"]
