"""A form that creates something acts at most once per page load (layer 2: Django, no domain).

Each such form carries a random token (`{% once_token %}`); the view runs its action inside
`claim(request)`, which records the token under a primary key in the same transaction as the
action. A replay of the same page — a double click, the browser's resend, a retried request —
meets the recorded token: the database refuses the second insert (concurrent replays wait for
the first to commit, then fail), nothing is written twice, and the replay is sent to what the
first submission produced. An action that fails rolls its token back with it, so the corrected
form can be sent again. A POST without a token (scripts, the test client) is not guarded.

    from weijian.once import guard as once

    try:
        with once.claim(request) as claimed:
            group = actions.create_group(...)
            claimed.url = reverse("group_detail", args=[group.pk])
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "group_list")

(`guard` is not imported here: the app's package is imported before its models are ready.)
"""
