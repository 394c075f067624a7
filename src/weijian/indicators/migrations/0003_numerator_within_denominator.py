"""Indicators whose numerator is a part of their denominator say so, and get the rule
"numerator ≤ denominator" (see weijian.indicators.library.files).

A database that already holds the library gets the flag and the generated rules here, from
the shipped files, so `migrate` alone brings it up to date (`weijian library load` would too).
"""

from django.db import migrations, models


def flag_library_indicators(apps, schema_editor):
    from weijian.indicators.library import read_library

    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorSource = apps.get_model("indicators", "IndicatorSource")
    ValidationRule = apps.get_model("indicators", "ValidationRule")
    library = read_library()
    bounded = [spec.code for spec in library.indicators if spec.numerator_within_denominator]
    Indicator.objects.filter(code__in=bounded).update(numerator_within_denominator=True)
    present = set(Indicator.objects.filter(code__in=bounded).values_list("code", flat=True))
    sources = {s.code: s for s in IndicatorSource.objects.all()}
    for rule in library.validation_rules:
        indicator_code = rule.code.removeprefix("VR_").removesuffix("_NUM_LE_DEN")
        if not rule.code.endswith("_NUM_LE_DEN") or indicator_code not in present:
            continue
        ValidationRule.objects.get_or_create(
            code=rule.code,
            defaults=dict(
                name=rule.name, left=rule.left, operator=rule.operator, right=rule.right,
                importance=rule.importance, missing_value_strategy=rule.missing_value_strategy,
                description=rule.description, source=sources.get(rule.source.code),
            ),
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_benchmarks"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="numerator_within_denominator",
            field=models.BooleanField(default=False, verbose_name="分子为分母的一部分"),
        ),
        migrations.RunPython(flag_library_indicators, migrations.RunPython.noop),
    ]
