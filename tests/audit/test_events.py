"""Event models: the agent-action fields go with agent.action events only; times are UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from pydantic import ValidationError

from accord.audit.chain import GENESIS
from accord.audit.events import AgentAction, Event, EventDraft, EventType

ACTION = AgentAction(action_type="generate_tests", success=False, error_message="timeout")


@pytest.mark.parametrize(
    ("kind", "action", "accepted"),
    [
        (EventType.AGENT_ACTION, ACTION, True),
        (EventType.AGENT_ACTION, None, False),
        (EventType.PROPOSAL_CREATED, None, True),
        (EventType.MODE_CHANGED, ACTION, False),
    ],
)
def test_agent_action_fields_go_with_agent_action_events_only(
    kind: EventType, action: AgentAction | None, accepted: bool
) -> None:
    def make() -> EventDraft:
        return EventDraft(type=kind, actor="ann", project="demo", agent_action=action)

    if accepted:
        assert make().agent_action == action
    else:
        with pytest.raises(ValidationError, match="agent_action"):
            make()


def test_the_seed_agent_action_columns_are_there() -> None:
    assert set(AgentAction.model_fields) == {
        "action_type",
        "input_data",
        "output_data",
        "execution_time_ms",
        "success",
        "error_message",
    }
    with pytest.raises(ValidationError):
        AgentAction(action_type="x", execution_time_ms=-1)


def test_event_times_are_kept_in_utc() -> None:
    paris = datetime(2026, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    draft = EventDraft(type=EventType.PROPOSAL_APPLIED, actor="ann", project="demo")
    event = Event.place(draft, 1, UUID(int=1), paris, GENESIS)
    assert event.ts == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert event.ts.utcoffset() == timedelta(0)


def test_naive_times_and_bad_links_are_refused() -> None:
    draft = EventDraft(type=EventType.PROPOSAL_APPLIED, actor="ann", project="demo")
    with pytest.raises(ValidationError):
        Event.place(draft, 1, UUID(int=1), datetime(2026, 1, 1), GENESIS)
    with pytest.raises(ValidationError):
        Event.place(draft, 0, UUID(int=1), datetime(2026, 1, 1, tzinfo=UTC), GENESIS)
    with pytest.raises(ValidationError):
        Event.place(draft, 1, UUID(int=1), datetime(2026, 1, 1, tzinfo=UTC), "abc")
