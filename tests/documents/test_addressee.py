"""The bureau's summary goes to the district's executive, named from the leadership the district
sets (OrgUnit.leadership), never a fixed "区人民政府" (read 2026-12-07: a 示范区 bureau's
summary was addressed to 区人民政府 although it thanks 党工委、管委会 twice)."""

import pytest

from weijian.documents.context import government_of


@pytest.mark.parametrize(
    ("leadership", "executive"),
    [
        ("区委、区政府", "区人民政府"),  # the default: 政府 is written in full
        ("县委、县政府", "县人民政府"),
        ("市委、市人民政府", "市人民政府"),  # already in full
        ("示范区党工委、管委会", "示范区管委会"),  # the place taken from the party body
        ("高新区党工委、高新区管委会", "高新区管委会"),  # already carries its place
        ("区委", "区委"),  # no executive named: the leadership itself
    ],
)
def test_the_executive_is_read_from_the_leadership(leadership, executive):
    assert government_of(leadership) == executive
