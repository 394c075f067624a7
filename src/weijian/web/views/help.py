from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ..help import AREAS


@login_required
def help_page(request, area: str = "board"):
    if area not in AREAS:
        raise Http404("没有这一帮助页")
    context = {"area": AREAS[area], "current": area, "areas": AREAS.items()}
    return render(request, "web/help.html", context)
