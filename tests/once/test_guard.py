"""once.claim(): a form's write runs at most once per page token."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory

from weijian.governance.models import LeadingGroup
from weijian.once.guard import Replayed, claim, new_token
from weijian.once.models import UsedFormToken


def post(user, token):
    request = RequestFactory().post("/x/", {"once": token} if token is not None else {})
    request.user = user
    return request


def found_group(world, name="院感管理委员会"):
    return LeadingGroup.objects.create(
        org_unit=world.hospital, name=name, duties="d", document_number="n",
        founded_on="2026-01-01",
    )  # fmt: skip


def test_a_token_runs_its_write_once_and_a_replay_learns_where_the_result_is(world):
    token = new_token()
    with claim(post(world.admin, token)) as claimed:
        found_group(world)
        claimed.url = "/groups/1/"
    with pytest.raises(Replayed) as replay, claim(post(world.admin, token)):
        found_group(world, "第二个")  # never reached
    assert replay.value.url == "/groups/1/"
    assert LeadingGroup.objects.count() == 1


def test_a_failed_write_gives_its_token_back(world):
    token = new_token()
    with pytest.raises(ValueError), claim(post(world.admin, token)):
        found_group(world)
        raise ValueError("a refused action")  # rolls back the group and the token
    assert not LeadingGroup.objects.exists() and not UsedFormToken.objects.exists()
    with claim(post(world.admin, token)):  # the corrected form goes through
        found_group(world)
    assert LeadingGroup.objects.count() == 1


def test_no_token_means_no_guard_and_a_stranger_learns_nothing(world):
    for _ in range(2):
        with claim(post(world.admin, None)):
            found_group(world, f"组{LeadingGroup.objects.count()}")
    assert LeadingGroup.objects.count() == 2 and not UsedFormToken.objects.exists()
    token = new_token()
    with claim(post(world.admin, token)) as claimed:
        claimed.url = "/groups/9/"
    with pytest.raises(Replayed) as replay, claim(post(world.olivia, token)):
        pass
    assert replay.value.url == ""  # someone else's token: no link to their result
    with pytest.raises(Replayed), claim(post(AnonymousUser(), token)):
        pass


def test_malformed_tokens_are_not_recorded(world):
    for junk in ("", "short", "x" * 65, "bad token with spaces!!"):
        with claim(post(world.admin, junk)):
            pass
    assert not UsedFormToken.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_replays_wait_for_the_first_and_write_nothing(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    token = new_token()
    barrier = threading.Barrier(4)
    outcomes = []

    def submit(n):
        try:
            barrier.wait()
            with claim(post(world.admin, token)) as claimed:
                found_group(world, f"组{n}")
                claimed.url = f"/groups/{n}/"
            outcomes.append("done")
        except Replayed as replay:
            outcomes.append(replay.url)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert LeadingGroup.objects.count() == 1
    winner = LeadingGroup.objects.get().name[1:]
    assert sorted(outcomes) == sorted(["done"] + [f"/groups/{winner}/"] * 3)
