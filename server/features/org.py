"""Federation with the org server: one :class:`~accord.server.org_link.OrgLink` per workspace root
whose settings name an org server (``[tool.accord.org] url``), and the commands around it.

- ``accord.org.status``: whether each link is online, as whom, and the policy revision in use;
- ``accord.room.suggest {"text", "uri"?, "range"?}``: a suggestion into the project room (guidance
  mode: it reaches the agents' context in every teammate's language server), on a selection when
  ``uri`` and ``range`` say where (sent as the project-relative path).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcRequestCancelled

from ..org_link import OrgLink
from ..session import path_of
from . import RAISE, guarded

if TYPE_CHECKING:
    from ..app import AccordServer

__all__ = ["SUGGEST", "setup", "start_links"]

STATUS = "accord.org.status"
SUGGEST = "accord.room.suggest"


def start_links(server: AccordServer) -> None:
    """Connect the workspace root to its org server, if its settings name one."""
    root = server.session.root_of(None)
    settings = server.session.settings_for(str(root / "accord.toml")).settings.org
    if settings.url is None or root in server.org_links:
        return
    link = OrgLink(
        server, root, settings.url, settings.project or root.name, settings.project is None
    )
    server.org_links[root] = link
    server.agents.org_policy = lambda at: (
        found.project_policy if (found := server.org_links.get(at)) else None
    )
    link.start()


def setup(server: AccordServer) -> None:
    @server.command(STATUS)
    def status() -> dict[str, Any]:
        return {
            "links": [
                {
                    "root": str(root),
                    "url": link.url,
                    "project": link.project,
                    "online": link.online,
                    # Online and through the handshake: policy fetched, project room entered.
                    "ready": link.connected.is_set(),
                    "user": link.identity.email if link.identity else None,
                    "policy_revision": link.revision,
                    "room": {
                        "epoch": link.room.epoch,
                        "offset": link.room.offset,
                        "joined": link.in_room,
                    },
                }
                for root, link in server.org_links.items()
            ]
        }

    @server.command(SUGGEST)
    @guarded("org", fallback=RAISE)
    async def suggest(request: dict[str, Any]) -> dict[str, Any]:
        text = request.get("text") if isinstance(request, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise JsonRpcInvalidParams(message=f"{SUGGEST} takes {{'text': a non-empty string}}")
        link = _link(server, request.get("root"))
        if not link.online:
            raise JsonRpcRequestCancelled(
                message="the org server is not reachable; try again later"
            )
        await link.publish("suggestion", {"text": text.strip(), **_place(link, request)})
        return {"sent": True, "project": link.project}

    @server.feature(types.SHUTDOWN)
    @guarded("org")
    async def shutdown(params: None) -> None:
        for link in list(server.org_links.values()):
            await link.stop()
        server.org_links.clear()


def _link(server: AccordServer, root: object) -> OrgLink:
    key = Path(str(root)) if root else server.session.root_of(None)
    link = server.org_links.get(key)
    if link is None:
        raise JsonRpcInvalidParams(
            message=f"{key} is not linked to an org server ([tool.accord.org] url)"
        )
    return link


def _place(link: OrgLink, request: dict[str, Any]) -> dict[str, Any]:
    """Where a suggestion points: the file relative to the project, and the range as given."""
    uri, where = request.get("uri"), request.get("range")
    if not isinstance(uri, str) or not uri:
        return {}
    path = Path(path_of(uri) or uri)
    try:
        file = path.relative_to(link.root).as_posix()
    except ValueError:
        raise JsonRpcInvalidParams(message=f"{uri} is not in the project {link.root}") from None
    return {"file": file} | ({"range": where} if isinstance(where, dict) else {})
