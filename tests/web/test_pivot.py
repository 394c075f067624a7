"""数据透视: the API's numbers laid out as tables, a chart blob and an .xlsx export."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.indicators.test_analytics import element, indicator, put
from tests.world import PASSWORD
from weijian.api import analytics_table
from weijian.api.dimensions import parse_request
from weijian.api.schemes import IdScheme
from weijian.indicators.models import IndicatorType
from weijian.orgs.models import OrgUnit
from weijian.periods import Period

JAN = Period.parse("202601")
URL = "/pivot/?dx=CURE;PATIENTS&pe=202601&ou=HOS;MED;SUR&rows=ou&cols=dx"


@pytest.fixture
def cure(world):
    cured, patients = element("CURED"), element("PATIENTS")
    patients.unit = "人"
    patients.save()
    put(cured, world.medicine, JAN, 46)
    put(patients, world.medicine, JAN, 50)
    put(cured, world.surgery, JAN, 30)
    put(patients, world.surgery, JAN, 40)
    rate = indicator("CURE", "#{CURED}", "#{PATIENTS}", IndicatorType.PERCENT, decimals=1)
    rate.name, rate.unit, rate.group = "治愈率", "%", "医疗质量"
    rate.save()
    return rate


def test_the_table_shows_pooled_sums_for_the_hospital(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # 内科 46 / 50 = 92.0 %, 外科 30 / 40 = 75.0 %
    # 人民医院 pooled: (46 + 30) / (50 + 40) = 76 / 90 = 84.44… → 84.4 %
    # (the average of the two rates, (92 + 75) / 2 = 83.5, would be wrong)
    for number in ("92", "75", "84.4", "90", "50", "40"):
        assert f'<td class="num">{number}</td>' in page
    assert "83.5" not in page
    assert "治愈率（%）" in page and "PATIENTS（人）" in page  # units in the headers
    table = response.context["pivot"].tables[0]
    assert [(item.key, values) for item, values in table.rows] == [
        ("HOS", ["84.4", "90"]),
        ("MED", ["92", "50"]),
        ("SUR", ["75", "40"]),
    ]
    # drill-down: the hospital row opens its departments; departments have no children
    assert "ou=HOS;CHILDREN" in page and "ou=MED;CHILDREN" not in page
    assert 'id="pivot-charts"' in page and "echarts-5.6.0.min.js" in page


def test_the_numbers_are_the_apis(world, cure):
    request = parse_request(world.victor, ["dx:CURE;PATIENTS", "pe:202601", "ou:HOS"], [])
    api = analytics_table.build(request, IdScheme.CODE, skip_rounding=False, skip_meta=True)
    assert sorted(api["rows"]) == [
        ["CURE", "202601", "HOS", "84.4"],
        ["PATIENTS", "202601", "HOS", "90"],
    ]


def test_drilling_down_lists_the_children(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get("/pivot/?dx=CURE&pe=202601&ou=HOS;CHILDREN&rows=ou&cols=pe")
    assert [item.key for item, _ in response.context["pivot"].tables[0].rows] == ["MED", "SUR"]


def test_periods_on_the_rows_give_a_line_chart(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get("/pivot/?dx=CURE&pe=202512;202601&ou=HOS;MED&rows=pe&cols=ou")
    page = response.content.decode()
    blob = page.split('id="pivot-charts" type="application/json">')[1].split("</script>")[0]
    chart = json.loads(blob)[0]
    assert chart["type"] == "line" and chart["x"] == ["2025年12月", "2026年1月"]
    assert chart["series"] == [
        {"name": "人民医院", "data": [None, 84.4]},
        {"name": "内科", "data": [None, 92.0]},
    ]


def test_units_by_indicators_give_a_bar_chart(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get(URL)
    assert response.context["charts"][0]["type"] == "bar"
    assert response.context["charts"][0]["x"] == ["人民医院", "内科", "外科"]


def test_the_xlsx_export_holds_the_same_numbers(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get(URL.replace("/pivot/", "/pivot.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "数据透视：人民医院、内科、外科 · 2026年1月"
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["人民医院"] == (pytest.approx(84.4), 90)
    assert rows["内科"] == (92, 50) and rows["外科"] == (75, 40)
    assert isinstance(rows["人民医院"][0], float)
    assert sheet.column_dimensions["A"].width >= 10


def test_names_that_look_like_formulas_are_exported_as_text(client, world, cure):
    OrgUnit.objects.filter(code="MED").update(name='=HYPERLINK("http://x","内科")')
    cure.name = "+治愈率"
    cure.save()
    client.login(username="victor", password=PASSWORD)
    response = client.get(URL.replace("/pivot/", "/pivot.xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells['=HYPERLINK("http://x","内科")'].data_type == "s"
    assert any(text.startswith("+治愈率") and c.data_type == "s" for text, c in cells.items())
    assert not [c.coordinate for c in cells.values() if c.data_type == "f"]


def test_the_outsider_gets_the_scope_message_and_no_numbers(client, world, cure):
    client.login(username="olivia", password=PASSWORD)
    for url in ("/pivot/?dx=CURE&pe=202601&ou=HOS", "/pivot.xlsx?dx=CURE&pe=202601&ou=HOS"):
        response = client.get(url)
        assert response.status_code == 400
        page = response.content.decode()
        assert "您没有组织机构“HOS”的查看权限" in page
        assert '<td class="num">' not in page and "84.4" not in page


def test_a_bad_period_or_code_is_a_chinese_message(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get("/pivot/?dx=CURE&pe=2026Q9&ou=HOS")
    assert response.status_code == 400
    assert "“2026Q9”不是有效的期间编码" in response.content.decode()
    response = client.get("/pivot/?dx=NOPE&pe=202601&ou=HOS")
    assert response.status_code == 400 and "找不到指标或数据元：NOPE" in response.content.decode()
    response = client.get("/pivot/?dx=CURE&pe=202601&ou=HOS&rows=ou&cols=ou")
    assert response.status_code == 400 and "行和列不能选同一个维度" in response.content.decode()


def test_the_form_defaults_to_my_unit_and_its_children(client, world, cure):
    client.login(username="victor", password=PASSWORD)
    response = client.get("/pivot/")
    assert response.status_code == 200
    page = response.content.decode()
    # The unit picker holds the code and shows the name; the scope reads as words.
    assert 'name="ou" value="HOS"' in page and ">示范局 / 人民医院<" not in page
    assert '<span class="picker-label">人民医院</span>' in page
    assert '<option value="CHILDREN" selected>下级各单位</option>' in page
    assert '<option value="LAST_12_MONTHS" selected>近12个月（逐月）</option>' in page
    assert "请选择指标" in page and "<summary>医疗质量（" in page


def test_the_query_count_does_not_grow_with_units(
    client, world, cure, django_assert_max_num_queries
):
    client.login(username="victor", password=PASSWORD)
    url = "/pivot/?dx=CURE;PATIENTS&pe=LAST_12_MONTHS&ou=HOS;CHILDREN"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(10):
        OrgUnit.objects.add_child(
            OrgUnit.objects.get(code="HOS"),
            dict(code=f"X{i:02d}", name=f"科室{i}", type="DEPARTMENT"),
        )
    assert count() == before
    with django_assert_max_num_queries(20):
        client.get(url)


def test_rows_without_any_value_are_left_out_unless_asked_for(client, world, cure):
    client.login(username="admin", password=PASSWORD)
    url = "/pivot/?dx=CURE&pe=202601&ou=BUR;CHILDREN&rows=ou&cols=pe"
    response = client.get(url)
    page = response.content.decode()
    assert "数据透视：示范局的下级单位（2 个） · 2026年1月" in page
    assert [i.key for i, _ in response.context["pivot"].tables[0].rows] == ["HOS"]
    assert "另有 1 行没有任何数据" in page and "城关卫生院</th>" not in page
    response = client.get(url + "&empty=1")
    assert [i.key for i, _ in response.context["pivot"].tables[0].rows] == ["HOS", "TWN"]
