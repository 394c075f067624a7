from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from weijian.orgs.models import label_with_ancestors
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import queries
from weijian.reporting.models import Submission, SubmissionStatus

LIST_LIMIT = 300


@login_required
def review_list(request):
    """Reports of the units below mine, by status (default: awaiting review)."""
    scope = get_scope(request.user)
    status = request.GET.get("status", SubmissionStatus.SUBMITTED)
    if status not in SubmissionStatus.values:
        status = SubmissionStatus.SUBMITTED
    submissions = (
        scope.filter(Submission.objects.filter(status=status), Can.REVIEW)
        .select_related("form", "org_unit", "period", "submitted_by")
        .order_by("-period__start_date", "form__code", "org_unit__path")[:LIST_LIMIT]
    )
    submissions = list(submissions)
    label_with_ancestors([s.org_unit for s in submissions])
    notes = queries.last_reviews(submissions)
    context = {
        "submissions": [(s, notes.get(s.pk)) for s in submissions],
        "status": status,
        "statuses": SubmissionStatus.choices,
        "can_review": scope.has_any(Can.REVIEW),
        "limit": LIST_LIMIT,
    }
    return render(request, "web/review_list.html", context)
