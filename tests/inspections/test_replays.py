"""Starting, planning, photographing, issuing and answering count once per page, whatever the
browser resends (a double tap on a phone, back and resend)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.inspections.conftest import submit_complete
from tests.replay import form_token, submit_twice
from tests.world import PASSWORD
from weijian.inspections import actions
from weijian.inspections.actions import MarkInput
from weijian.inspections.models import Inspection, InspectionPlan, Photo, RectificationNotice

from .test_pages import jpeg_with_exif


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_double_tapped_start_begins_one_inspection(client, insp):
    c = logged_in(client, insp.ivan)
    token = form_token(c.get("/inspections/").content.decode(), "开始检查")
    data = {"template": "TESTYG", "unit": "MED", "date": dt.date.today().isoformat()}
    first, second = submit_twice(c, "/inspections/start/", data, token)
    inspection = Inspection.objects.get()
    assert first.url == second.redirect_chain[-1][0] == f"/inspections/{inspection.pk}/"


def test_a_resent_plan_is_saved_once(client, insp):
    c = logged_in(client, insp.ivan)
    token = form_token(c.get("/inspections/plans/new/").content.decode())
    data = {"name": "院感月度考核", "template": "TESTYG", "issuer": "HOS", "schedule": "MONTHLY",
            "start": "2026-01-01", "end": "2026-12-31", "units": ["MED", "SUR"],
            "inspectors": [str(insp.ivan.pk)]}  # fmt: skip
    submit_twice(c, "/inspections/plans/new/", data, token)
    assert InspectionPlan.objects.count() == 1


def test_a_resent_photo_is_kept_once(client, insp, media):
    c = logged_in(client, insp.ivan)
    inspection = actions.start_inspection(insp.ivan, insp.version, insp.medicine, dt.date.today())
    token = form_token(c.get(f"/inspections/{inspection.pk}/").content.decode(), "photo")
    for _ in range(2):
        photo = SimpleUploadedFile("a.jpg", jpeg_with_exif(), content_type="image/jpeg")
        c.post(f"/inspections/{inspection.pk}/photo/", {"photo": photo, "once": token})
    assert Photo.objects.count() == 1


def test_a_resent_notice_and_its_resent_answer_count_once(client, insp, media):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    actions.record_item(w.ivan, inspection, w.version.items.get(code="1.1"),
                        MarkInput(occurrences="1"))  # fmt: skip
    submit_complete(w.ivan, inspection, present="张主任")
    c = logged_in(client, w.ivan)
    token = form_token(c.get(f"/inspections/{inspection.pk}/").content.decode(), "measures")
    deadline = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    data = {"measures": "整改", "responsible": "张主任", "deadline": deadline}
    first, second = submit_twice(c, f"/inspections/{inspection.pk}/notice/", data, token)
    notice = RectificationNotice.objects.get()
    assert first.url == second.redirect_chain[-1][0] == f"/inspections/notices/{notice.pk}/"
    c.logout()
    c = logged_in(client, w.alice)
    url = f"/inspections/notices/{notice.pk}/"
    token = form_token(c.get(url).content.decode(), "answer")
    submit_twice(c, f"{url}answer/", {"answer": "已组织培训"}, token)
    assert notice.events.filter(action="反馈整改").count() == 1
