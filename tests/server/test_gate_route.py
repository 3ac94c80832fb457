"""``route``: what the language server does with an assessed proposal, over every mode, decision,
link state, local role and client capability."""

from __future__ import annotations

import itertools

import pytest

from accord.policy.model import CollaborationMode as Mode
from accord.server.gate import Route, route

BOTH = (True, False)
EVERY = list(itertools.product(Mode, BOTH, BOTH, BOTH, BOTH, BOTH))


@pytest.mark.parametrize(("mode", "needs", "linked", "can", "previews", "yes"), EVERY)
def test_every_combination_has_exactly_the_documented_route(
    mode: Mode, needs: bool, linked: bool, can: bool, previews: bool, yes: bool
) -> None:
    step = route(mode, needs, linked, can, previews, needs_yes=yes)
    if mode is Mode.OBSERVATION:
        assert step is Route.OBSERVE  # observation never applies, asks or routes
    elif needs and linked:
        assert step is Route.ORG  # an org decides; local roles never count when linked
    elif needs and not can:
        assert step is Route.WAIT
    elif not needs and not yes and mode is not Mode.CONTROL:
        assert step is Route.APPLY  # only a change nobody need approve or confirm applies
    else:
        assert step is (Route.PREVIEW if previews else Route.ASK)


@pytest.mark.parametrize(
    ("mode", "needs", "linked", "can", "previews", "expected"),
    [
        # A low-risk change in the default mode applies at once, linked or not.
        (Mode.AUTONOMOUS, False, False, False, False, Route.APPLY),
        (Mode.GUIDANCE, False, True, False, True, Route.APPLY),
        # Control mode asks before every step, even one the policy would auto-approve.
        (Mode.CONTROL, False, False, False, False, Route.ASK),
        (Mode.CONTROL, False, True, False, True, Route.PREVIEW),
        # A migration needing a lead: routed to the org when linked...
        (Mode.GUIDANCE, True, True, True, True, Route.ORG),
        # ...asked locally when the single user holds the role, else it waits.
        (Mode.GUIDANCE, True, False, True, False, Route.ASK),
        (Mode.GUIDANCE, True, False, False, True, Route.WAIT),
        (Mode.OBSERVATION, True, True, True, True, Route.OBSERVE),
    ],
)
def test_the_stories_users_meet(
    mode: Mode, needs: bool, linked: bool, can: bool, previews: bool, expected: Route
) -> None:
    assert route(mode, needs, linked, can, previews) is expected


def test_a_change_that_removes_documentation_is_never_applied_unasked() -> None:
    for mode in (Mode.AUTONOMOUS, Mode.GUIDANCE):
        assert route(mode, False, False, False, False, needs_yes=True) is Route.ASK
        assert route(mode, False, True, False, True, needs_yes=True) is Route.PREVIEW
