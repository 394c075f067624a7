"""Copying a template and uploading a layout make one copy per page, whatever is resent."""

import pytest

from tests.replay import form_token, submit_twice
from tests.world import PASSWORD
from weijian.documents.models import SummaryTemplate
from weijian.orgs.models import Role, RoleAssignment


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_double_clicked_copy_makes_one_copy(client, world):
    RoleAssignment.objects.create(
        user=world.victor, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    assert client.login(username="victor", password=PASSWORD)
    token = form_token(client.get("/documents/templates/").content.decode(), "copy")
    first, second = submit_twice(
        client, "/documents/templates/copy/", {"source": "DEPARTMENT", "ou": "HOS"}, token
    )
    row = SummaryTemplate.objects.get()
    assert first.url == second.redirect_chain[-1][0] == f"/documents/templates/{row.code}/"
