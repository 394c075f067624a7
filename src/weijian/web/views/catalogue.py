from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from weijian.indicators.catalogue import catalogue


@login_required
def indicator_catalogue(request):
    """Every indicator with its definition, formula in words, direction and citation."""
    groups = catalogue()
    total = sum(len(entries) for _, entries in groups)
    return render(request, "web/catalogue.html", {"groups": groups, "total": total})
