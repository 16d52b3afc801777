"""The action table: every action declared once, and each declaration fits the service, the page form and the API
body it joins."""

import inspect

import pytest
from django.forms import FileField

from jiayuan.appeals import rules, workflow
from jiayuan.appeals.actions import ACTIONS, OTHER_EVENTS, event_label
from jiayuan.appeals.schemas import ActionIn


def test_every_move_and_the_two_other_actions_are_declared_once_in_the_panels_order():
    assert list(ACTIONS) == [*workflow.APPEAL.moves, "supervise", "rate"]


def test_every_action_has_a_rule_saying_who_may_take_it():
    assert set(rules.ALLOWED) == set(ACTIONS)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_the_service_takes_the_declared_arguments_and_the_api_body_has_them(name):
    action = ACTIONS[name]
    parameters = inspect.signature(action.service).parameters
    assert {"actor", "appeal", "version"} <= set(parameters)
    assert set(action.takes) <= set(parameters)
    assert set(action.takes) <= set(ActionIn.model_fields)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_the_page_form_has_a_field_for_every_argument_it_always_asks(name):
    action = ACTIONS[name]
    renamed = dict(action.page_fields)
    fields = set(action.form.base_fields)
    # A callback asks the resident's answers only when the resident has no account (added per appeal).
    asked_per_appeal = {"contacted", "solved", "rating"} if name == "callback" else set()
    assert {renamed.get(arg, arg) for arg in action.takes} - asked_per_appeal <= fields
    assert "version" in fields


@pytest.mark.parametrize("name", list(ACTIONS))
def test_an_actions_uploads_are_service_arguments_and_file_fields_of_its_page_form(name):
    action = ACTIONS[name]
    parameters = inspect.signature(action.service).parameters
    assert set(action.uploads) <= set(parameters)
    assert not set(action.uploads) & set(ActionIn.model_fields)  # files never travel in the JSON body
    for field in action.uploads:
        assert isinstance(action.form.base_fields[field], FileField)


def test_resolving_takes_the_photos_after_the_fix_from_the_page():
    assert ACTIONS["resolve"].uploads == ("photos",)
    assert ACTIONS["resolve"].arguments({"resolution": "修好了", "via_four_party": False, "photos": ["p"]}) == {
        "resolution": "修好了",
        "via_four_party": False,
        "photos": ["p"],
    }


def test_one_click_actions_ask_nothing():
    assert {name for name, action in ACTIONS.items() if action.one_click} == {"accept", "start", "grant_extension"}
    assert all(not ACTIONS[name].takes for name in ("accept", "start", "grant_extension"))


def test_the_timeline_names_actions_by_their_declaration_and_other_events_by_their_own():
    assert event_label("resolve") == ACTIONS["resolve"].event
    assert event_label("submit") == OTHER_EVENTS["submit"]
    assert event_label("something-new") == "something-new"
