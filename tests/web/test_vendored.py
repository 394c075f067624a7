"""Everything the pages load comes from our own static files: no CDN, so the system works on a
health bureau's offline intranet (Swagger UI: tests/accounts/test_transport.py)."""

import re
from pathlib import Path

import weijian

SOURCE = Path(weijian.__file__).parent
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
IMPORTS = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_no_template_loads_anything_from_another_host():
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.html")
        if EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_stylesheet_or_script_of_ours_imports_from_another_host():
    ours = [
        p
        for p in SOURCE.rglob("static/**/*")
        if p.suffix in (".css", ".js") and "vendor" not in p.parts
    ]
    assert ours, "our static files were not found"
    offenders = [
        str(p.relative_to(SOURCE)) for p in ours if IMPORTS.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_pickers_script_is_served_from_static(client, world):
    from tests.world import PASSWORD

    client.login(username="alice", password=PASSWORD)
    page = client.get("/").content.decode()
    assert '<script src="/static/web/pickers.js"></script>' in page
    assert client.get("/static/web/pickers.js").status_code == 200
