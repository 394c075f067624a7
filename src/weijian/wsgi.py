import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
application = get_wsgi_application()

from weijian.deploy import refuse_default_secret_key  # noqa: E402 (needs the settings loaded)

refuse_default_secret_key()
