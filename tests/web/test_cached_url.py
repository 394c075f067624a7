"""{% load cached_url %}'s {% url %} answers what Django's reverse() answers, for the same
name and arguments under the same script prefix, and the pages that load it keep their links."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tests.world import PASSWORD
from weijian.web.templatetags.cached_url import cached_reverse


def render(text: str, **context) -> str:
    return Template("{% load cached_url %}" + text).render(Context(context))


def test_the_tag_gives_what_reverse_gives_with_and_without_arguments():
    assert render("{% url 'task_board' %}") == reverse("task_board")
    assert render("{% url 'history' f u p %}", f="WORK", u="MED", p="202601") == reverse(
        "history", args=("WORK", "MED", "202601")
    )
    # asked twice with other arguments: the cache keys on them
    assert render("{% url 'history' 'WORK' 'SUR' '202602' %}") == reverse(
        "history", args=("WORK", "SUR", "202602")
    )
    assert render("{% url 'task_board' as there %}{{ there }}") == reverse("task_board")


def test_a_name_that_does_not_exist_raises_as_django_does_unless_kept_in_a_variable():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no_such_page' %}")
    assert render("{% url 'no_such_page' as there %}[{{ there }}]") == "[]"


def test_the_script_prefix_is_part_of_the_key():
    plain = cached_reverse("task_board", [], {}, None)
    try:
        set_script_prefix("/weijian/")
        prefixed = cached_reverse("task_board", [], {}, None)
    finally:
        set_script_prefix("/")
    assert prefixed == "/weijian" + plain
    assert cached_reverse("task_board", [], {}, None) == plain


def test_unhashable_arguments_are_reversed_uncached():
    # a list as an argument cannot be a cache key; reverse() renders it as Django would
    assert cached_reverse("task_board", [], {}, None) == reverse("task_board")
    with pytest.raises(NoReverseMatch):
        cached_reverse("history", [["WORK"]], {}, None)


def test_the_entry_page_keeps_its_links(client, world):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/forms/WORK/MED/202601/").content.decode()
    assert f'href="{reverse("task_board")}"' in page
    assert reverse("xlsx_upload", args=("WORK", "MED", "202601")) in page
