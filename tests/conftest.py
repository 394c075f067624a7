import pytest

from tests.world import make_world


@pytest.fixture
def world(db):
    return make_world()
