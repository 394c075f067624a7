"""The leadership line of a summary's opening and closing ("在区委、区政府和区卫生健康局的正确
领导下") comes from the district's own setting on its top unit: a 示范区 is led by its
党工委、管委会, never by a 区委 and 区政府 it does not have."""

from __future__ import annotations

import datetime as dt

from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.narrative import plain
from weijian.documents.specs import builtin_specs
from weijian.orgs.models import DEFAULT_LEADERSHIP, OrgUnit

TODAY = dt.date(2026, 11, 23)


def opening_and_closing(unit, template: str, period: str) -> str:
    document = compose(unit, timeframe.parse(period), builtin_specs()[template], TODAY)
    return plain(document.opening[0].text) + "|" + "".join(plain(p.text) for p in document.closing)


def test_without_a_setting_the_line_says_the_default(world):
    assert DEFAULT_LEADERSHIP == "区委、区政府"
    assert world.hospital.leadership_line() == "区委、区政府"
    text = opening_and_closing(world.hospital, "HOSPITAL_ANNUAL", "2025")
    assert "我院在区委、区政府和示范局的正确领导下" in text
    assert "将在区委、区政府和示范局的坚强领导下" in text


def test_the_top_units_setting_leads_every_unit_below_it(world):
    # the bureau admin writes it once, on the bureau; the hospital and the bureau's own
    # summary both follow it, in the opening and in the closing
    OrgUnit.objects.filter(pk=world.bureau.pk).update(leadership="示范区党工委、管委会")
    hospital = OrgUnit.objects.get(pk=world.hospital.pk)
    assert hospital.leadership_line() == "示范区党工委、管委会"
    text = opening_and_closing(hospital, "HOSPITAL_HALF_YEAR", "2026S1")
    assert "我院在示范区党工委、管委会和示范局的正确领导下" in text
    assert "区委" not in text
    bureau = OrgUnit.objects.get(pk=world.bureau.pk)
    text = opening_and_closing(bureau, "BUREAU_ANNUAL", "2025")
    assert "在示范区党工委、管委会的正确领导和市卫生健康委的具体指导下" in text
    assert "我们将在示范区党工委、管委会的坚强领导下" in text
    assert "区委" not in text


def test_a_units_own_setting_wins_over_the_one_above(world):
    OrgUnit.objects.filter(pk=world.bureau.pk).update(leadership="县委、县政府")
    OrgUnit.objects.filter(pk=world.hospital.pk).update(leadership="市委、市政府")
    assert OrgUnit.objects.get(pk=world.hospital.pk).leadership_line() == "市委、市政府"
    assert OrgUnit.objects.get(pk=world.township.pk).leadership_line() == "县委、县政府"


def test_the_bureau_admin_sees_the_setting_in_chinese_on_the_units_admin_page(world, client):
    from django.contrib.auth.models import User

    User.objects.filter(pk=world.admin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(world.admin)
    page = client.get(f"/admin/orgs/orgunit/{world.bureau.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "上级党委政府" in html and "示范区党工委、管委会" in html  # the label and its help text
