"""Odd input gets a Chinese answer and changes nothing: never a 500."""

import pytest

from tests.world import PASSWORD
from weijian.reporting import actions
from weijian.reporting.models import DataValue, Submission, SubmissionStatus

FULL = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "40"}


@pytest.fixture
def alice(client, world):
    client.login(username="alice", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/forms/WORK/ME%00D/202601/",
        "/forms/WORK/MED/202601/history/?element=a%00b",
        "/completeness/?period=20%0026",
    ],
)
def test_nul_characters_are_refused_before_any_view(alice, url):
    response = alice.get(url)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


def test_a_nul_character_in_a_value_is_refused_and_nothing_saved(alice, world):
    response = alice.post(
        "/forms/WORK/MED/202601/", {"v:NOTE:default": "a\x00b", "v:DIS:default": "4"}
    )
    assert response.status_code == 400
    assert not DataValue.objects.exists()


def test_malformed_field_names_are_ignored(alice, world):
    response = alice.post(
        "/forms/WORK/MED/202601/", {"v:DIS": "5", "v:a:b:c": "1", "v:DIS:default": "7"}, follow=True
    )
    assert response.status_code == 200
    assert list(DataValue.objects.values_list("value", flat=True)) == ["7"]


@pytest.mark.parametrize(
    "url",
    [
        "/forms/WORK/MED/219912/",
        "/forms/WORK/MED/190001/",
        "/forms/WORK/MED/219912/history/",
        "/completeness/?period=219912",
        "/completeness/?period=190001",
        "/completeness/WORK/219912/",
        "/completeness/?type=YEARLY&period=2199",
    ],
)
def test_pages_at_the_edge_of_the_calendar_render(alice, url):
    assert alice.get(url).status_code == 200


@pytest.mark.parametrize("period", ["２０２６０１", "٢٠٢٦٠١"])
def test_non_ascii_digits_do_not_open_a_second_copy_of_a_locked_month(alice, world, period):
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    actions.approve(world.rita, submission)
    response = alice.post(
        f"/forms/WORK/MED/{period}/", {"v:DIS:default": "999", "action": "submit"}
    )
    assert response.status_code == 404
    assert list(
        DataValue.objects.filter(element=world.discharges).values_list("value", flat=True)
    ) == ["40"]
    assert Submission.objects.get().status == SubmissionStatus.APPROVED


def test_the_admin_cannot_delete_a_report(client, world):
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    client.login(username="admin", password=PASSWORD)
    response = client.post(f"/admin/reporting/submission/{submission.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_an_excel_download_survives_a_changed_value_type(alice, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("NOTE", "default"): "正常"}
    )
    world.note.value_type = "INTEGER"
    world.note.save()
    assert alice.get("/forms/WORK/MED/202601/xlsx/").status_code == 200


def test_a_body_larger_than_any_upload_is_refused_unread(alice, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WEIJIAN_MAX_REQUEST_BYTES = 4096
    upload = SimpleUploadedFile("大文件.xlsx", b"x" * 5000)
    response = alice.post("/forms/WORK/MED/202601/upload/", {"file": upload})
    assert response.status_code == 413
    assert (
        "上传的内容过大" in response.content.decode()
        and "不能超过 4 KB" in response.content.decode()
    )
    api = alice.post(
        "/api/dataValueSets", b"{" + b" " * 5000 + b"}", content_type="application/json"
    )
    assert api.status_code == 413 and api.json()["httpStatusCode"] == 413
    assert not DataValue.objects.exists() and not Submission.objects.exists()
