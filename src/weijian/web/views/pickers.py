"""The pickers' small endpoints: units for the org tree (children or a search) and the
indicator favourites' star. Everything answers within the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from weijian.accounts import actions as account_actions
from weijian.accounts.models import Favourite
from weijian.indicators.models import Indicator
from weijian.orgs.scope import Can

from .. import pickers

CAPABILITIES = {"VIEW": Can.VIEW, "ENTER": Can.ENTER, "MANAGE": Can.MANAGE, "INSPECT": Can.INSPECT}


@login_required
def units(request):
    """?q=rmyy searches; ?parent=CODE lists a unit's children; neither lists the scope's tops."""
    capability = CAPABILITIES.get(request.GET.get("cap", "VIEW"), Can.VIEW)
    answers = pickers.unit_answers(
        request.user, capability, request.GET.get("q", "")[:50], request.GET.get("parent", "")
    )
    # Names as written (not \u escapes): smaller, and readable where the answer is inspected.
    return JsonResponse({"units": answers}, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def favourite(request, code: str):
    """Star or unstar an indicator for the picker; answers the new state as JSON."""
    indicator = get_object_or_404(Indicator, code=code)  # the catalogue is open to every user
    now = account_actions.toggle_favourite(request.user, Favourite.Kind.INDICATOR, indicator.code)
    return JsonResponse({"code": indicator.code, "favourite": now})
