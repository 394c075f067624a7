import pytest
from django.contrib.contenttypes.models import ContentType

from weijian.demo.load import load_demo


@pytest.fixture
def demo(db):
    """Four months of the demo district, up to last month."""
    return load_demo(months=4)


@pytest.fixture
def clean_caches():
    """`--reset` flushes and recreates content types inside the test's transaction; forget
    the ids cached meanwhile, so later tests see the rolled-back rows."""
    yield
    ContentType.objects.clear_cache()
