"""Findings of the security review: garbage in URLs and POST bodies, absurd numbers and
over-long text are refused with a Chinese message and change nothing (no 500, on SQLite and
PostgreSQL alike)."""

import datetime as dt

import pytest

from tests.inspections.conftest import submit_complete
from tests.world import PASSWORD
from weijian.inspections import actions
from weijian.inspections.actions import InspectionError, MarkInput
from weijian.inspections.models import Inspection, InspectionPlan, ItemScore, Photo


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_non_numeric_ids_in_post_bodies_give_404_not_a_500(client, insp):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    login(client, w.ivan)
    for item in ("abc", "1 OR 1=1", "²"):
        response = client.post(f"/inspections/{inspection.pk}/photo/", {"item": item})
        assert response.status_code == 404, item
        response = client.post("/inspections/start/", {"unit": "MED", "plan": item})
        assert response.status_code == 404, item
    assert Inspection.objects.count() == 1
    assert not Photo.objects.exists()


def test_an_absurd_number_of_occurrences_is_refused_and_nothing_saved(client, insp):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    item = w.version.items.get(code="1.1")
    for occurrences in ("99999999999999999999", "3000000000"):  # > 2^63, > 2^31 (PostgreSQL int)
        with pytest.raises(InspectionError, match="问题处数"):
            actions.record_item(w.ivan, inspection, item, MarkInput(occurrences=occurrences))
    login(client, w.ivan)
    response = client.post(
        f"/inspections/{inspection.pk}/items/{item.pk}/", {"occurrences": "9" * 30}, follow=True
    )
    assert response.status_code == 200
    assert "问题处数" in response.content.decode()
    assert not ItemScore.objects.exists()


def test_over_long_text_and_huge_points_are_refused_and_nothing_saved(insp):
    """PostgreSQL refuses a value longer than its column (a 500); SQLite silently keeps it."""
    w = insp
    today = dt.date.today()
    plan = actions.PlanInput(
        name="院感月查" * 51,  # 204 characters, the column holds 200
        template=w.template,
        issuer_unit=w.hospital,
        schedule="MONTHLY",
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
        units=[w.medicine],
        inspectors=[w.ivan],
    )
    with pytest.raises(InspectionError, match="计划名称过长"):
        actions.save_plan(w.ivan, plan)
    assert not InspectionPlan.objects.exists()

    with pytest.raises(InspectionError, match="版本名称过长"):
        actions.new_version(w.ivan, w.template, "2027" * 11)  # 44 > 40
    assert w.template.versions.count() == 1

    items_before = w.version.items.count()
    base = dict(section="基础管理", code="9.9", content="新项目", points="5", kind="deduct")
    for name, value, words in [
        ("code", "1" * 21, "序号"),
        ("content", "内" * 301, "工作内容"),
        ("method", "查" * 201, "考核方法"),
        ("section", "项" * 201, "所属项目"),
        ("points", "100000", "分值"),  # the column holds 99999.99
        ("per_occurrence", "1e10", "每处扣分"),
    ]:
        with pytest.raises(InspectionError, match=words):
            actions.save_item(w.ivan, w.version, actions.ItemInput(**{**base, name: value}))
    assert w.version.items.count() == items_before


def test_an_imported_sheet_with_over_long_text_or_huge_points_is_refused():
    from weijian.inspections import templates_io

    from .conftest import SMALL

    for change, words in [
        (lambda s: setattr(s, "name", "考" * 201), "名称"),
        (lambda s: setattr(s, "version", "v" * 41), "版本"),
        (lambda s: setattr(s, "category", "类" * 41), "类别"),
        (lambda s: setattr(s, "issuer", "科" * 101), "检查科室"),
        (lambda s: setattr(s.items()[0], "content", "内" * 301), "工作内容"),
        (lambda s: setattr(s.items()[0], "method", "查" * 201), "考核方法"),
        (lambda s: s.sections.__setitem__(0, ("项" * 201, s.sections[0][1])), "项目名称"),
    ]:
        spec = templates_io.read_yaml(SMALL)
        change(spec)
        with pytest.raises(templates_io.TemplateFileError, match=words):
            spec.check("导入的表格")


