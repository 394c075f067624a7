import pytest

from tests.world import make_world


@pytest.fixture
def world(db):
    return make_world()


def pytest_report_header(config):
    import os

    url = os.environ.get("WEIJIAN_DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default PBKDF2 costs ~0.3 s per user; tests create several users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
