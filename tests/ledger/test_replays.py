"""A record, an import and an attachment are made once per page, whatever the browser resends."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.ledger.test_attachments import jpeg_with_gps
from tests.replay import form_token, submit_twice
from tests.world import PASSWORD
from weijian.ledger.models import Activity, Attachment
from weijian.once.guard import REPLAYED_MESSAGE

from .conftest import TODAY, record


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_double_clicked_record_is_registered_once(client, ledger):
    c = logged_in(client, ledger.alice)
    url = reverse("ledger_new", args=["HE"])
    token = form_token(c.get(url).content.decode())
    data = {"unit": "MED", "title": "高血压讲座", "start": "2026-03-05", "f_THEME": "高血压",
            "f_FORM": "讲座", "f_REACHED": "80"}  # fmt: skip
    first, second = submit_twice(c, url, data, token)
    activity = Activity.objects.get()
    assert first.url == second.redirect_chain[-1][0] == reverse("ledger_detail", args=[activity.pk])


def test_a_resent_import_imports_once(client, ledger):
    c = logged_in(client, ledger.alice)
    token = form_token(c.get(reverse("ledger_import", args=["TRAIN"])).content.decode())
    book = load_workbook(io.BytesIO(c.get(reverse("ledger_template", args=["TRAIN"])).content))
    book.worksheets[0].append(
        ["MED", "手卫生培训", "2026-03-02", None, "手卫生", "科室", None, 1, 20, 20, 19, None]
    )
    content = io.BytesIO()
    book.save(content)

    def send():
        upload = io.BytesIO(content.getvalue())
        upload.name = "培训.xlsx"
        return c.post(reverse("ledger_import", args=["TRAIN"]), {"file": upload, "once": token},
                      follow=True)  # fmt: skip

    assert "已导入 1 条" in send().content.decode()
    assert REPLAYED_MESSAGE in send().content.decode()
    assert Activity.objects.count() == 1


def test_a_resent_attachment_is_kept_once(client, ledger, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = ledger
    activity = record(w.alice, w.types["MEET"], w.medicine, TODAY, "科务会", KIND="科务会")
    c = logged_in(client, w.alice)
    token = form_token(
        c.get(reverse("ledger_detail", args=[activity.pk])).content.decode(), "attach"
    )
    for _ in range(2):
        upload = io.BytesIO(jpeg_with_gps())
        upload.name = "签到表.jpg"
        c.post(reverse("ledger_attach", args=[activity.pk]), {"file": upload, "once": token})
    assert Attachment.objects.count() == 1