def test_a_plan_spanning_decades_is_refused_before_any_publishing(insp):
    """A typo like 2099 for 2026 made save_plan publish INSP_PLANNED for every unit × month of
    the span (and cut every day of it into windows): minutes of work and thousands of rows."""
    w = insp
    plan = actions.PlanInput(
        name="院感日查",
        template=w.template,
        issuer_unit=w.hospital,
        schedule="DAILY",
        start=dt.date(2026, 1, 1),
        end=dt.date(2099, 12, 31),
        units=[w.medicine],
        inspectors=[w.ivan],
    )
    with pytest.raises(InspectionError, match="计划期限不能超过 3 年"):
        actions.save_plan(w.ivan, plan)
    assert not InspectionPlan.objects.exists()
    plan.end = dt.date(2028, 12, 31)  # three calendar years is still fine
    assert actions.save_plan(w.ivan, plan).end == dt.date(2028, 12, 31)


def test_a_small_file_with_huge_pixel_dimensions_is_refused_before_decoding():
    """A 1-bit PNG of 10000 × 7000 is a few kB but decodes to 210 MB of RGB: refused by its
    header, before the pixels are loaded (Pillow itself only refuses above 179 M pixels)."""
    import io

    from PIL import Image

    from weijian.inspections import photos

    out = io.BytesIO()
    Image.new("1", (10000, 7000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(photos.PhotoError, match="像素"):
        photos.clean_photo(out.getvalue(), "bomb.png")


def test_importing_over_a_version_in_use_changes_nothing_at_all(insp):
    """write_spec said “已被检查使用，未改动” but had already renamed the template."""
    from weijian.inspections import templates_io

    from .conftest import SMALL

    w = insp
    actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    spec = templates_io.read_yaml(SMALL)
    spec.name, spec.category = "被改掉的名称", "改"
    loaded = templates_io.write_spec(spec)
    assert "未改动" in loaded.status
    w.template.refresh_from_db()
    assert (w.template.name, w.template.category) == ("科室院感质量考核表（测试）", "院感")


def test_a_plan_cannot_reach_units_outside_the_issuer_through_a_group(client, insp):
    """Groups are global: one holding the township put TWN into a hospital plan, and saving
    it published INSP_PLANNED for the township (a unit the inspector has no right over)."""
    from weijian.orgs.models import OrgUnitGroup
    from weijian.reporting.models import DataValue

    w = insp
    group = OrgUnitGroup.objects.create(code="MIXED", name="混合分组")
    group.members.set([w.medicine, w.township])
    today = dt.date.today()
    plan = actions.PlanInput(
        name="院感月查",
        template=w.template,
        issuer_unit=w.hospital,
        schedule="MONTHLY",
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
        group=group,
        inspectors=[w.ivan],
    )
    with pytest.raises(InspectionError, match="城关卫生院不在"):
        actions.save_plan(w.ivan, plan)
    assert not InspectionPlan.objects.exists()
    assert not DataValue.objects.filter(org_unit=w.township).exists()


def test_a_garbage_inspector_id_in_the_plan_form_is_ignored_not_a_500(client, insp):
    w = insp
    login(client, w.ivan)
    today = dt.date.today()
    response = client.post(
        "/inspections/plans/new/",
        {"name": "院感月查", "template": "TESTYG", "issuer": "HOS", "institution": "HOS",
         "inspectors": ["²"], "schedule": "MONTHLY",
         "start": f"{today.year}-01-01", "end": f"{today.year}-12-31"},
    )  # fmt: skip
    assert "请至少选择一名检查人员" in response.content.decode()
    assert not InspectionPlan.objects.exists()


def test_an_inspector_below_the_issuer_cannot_score_notify_or_close_for_it(insp):
    """The bureau's inspector Bea inspects 内科. Ivan, the hospital's inspector, is not on her
    team: he may not change her scores, issue a notice in the bureau's name (its numbering),
    nor close (销号) the bureau's notice to his own hospital's department."""
    from tests.world import make_user
    from weijian.orgs.models import Role

    w = insp
    bea = make_user("bea", Role.INSPECTOR, w.bureau)
    day = dt.date.today() - dt.timedelta(days=2)
    inspection = actions.start_inspection(bea, w.version, w.medicine, day)
    assert inspection.issuer_unit == w.bureau
    item = w.version.items.get(code="1.1")
    with pytest.raises(InspectionError, match="检查单位"):
        actions.record_item(w.ivan, inspection, item, MarkInput(occurrences="2"))
    assert not ItemScore.objects.exists()
    actions.record_item(bea, inspection, item, MarkInput(occurrences="1"))
    with pytest.raises(InspectionError, match="检查单位"):
        actions.submit_inspection(w.ivan, inspection, present="张主任")
    submit_complete(bea, inspection, present="张主任")
    deadline = dt.date.today() + dt.timedelta(days=10)
    with pytest.raises(InspectionError, match="检查单位"):
        actions.issue_notice(
            w.ivan, inspection, measures="整改", responsible="张主任", deadline=deadline
        )
    notice = actions.issue_notice(
        bea, inspection, measures="整改", responsible="张主任", deadline=deadline
    )
    actions.answer_notice(w.alice, notice, "已整改")
    with pytest.raises(InspectionError, match="检查单位"):
        actions.recheck_notice(w.ivan, notice, passed=True)
    notice.refresh_from_db()
    assert notice.status == "ANSWERED"
    actions.recheck_notice(bea, notice, passed=True)
    notice.refresh_from_db()
    assert notice.status == "CLOSED"


def test_a_plan_team_member_from_below_may_do_the_inspection(insp):
    """…but an inspector the bureau put on its plan's team does the inspection it started."""
    from tests.world import make_user
    from weijian.orgs.models import Role

    w = insp
    bea = make_user("bea", Role.INSPECTOR, w.bureau)
    day = dt.date.today() - dt.timedelta(days=2)
    inspection = actions.start_inspection(bea, w.version, w.medicine, day, inspectors=[w.ivan])
    actions.record_item(
        w.ivan, inspection, w.version.items.get(code="1.1"), MarkInput(occurrences="1")
    )
    submit_complete(w.ivan, inspection, present="张主任")
    assert Inspection.objects.get().status == "SUBMITTED"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_notice_submits_make_one_notice(insp):
    """A double-tapped 下发 button: both requests passed the “already issued?” check before
    either took the numbering lock, and the unit got two notices (12号 and 13号)."""
    import threading

    from django.db import connection

    from weijian.inspections.models import RectificationNotice

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    actions.record_item(
        w.ivan, inspection, w.version.items.get(code="1.1"), MarkInput(occurrences="1")
    )
    submit_complete(w.ivan, inspection, present="张主任")
    barrier = threading.Barrier(4)
    refused = []

    def issue():
        try:
            barrier.wait()
            actions.issue_notice(
                w.ivan, inspection, measures="整改", responsible="张主任",
                deadline=dt.date.today() + dt.timedelta(days=10),
            )  # fmt: skip
        except InspectionError as exc:
            refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert RectificationNotice.objects.count() == 1
    assert refused == ["本次检查已下发整改通知书"] * 3


def test_the_boards_query_count_does_not_grow_with_notices_of_one_unit(client, insp):
    """The board labelled one OrgUnit instance per unit; every other notice of the same unit
    carried its own unlabelled instance and asked the database for its label (N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = insp
    today = dt.date.today()

    def notices(n):
        for _ in range(n):
            inspection = actions.start_inspection(w.ivan, w.version, w.medicine, today)
            item = w.version.items.get(code="1.1")
            actions.record_item(w.ivan, inspection, item, MarkInput(occurrences="1"))
            submit_complete(w.ivan, inspection, present="张主任")
            actions.issue_notice(
                w.ivan, inspection, measures="整改", responsible="张主任", deadline=today
            )

    login(client, w.alice)
    counts = []
    for n in (1, 5):
        notices(n)
        for url in ("/inspections/", "/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx))
    assert counts[:2] == counts[2:], counts


def test_dates_outside_2000_to_2100_are_refused_on_every_inspection_form(client, insp):
    """Year 1 or 9999 passed the forms; publishing the month's figures then raised a
    PeriodError (500) on submit, issue and answer, after the start had already been saved."""
    from weijian.inspections.models import RectificationNotice

    w = insp
    login(client, w.ivan)
    response = client.post(
        "/inspections/start/", {"unit": "MED", "template": "TESTYG", "date": "0001-01-01"},
        follow=True,
    )  # fmt: skip
    assert "超出范围" in response.content.decode()
    assert not Inspection.objects.exists()
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    item = w.version.items.get(code="1.1")
    actions.record_item(w.ivan, inspection, item, MarkInput(occurrences="1"))
    submit_complete(w.ivan, inspection, present="张主任")
    response = client.post(
        f"/inspections/{inspection.pk}/notice/",
        {"measures": "整改", "responsible": "张主任", "deadline": "9999-12-31"},
        follow=True,
    )
    assert "超出范围" in response.content.decode()
    assert not RectificationNotice.objects.exists()
    response = client.post(
        "/inspections/plans/new/",
        {"name": "院感月查", "template": "TESTYG", "issuer": "HOS", "institution": "HOS",
         "inspectors": [w.ivan.pk], "schedule": "MONTHLY", "start": "1899-01-01", "end": "1899-12-31"},
    )  # fmt: skip
    assert "超出范围" in response.content.decode()
    assert not InspectionPlan.objects.exists()


def test_the_recheck_task_goes_to_the_issuer_not_to_an_inspector_below_it(insp):
    from tests.world import make_user
    from weijian.inspections.queries import board
    from weijian.orgs.models import Role

    w = insp
    bea = make_user("bea", Role.INSPECTOR, w.bureau)
    today = dt.date.today()
    inspection = actions.start_inspection(bea, w.version, w.medicine, today)
    actions.record_item(
        bea, inspection, w.version.items.get(code="1.1"), MarkInput(occurrences="1")
    )
    submit_complete(bea, inspection, present="张主任")
    notice = actions.issue_notice(
        bea,
        inspection,
        measures="整改",
        responsible="张主任",
        deadline=today + dt.timedelta(days=9),
    )
    actions.answer_notice(w.alice, notice, "已整改")
    assert [n.pk for n in board(bea).to_recheck] == [notice.pk]
    assert board(w.ivan).to_recheck == []


def test_an_inspection_under_a_plan_must_be_of_one_of_the_plans_units(insp):
    """A plan lends its issuer's name (and numbering) to the inspection: naming it for a unit
    the plan does not cover was accepted."""
    w = insp
    today = dt.date.today()
    plan = actions.save_plan(
        w.ivan,
        actions.PlanInput(
            name="内科院感月查", template=w.template, issuer_unit=w.hospital, schedule="MONTHLY",
            start=dt.date(today.year, 1, 1), end=dt.date(today.year, 12, 31),
            units=[w.medicine], inspectors=[w.ivan],
        ),
    )  # fmt: skip
    with pytest.raises(InspectionError, match="不在检查计划"):
        actions.start_inspection(w.ivan, w.version, w.surgery, today, plan=plan)
    assert not Inspection.objects.exists()
    assert actions.start_inspection(w.ivan, w.version, w.medicine, today, plan=plan).plan == plan
