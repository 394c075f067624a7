"""`weijian library load` run again after a file changed: a rule the file no longer defines is
removed (a renamed rule must not keep firing under its old code on an installation loaded
before the rename), and nothing outside the loaded files is touched."""

import io

import pytest
from django.core.management import call_command

from tests.indicators.test_library_files import indicator, write
from weijian.indicators.library import read_library
from weijian.indicators.library_sync import load_library
from weijian.indicators.models import IndicatorSource, ValidationRule


def rule(code: str, **overrides) -> dict:
    return {
        "code": code, "name": f"规则{code}", "left": "#{A}",
        "operator": "less_than_or_equal_to", "right": "#{B}", "importance": "HIGH",
        "missing_value_strategy": "SKIP_IF_ANY_VALUE_MISSING", "description": "", **overrides,
    }  # fmt: skip


@pytest.mark.django_db
def test_a_renamed_rule_replaces_the_old_one_and_others_stay(tmp_path):
    # First release: T_SRC defines VR_OLD; another file (O_SRC) defines VR_OTHER.
    first = write(tmp_path, "t.yaml", indicators=[indicator()], rules=[rule("VR_OLD")])
    other_source = {"code": "O_SRC", "title": "另一来源", "issuer": "测试机关"}
    other = write(
        tmp_path, "o.yaml", indicators=[indicator(code="O_RATE")], rules=[rule("VR_OTHER")],
        source=other_source,
    )  # fmt: skip
    load_library(read_library([first, other]))
    district_rule = ValidationRule.objects.create(
        code="VR_DISTRICT", name="本区自定规则", left="#{A}", operator="equal_to", right="#{B}",
        importance="LOW", missing_value_strategy="SKIP_IF_ANY_VALUE_MISSING",
    )  # fmt: skip

    # Next release renames VR_OLD to VR_NEW; only T_SRC's file is loaded this time.
    renamed = write(tmp_path, "t.yaml", indicators=[indicator()], rules=[rule("VR_NEW")])
    summary = load_library(read_library([renamed]))

    assert summary.retired_rules == ("VR_OLD",)
    codes = set(ValidationRule.objects.values_list("code", flat=True))
    # VR_OLD gone; VR_NEW in; O_SRC's rule (its file not loaded) and the district's rule stay.
    assert {"VR_NEW", "VR_OTHER", "VR_DISTRICT"} <= codes and "VR_OLD" not in codes
    assert ValidationRule.objects.get(pk=district_rule.pk).source is None
    assert IndicatorSource.objects.filter(code="O_SRC").exists()


@pytest.mark.django_db
def test_loading_the_shipped_library_twice_removes_nothing_and_says_nothing():
    out = io.StringIO()
    call_command("library", "load", stdout=out)
    before = set(ValidationRule.objects.values_list("code", flat=True))
    out = io.StringIO()
    call_command("library", "load", stdout=out)
    assert set(ValidationRule.objects.values_list("code", flat=True)) == before
    assert "已删除" not in out.getvalue() and "已载入指标库" in out.getvalue()


@pytest.mark.django_db
def test_the_command_names_what_it_removed():
    call_command("library", "load", stdout=io.StringIO())
    # An installation loaded before the nursing denominator's rule was renamed still holds it.
    hai = IndicatorSource.objects.get(
        pk=ValidationRule.objects.get(code="VR_NUR_INPATIENTS_EQ_ADMISSIONS").source_id
    )
    ValidationRule.objects.create(
        code="VR_NUR_INPATIENTS_EQ_HAI_INPATIENTS", name="旧规则", left="#{A}",
        operator="equal_to", right="#{B}", importance="MEDIUM",
        missing_value_strategy="SKIP_IF_ANY_VALUE_MISSING", source=hai,
    )  # fmt: skip
    out = io.StringIO()
    call_command("library", "load", stdout=out)
    assert (
        "已删除指标库文件中不再有的 1 条校验规则：VR_NUR_INPATIENTS_EQ_HAI_INPATIENTS"
        in out.getvalue()
    )
    assert not ValidationRule.objects.filter(code="VR_NUR_INPATIENTS_EQ_HAI_INPATIENTS").exists()
