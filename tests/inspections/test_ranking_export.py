"""得分排名 as .xlsx (公示): opens in LibreOffice; an outsider's sheet ranks nobody."""

import io

import pytest
from openpyxl import load_workbook

from tests.inspections.test_lifecycle import done  # noqa: F401  (fixture)
from tests.rendering import needs_office, page_texts, squeezed, to_pdf
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/inspections/scores.xlsx?template=TESTYG&month=202603"


@needs_office
def test_the_ranking_opens_in_libreoffice(client, done, tmp_path):  # noqa: F811
    client.login(username="ivan", password=PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    # one inspection of 内科 in March 2026, scored 11 (see the `done` fixture): rank 1
    assert [r[:4] for r in rows] == [(1, "人民医院 / 内科", 1, 11)]
    path = tmp_path / "rank.xlsx"
    path.write_bytes(response.content)
    text = squeezed("".join(page_texts(to_pdf(path))))
    assert "检查结果公示" in text and "人民医院/内科" in text


def test_the_outsider_ranks_nobody(client, done):  # noqa: F811
    client.login(username="olivia", password=PASSWORD)
    book = load_workbook(io.BytesIO(client.get(URL).content))
    assert list(book.active.iter_rows(min_row=3, values_only=True)) == []
