"""The pages: scope (a department sees only its own inspections and notices, the outsider
gets 404 everywhere and changes nothing), the htmx scoring, photos, bad input."""

import datetime as dt
import io

import pytest
from PIL import Image

from tests.inspections.conftest import submit_complete
from tests.world import PASSWORD
from weijian.inspections import actions, templates_io
from weijian.inspections.actions import MarkInput
from weijian.inspections.models import (
    Inspection,
    InspectionPlan,
    ItemScore,
    NoticeStatus,
    Photo,
    RectificationNotice,
)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def jpeg_with_exif(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:10 09:00:00"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def world_with_notice(insp):
    """内科 and 外科 each inspected on 10 March; 内科 has notice 1号 (deadline 31 March)."""
    w = insp
    today = dt.date.today()
    w.day = today - dt.timedelta(days=3)
    w.med_insp = actions.start_inspection(w.ivan, w.version, w.medicine, w.day)
    actions.record_item(
        w.ivan, w.med_insp, w.version.items.get(code="1.1"), MarkInput(occurrences="1")
    )
    submit_complete(w.ivan, w.med_insp, present="张主任")
    w.sur_insp = actions.start_inspection(w.ivan, w.version, w.surgery, w.day)
    submit_complete(w.ivan, w.sur_insp, present="王主任")
    w.notice = actions.issue_notice(
        w.ivan,
        w.med_insp,
        measures="整改",
        responsible="张主任",
        deadline=today + dt.timedelta(days=10),
    )
    return w


def pages(w):
    return [
        f"/inspections/{w.med_insp.pk}/",
        f"/inspections/notices/{w.notice.pk}/",
        f"/inspections/notices/{w.notice.pk}/docx/",
        f"/inspections/units/{w.medicine.code}/",
    ]


def test_the_department_and_the_inspector_see_the_pages(client, world_with_notice):
    w = world_with_notice
    for user in (w.alice, w.ivan, w.rita):
        login(client, user)
        for url in pages(w):
            assert client.get(url).status_code == 200, (user, url)
        for url in ["/inspections/", "/inspections/notices/", "/inspections/plans/",
                    "/inspections/scores/", "/inspections/templates/", "/inspections/templates/TESTYG/", "/"]:  # fmt: skip
            assert client.get(url).status_code == 200, (user, url)


def test_a_department_sees_only_its_own_inspections_and_notices(client, world_with_notice):
    w = world_with_notice
    login(client, w.bob)  # 外科
    assert client.get(f"/inspections/{w.med_insp.pk}/").status_code == 404
    assert client.get(f"/inspections/notices/{w.notice.pk}/").status_code == 404
    assert client.get(f"/inspections/{w.sur_insp.pk}/").status_code == 200
    listing = client.get("/inspections/notices/").content.decode()
    assert w.notice.number not in listing
    home = client.get("/inspections/").content.decode()
    assert "外科" in home and "内科" not in home.split("检查记录")[1]


def test_the_outsider_gets_404_everywhere_and_changes_nothing(client, world_with_notice):
    w = world_with_notice
    login(client, w.olivia)
    for url in pages(w):
        assert client.get(url).status_code == 404, url
    item = w.version.items.get(code="1.2")
    posts = [
        (f"/inspections/{w.med_insp.pk}/items/{item.pk}/", {"occurrences": "3"}),
        (f"/inspections/{w.med_insp.pk}/reopen/", {"reason": "想改"}),
        (f"/inspections/{w.med_insp.pk}/submit/", {}),
        (f"/inspections/{w.med_insp.pk}/notice/", {"deadline": "2030-01-01"}),
        (f"/inspections/notices/{w.notice.pk}/answer/", {"answer": "已整改"}),
        (f"/inspections/notices/{w.notice.pk}/recheck/", {"passed": "1"}),
        ("/inspections/start/", {"unit": w.medicine.code, "template": "TESTYG"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert RectificationNotice.objects.get(pk=w.notice.pk).status == NoticeStatus.OPEN
    assert Inspection.objects.get(pk=w.med_insp.pk).status == "SUBMITTED"
    assert Inspection.objects.count() == 2
    photo = Photo.objects.create(
        inspection=w.med_insp,
        org_unit=w.medicine,
        path="x.jpg",
        width=1,
        height=1,
        uploaded_by=w.ivan,
    )
    assert client.get(f"/inspections/photos/{photo.pk}/").status_code == 404


def test_scoring_by_htmx_returns_the_item_and_the_new_total_and_shows_a_veto(client, insp):
    w = insp
    login(client, w.ivan)
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    veto = w.version.items.get(code="3.1")
    response = client.post(
        f"/inspections/{inspection.pk}/items/{veto.pk}/", {"failed": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'id="status-{veto.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "一票否决：第3.1项不达标" in html
    bad = w.version.items.get(code="1.1")
    response = client.post(
        f"/inspections/{inspection.pk}/items/{bad.pk}/", {"score": "9"}, HTTP_HX_REQUEST="true"
    )
    assert "得分 9 超过分值 6" in response.content.decode()
    assert not ItemScore.objects.filter(inspection=inspection, item=bad).exists()


def test_a_partly_scored_sheet_shows_n_of_n_and_no_score_or_verdict(client, insp):
    w = insp
    login(client, w.ivan)
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "已评 0/5 项" in page and "合格" not in page
    assert 'name="occurrences" inputmode="numeric"' in page  # text: the server sees what was typed
    assert 'data-testid="score">—<' in page
    passfail = w.version.items.get(code="2.1")
    response = client.post(
        f"/inspections/{inspection.pk}/items/{passfail.pk}/",
        {"verdict": "met"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    # 2.1 达标 → 5/5; 1 of 5 items scored, nothing deducted yet, no score and no verdict
    assert "5</span>/5" in html
    assert "已评 1/5 项" in html and "已扣 0 分" in html
    assert 'data-testid="score">—<' in html and "合格" not in html
    response = client.post(
        f"/inspections/{inspection.pk}/submit/", {"present": "张主任"}, follow=True
    )
    assert "还有 4 项未评分，不能提交：第1.1项“手卫生”" in response.content.decode()
    assert Inspection.objects.get(pk=inspection.pk).status == "DRAFT"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-1", "问题处数不能为负数（“-1”）"),
        ("两处", "问题处数“两处”应为 0 或正整数"),
        ("1e9", "问题处数“1e9”应为 0 或正整数"),
        ("123456", "问题处数 123456 过大（最多 9999）"),
    ],
)
def test_a_bad_count_gets_a_message_and_leaves_the_item_as_it_was(client, insp, typed, message):
    w = insp
    login(client, w.ivan)
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    hygiene = w.version.items.get(code="1.1")
    actions.record_item(w.ivan, inspection, hygiene, MarkInput(occurrences="1"))
    response = client.post(
        f"/inspections/{inspection.pk}/items/{hygiene.pk}/",
        {"occurrences": typed},
        HTTP_HX_REQUEST="true",
    )
    assert message in response.content.decode()
    assert ItemScore.objects.get(inspection=inspection, item=hygiene).occurrences == 1


def test_photos_are_images_only_size_limited_and_stripped_of_exif(client, insp, media, settings):
    w = insp
    login(client, w.ivan)
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    url = f"/inspections/{inspection.pk}/photo/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(url, {"photo": text}, follow=True)
    assert "不是图片" in response.content.decode()
    settings.WEIJIAN_INSPECTION_PHOTO_MAX_BYTES = 1000
    big = SimpleUploadedFile(
        "big.jpg", jpeg_with_exif((400, 400)) + b"\0" * 2000, content_type="image/jpeg"
    )
    response = client.post(url, {"photo": big}, follow=True)
    assert "太大" in response.content.decode()
    assert not Photo.objects.exists()
    settings.WEIJIAN_INSPECTION_PHOTO_MAX_BYTES = 8 * 1024 * 1024
    good = SimpleUploadedFile("good.jpg", jpeg_with_exif(), content_type="image/jpeg")
    client.post(url, {"photo": good, "item": w.version.items.get(code="1.1").pk})
    photo = Photo.objects.get()
    stored = Image.open(media / photo.path)
    assert stored.format == "JPEG" and not stored.getexif()
    assert client.get(f"/inspections/photos/{photo.pk}/").status_code == 200


def test_bad_input_on_the_notice_pages_changes_nothing(client, world_with_notice):
    w = world_with_notice
    login(client, w.alice)
    response = client.post(
        f"/inspections/notices/{w.notice.pk}/answer/", {"answer": ""}, follow=True
    )
    assert "请填写已采取的整改措施" in response.content.decode()
    assert RectificationNotice.objects.get(pk=w.notice.pk).status == NoticeStatus.OPEN
    # the unit cannot re-check itself through the page either
    response = client.post(
        f"/inspections/notices/{w.notice.pk}/recheck/", {"passed": "1"}, follow=True
    )
    assert RectificationNotice.objects.get(pk=w.notice.pk).status == NoticeStatus.OPEN
    login(client, w.ivan)
    response = client.post(
        f"/inspections/{w.sur_insp.pk}/notice/",
        {"measures": "整改", "responsible": "王", "deadline": "2000-01-01"},
        follow=True,
    )
    assert "早于检查日期" in response.content.decode()
    response = client.post(
        f"/inspections/{w.sur_insp.pk}/notice/",
        {"measures": "整改", "responsible": "王", "deadline": "明天"},
        follow=True,
    )
    assert "不是有效日期" in response.content.decode()
    assert RectificationNotice.objects.count() == 1


def test_a_plan_puts_due_inspections_on_the_inspectors_board(client, insp):
    w = insp
    login(client, w.ivan)
    today = dt.date.today()
    response = client.post(
        "/inspections/plans/new/",
        {
            "name": "院感月查",
            "template": "TESTYG",
            "issuer": w.hospital.code,
            "institution": w.hospital.code,
            "inspectors": [w.ivan.pk],
            "schedule": "MONTHLY",
            "start": f"{today.year}-01-01",
            "end": f"{today.year}-12-31",
        },
    )
    assert response.status_code == 302
    plan = InspectionPlan.objects.get()
    assert [u.code for u in plan.unit_list()] == ["MED", "SUR"]
    board = client.get("/").content.decode()
    assert "待检查" in board and "内科" in board and "外科" in board
    from weijian.reporting.models import DataValue

    month = f"{today.year}{today.month:02d}"
    assert (
        DataValue.objects.get(
            org_unit=w.medicine, period_id=month, element__code="INSP_PLANNED"
        ).value
        == "1"
    )
    # bad input: end before start
    response = client.post(
        f"/inspections/plans/{plan.pk}/",
        {"name": "x", "template": "TESTYG", "issuer": "HOS", "institution": "HOS",
         "inspectors": [w.ivan.pk], "schedule": "MONTHLY", "start": "2026-05-01", "end": "2026-01-01"},
    )  # fmt: skip
    assert "结束日期早于开始日期" in response.content.decode()
    assert InspectionPlan.objects.get().name == "院感月查"


def test_the_ranking_and_list_pages_take_a_bounded_number_of_queries(
    client, world_with_notice, django_assert_max_num_queries
):
    w = world_with_notice
    login(client, w.admin)
    month = f"{w.day.year}{w.day.month:02d}"
    with django_assert_max_num_queries(20):
        assert client.get(f"/inspections/scores/?template=TESTYG&month={month}").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/inspections/notices/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/inspections/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/inspections/{w.med_insp.pk}/").status_code == 200


def test_the_cli_loads_templates_and_escalates(insp, capsys):
    from django.core.management import call_command

    from .conftest import SMALL

    call_command("inspections", "load", str(SMALL))
    assert "TESTYG（2026版）：已更新" in capsys.readouterr().out
    call_command("inspections", "escalate")
    assert "升级督办 0 份" in capsys.readouterr().out


def test_a_units_history_has_its_trend_and_open_notices(client, world_with_notice):
    w = world_with_notice
    login(client, w.alice)
    page = client.get(f"/inspections/units/{w.medicine.code}/")
    html = page.content.decode()
    assert 'id="trend-data"' in html and "科室院感质量考核表（测试）" in html
    # 20 − 2 (1.1 one occurrence) = 18 in the month of the inspection
    assert 18.0 in page.context["chart"]["series"][0]["data"]
    assert w.notice.number in html


def test_the_ranking_opens_on_the_latest_checklist_and_month_with_scores(client, insp):
    """Without parameters the page shows the checklist and month of the latest submitted
    inspection, not an empty list for the first checklist and the current month."""
    w = insp
    # an unused checklist that sorts first
    spec = templates_io.import_xlsx(
        templates_io.export_xlsx(w.version), {"code": "AAA", "name": "甲表（未使用）"}
    )
    templates_io.write_spec(spec)
    day = dt.date.today().replace(day=1) - dt.timedelta(days=40)  # a month or two back
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, day)
    submit_complete(w.ivan, inspection, present="张主任")
    login(client, w.ivan)
    page = client.get("/inspections/scores/").content.decode()
    assert f"{day.year}年{day.month}月" in page and "内科" in page
    assert '<option value="TESTYG" selected' in page


def test_plans_are_seen_by_the_issuing_office_and_the_bureau_not_by_the_inspected(client, insp):
    """The walk-through: the 4 demo plans were visible to inspectors only, not to the hospital
    office (机构管理员) nor to the bureau's superuser."""
    from django.contrib.auth.models import User

    from tests.world import make_user
    from weijian.orgs.models import Role

    w = insp
    plan = InspectionPlan.objects.create(
        name="院感月度考核", template=w.template, issuer_unit=w.hospital, schedule="MONTHLY",
        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), created_by=w.ivan,
    )  # fmt: skip
    plan.units.set([w.medicine, w.surgery])
    plan.inspectors.set([w.ivan])
    make_user("hana", Role.INSTITUTION_ADMIN, w.hospital)  # the hospital office
    make_user("bob_viewer", Role.VIEWER, w.bureau)  # bureau staff, read-only
    User.objects.create_superuser("root", password=PASSWORD)
    seen = {"ivan": True, "hana": True, "admin": True, "bob_viewer": True, "root": True,
            "alice": False, "victor": False, "olivia": False}  # fmt: skip
    for username, sees in seen.items():
        client.logout()
        user = User.objects.get(username=username)
        login(client, user)
        page = client.get("/inspections/plans/").content.decode()
        assert ("院感月度考核" in page) == sees, username
    # seeing is not editing: the office's manager has no edit link and the edit page is a 404
    client.logout()
    login(client, User.objects.get(username="hana"))
    assert (
        f"/inspections/plans/{plan.pk}/" not in client.get("/inspections/plans/").content.decode()
    )
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404
