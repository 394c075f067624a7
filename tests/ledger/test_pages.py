"""Every ledger page as its rightful user and as the outsider (Olivia, the township clerk,
looking at the hospital's 内科): 404 and nothing changes."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.world import PASSWORD
from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.models import Activity, ActivityType, Attachment, LedgerAudit, NothingToReport

from .conftest import record
from .test_attachments import jpeg_with_gps


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def meeting(ledger):
    return record(ledger.alice, ledger.types["MEET"], ledger.medicine, "2026-03-05", "内科3月科务会",
                  KIND="科务会", ATTEND=12)  # fmt: skip


def record_pages(activity):
    return [
        reverse("ledger_detail", args=[activity.pk]),
        reverse("ledger_edit", args=[activity.pk]),
    ]


def test_the_clerk_sees_her_record_everywhere(client, ledger, meeting):
    login(client, ledger.alice)
    for url in [
        reverse("ledger_home"),
        reverse("ledger_list", args=["MEET"]) + "?pe=202603",
        reverse("ledger_new", args=["MEET"]),
        reverse("ledger_import", args=["MEET"]),
        reverse("ledger_calendar"),
        *record_pages(meeting),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    listed = client.get(reverse("ledger_list", args=["MEET"]) + "?ou=MED&pe=2026").content.decode()
    assert "内科3月科务会" in listed
    # The hospital's viewer sees it too, read-only.
    login(client, ledger.victor)
    page = client.get(reverse("ledger_detail", args=[meeting.pk])).content.decode()
    assert "内科3月科务会" in page and "修改</a>" not in page


def test_the_outsider_gets_404_on_every_page_and_changes_nothing(client, ledger, meeting):
    w = ledger
    attachment_pk = _attach(client, w, meeting)
    login(client, w.olivia)
    for url in [
        *record_pages(meeting),
        reverse("ledger_list", args=["MEET"]) + "?ou=MED",
        reverse("ledger_home") + "?ou=HOS",
        reverse("ledger_calendar") + "?ou=HOS",
        reverse("ledger_file", args=[attachment_pk]),
    ]:
        assert client.get(url).status_code == 404, url
    posts = [
        (
            reverse("ledger_edit", args=[meeting.pk]),
            {"title": "改", "start": "2026-03-05", "unit": "TWN"},
        ),
        (reverse("ledger_delete", args=[meeting.pk]), {}),
        (reverse("ledger_attach", args=[meeting.pk]), {}),
        (reverse("ledger_file_delete", args=[attachment_pk]), {}),
        (reverse("ledger_nothing", args=["MEET"]), {"ou": "MED", "month": "202604"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # Creating for a unit outside her scope is refused on the form (the unit is not offered).
    response = client.post(reverse("ledger_new", args=["MEET"]),
                           {"unit": "MED", "title": "x", "start": "2026-03-01", "f_KIND": "科务会"})  # fmt: skip
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.title == "内科3月科务会"
    assert Activity.objects.count() == 1 and Attachment.objects.count() == 1
    assert not NothingToReport.objects.exists()


def _attach(client, w, activity):
    login(client, w.alice)
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "签到表.jpg"
    response = client.post(reverse("ledger_attach", args=[activity.pk]), {"file": upload})
    assert response.status_code == 302
    client.logout()
    return Attachment.objects.get().pk


def test_recording_through_the_form_and_bad_input(client, ledger):
    w = ledger
    login(client, w.alice)
    url = reverse("ledger_new", args=["HE"])
    bad = {"unit": "MED", "title": "高血压讲座", "start": "2026-03-05", "end": "2026-03-01",
           "f_THEME": "高血压", "f_FORM": "讲座", "f_REACHED": "-20"}  # fmt: skip
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "结束日期 2026-03-01 早于开始日期 2026-03-05" in page
    assert "不能为负数（-20）" in page
    assert not Activity.objects.exists()
    good = dict(bad, end="", f_REACHED="80", f_STAFF="张三、李四")
    response = client.post(url, good)
    activity = Activity.objects.get()
    assert response.url == reverse("ledger_detail", args=[activity.pk])
    assert activity.values == {
        "THEME": "高血压",
        "FORM": "讲座",
        "REACHED": 80,
        "STAFF": ["张三", "李四"],
    }
    detail = client.get(response.url).content.decode()
    assert "张三、李四" in detail and "80 人次" in detail
    edit = client.post(reverse("ledger_edit", args=[activity.pk]), dict(good, f_REACHED="90"))
    assert edit.status_code == 302
    client.post(reverse("ledger_delete", args=[activity.pk]))
    assert not Activity.objects.exists()
    assert list(LedgerAudit.objects.order_by("pk").values_list("action", flat=True)) == [
        "CREATE", "UPDATE", "DELETE"
    ]  # fmt: skip


def test_nothing_to_report_from_the_list_page(client, ledger):
    w = ledger
    login(client, w.alice)
    client.post(reverse("ledger_nothing", args=["FEEDBACK"]), {"ou": "MED", "month": "202603"})
    assert NothingToReport.objects.filter(org_unit=w.medicine, period_id="202603").exists()
    page = client.get(
        reverse("ledger_list", args=["FEEDBACK"]) + "?ou=MED&pe=2026"
    ).content.decode()
    assert "本月无记录" in page


def test_xlsx_template_and_import_report_every_bad_row(client, ledger):
    w = ledger
    login(client, w.alice)
    template = client.get(reverse("ledger_template", args=["TRAIN"]))
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert headings[:6] == ["单位编码", "标题", "开始日期", "结束日期", "主题", "层级"]
    assert [r[0] for r in book["可填单位"].iter_rows(min_row=2, values_only=True)] == ["MED"]
    rows = [
        ["MED", "手卫生培训", "2026-03-02", None, "手卫生", "科室", None, 1, 20, 20, 19, None],
        [
            "MED",
            "急救培训",
            "2026-03-05",
            "2026-03-01",
            "心肺复苏",
            "全院",
            None,
            2,
            20,
            20,
            21,
            None,
        ],
        ["SUR", "外科培训", "2026-03-06", None, "缝合", "科室", None, 1, -3, None, None, None],
        ["MED", "", "2026/3/7", None, "院感", "班组", None, 1, 10, None, None, None],
    ]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "培训.xlsx"
    response = client.post(reverse("ledger_import", args=["TRAIN"]), {"file": out})
    assert response.status_code == 400
    page = response.content.decode()
    for text in [
        "导入文件有 6 处错误，未导入任何记录",
        "第 4 行 · 结束日期：结束日期 2026-03-01 早于开始日期 2026-03-05",
        "第 4 行 · 合格人数：合格人数（21）不能大于考核人数（20）",
        "第 5 行 · 单位编码：单位“SUR”不存在",  # outside her scope: not even named
        "第 5 行 · 参训人次：不能为负数（-3）",
        "第 6 行 · 标题：不能为空",
        "第 6 行 · 层级：“班组”不是可选项（可选：全院、科室、上级举办、外出进修）",
    ]:
        assert text in page, text
    assert not Activity.objects.exists()
    # Only the good row: imported, counted.
    sheet.delete_rows(4, 3)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "培训.xlsx"
    response = client.post(reverse("ledger_import", args=["TRAIN"]), {"file": out})
    assert response.status_code == 302
    (activity,) = Activity.objects.all()
    assert activity.values["ATTEND"] == 20 and activity.source == "Excel"


def test_a_file_that_is_not_a_sheet_is_refused(client, ledger):
    login(client, ledger.alice)
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "x.xlsx"
    response = client.post(reverse("ledger_import", args=["TRAIN"]), {"file": upload})
    assert response.status_code == 400
    assert "不是有效的 Excel" in response.content.decode()


def test_the_type_editor_for_an_office(client, ledger):
    w = ledger
    login(client, w.admin)
    url = reverse("ledger_type_new")
    bad = {"name": "家庭医生随访", "code": "visit", "owner": "BUR", "fields": "形式 | 选择"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "选择字段“形式”至少需要一个选项" in response.content.decode()
    good = {"name": "家庭医生随访", "code": "VISIT", "owner": "BUR",
            "fields": "形式 | 选择 | 入户、电话\n随访人数 | 计数 | | 人"}  # fmt: skip
    assert client.post(url, good).status_code == 302
    visit = ActivityType.objects.get(code="VISIT")
    assert [f["code"] for f in visit.figures] == ["LG_VISIT_EVENTS", "LG_VISIT_F2"]
    # A clerk cannot define types; nobody edits the built-in ones.
    login(client, w.alice)
    assert client.get(url).status_code == 404
    login(client, w.admin)
    assert client.get(reverse("ledger_type_edit", args=["HE"])).status_code == 404


def test_the_task_board_reminds_of_a_due_duty(client, ledger):
    from django.utils import timezone

    from weijian.ledger.models import Campaign, Frequency

    w = ledger
    Campaign.objects.create(code="MED_BOARD", name="每月健康教育宣传栏更新", frequency=Frequency.MONTHLY,
                            activity_type=w.types["HE"], keyword="宣传栏", org_unit=w.medicine)  # fmt: skip
    login(client, w.alice)
    page = client.get("/").content.decode()
    assert "每月健康教育宣传栏更新" in page
    today = timezone.localdate()
    data = RecordInput("宣传栏更新", today.isoformat(), None, {"THEME": "控烟", "FORM": "室外宣传"})
    create_activity(w.alice, w.types["HE"], w.medicine, data)
    page = client.get("/").content.decode()
    assert f"{today.year}年{today.month}月，" not in page  # this month's occurrence is done
    login(client, w.olivia)
    assert "每月健康教育宣传栏更新" not in client.get("/").content.decode()


def test_the_list_page_does_not_grow_with_records(client, ledger, django_assert_max_num_queries):
    w = ledger
    for day in range(1, 21):
        record(w.alice, w.types["HE"], w.medicine, f"2026-03-{day:02d}", f"讲座{day}", THEME="健康",
               FORM="讲座", SESSIONS=1, REACHED=day)  # fmt: skip
    login(client, w.victor)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("ledger_list", args=["HE"]) + "?ou=HOS&pe=2026")
    # reached 1 + 2 + … + 20 = 210
    assert "<b>210</b>" in page.content.decode()
    with django_assert_max_num_queries(20):
        client.get(reverse("ledger_home") + "?ou=HOS&pe=2026")


def test_the_record_list_searches_titles_and_units_and_the_export_follows(client, ledger):
    w = ledger
    meet = w.types["MEET"]
    record(w.alice, meet, w.medicine, "2026-03-05", "内科3月科务会", KIND="科务会", ATTEND=12)
    record(w.bob, meet, w.surgery, "2026-03-09", "院感防控培训会", KIND="科务会", ATTEND=9)
    record(w.bob, meet, w.surgery, "2026-04-02", "外科4月科务会", KIND="科务会", ATTEND=7)
    login(client, w.rita)
    url = reverse("ledger_list", args=["MEET"])

    def titles(query):
        page = client.get(f"{url}?ou=HOS&pe=2026&{query}")
        return sorted(a.title for a, _cells in page.context["rows"])

    assert titles("q=科务会") == ["内科3月科务会", "外科4月科务会"]
    assert titles("q=外科") == ["外科4月科务会", "院感防控培训会"]  # by the unit's name too
    assert titles("q=没有这样的") == []
    page = client.get(f"{url}?ou=HOS&pe=2026&q=外科").content.decode()
    assert "records.xlsx?ou=HOS&amp;pe=2026&amp;q=%E5%A4%96%E7%A7%91" in page  # export follows
    sheet = load_workbook(
        io.BytesIO(
            client.get(
                reverse("ledger_records_xlsx", args=["MEET"]) + "?ou=HOS&pe=2026&q=外科"
            ).content
        )
    ).active
    assert sorted(r[3] for r in sheet.iter_rows(min_row=3, values_only=True)) == [
        "外科4月科务会",
        "院感防控培训会",
    ]
