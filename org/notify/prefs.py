"""Notification settings as plain functions (for the console and the CLI): an organisation's
channels and a user's preferences; and the org server's ``notify.prefs.get`` /
``notify.prefs.set`` handlers (each user their own)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from accord.protocol.org import Empty, Message, NotifyPrefs

from ..errors import Unauthenticated
from ..hub import Peer
from ..store import OrgStore
from .outbox import org_settings, user_prefs
from .settings import OrgNotify

__all__ = ["get_org_settings", "get_prefs", "notify_handlers", "set_org_settings", "set_prefs"]


async def get_org_settings(store: OrgStore, org_id: str) -> OrgNotify:
    """An organisation's channels (show them with :meth:`OrgNotify.shown`: secrets masked)."""
    return await org_settings(store, org_id)


async def set_org_settings(store: OrgStore, org_id: str, settings: OrgNotify) -> None:
    """Replace an organisation's channels (an admin's act)."""
    await store.set_notify_settings(org_id, settings.model_dump(mode="json"))


async def get_prefs(store: OrgStore, user_id: str) -> NotifyPrefs:
    """A user's preferences (the defaults when never set)."""
    return await user_prefs(store, user_id)


async def set_prefs(store: OrgStore, user_id: str, prefs: NotifyPrefs) -> NotifyPrefs:
    """Replace a user's preferences; returns them as stored."""
    await store.set_notify_prefs(user_id, prefs.model_dump(mode="json"))
    return await get_prefs(store, user_id)


def notify_handlers(store: OrgStore) -> dict[str, Callable[[Peer, Any], Awaitable[Message]]]:
    """The org server's handlers of the preference methods."""

    def caller(peer: Peer) -> str:
        if peer.identity is None:
            raise Unauthenticated("authenticate first")
        return str(peer.identity.user_id)

    async def get(peer: Peer, params: Empty) -> Message:
        return await get_prefs(store, caller(peer))

    async def put(peer: Peer, params: NotifyPrefs) -> Message:
        return await set_prefs(store, caller(peer), params)

    return {"notify.prefs.get": get, "notify.prefs.set": put}
