"""Approval round trip through the org server, as editors see it.

``accord org serve`` runs on a fresh SQLite store whose policy sends every change scoring 5 or
more to one tech lead. Three :class:`~accord.org.client.OrgClient` connections (the client the
language server's org link uses): a developer sends ``approval.request``; the tech lead's client
gets the ``approval.updated`` push and answers it with ``approval.decide``; the developer's client
gets the ``approved`` push. Timed from the request sent to that push received, ``--iterations``
times. The baseline is the floor of one call through the same server and client: ``policy.get``.

    python benchmarks/org_approval_rtt.py [--iterations 200] [--project]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import time
from importlib import resources
from typing import Any

import yaml
from org_wire import Server, org_server, quantiles_ms

from accord.org.client import OrgClient
from accord.policy.loading import DEFAULT_POLICY_NAME
from accord.protocol import Range, TextEdit
from accord.protocol.org import (
    ApprovalDecide,
    ApprovalRequestParams,
    ApprovalUpdated,
    Authenticate,
    Authenticated,
    FileChange,
    Message,
    PolicyDocument,
    PolicyGet,
    PolicySet,
    ProposalSummary,
    RiskSummary,
    changes_hash,
)

USERS = {
    "admin@bench.test": ("admin",),
    "dev@bench.test": ("developer",),
    "lead@bench.test": ("tech_lead",),
}
WARM = 20


def one_approver_policy() -> str:
    """The default policy with one workflow above 5: a tech lead's approval."""
    text = resources.files("accord.policy").joinpath(DEFAULT_POLICY_NAME).read_text("utf-8")
    policy = yaml.safe_load(text)
    workflows = policy["workflows"]
    policy["workflows"] = {
        "standard_development": workflows["standard_development"],
        "reviewed": {
            "triggers": [{"low": 5, "high": 10}],
            "approvers": ["tech_lead"],
            "timeout_hours": 4,
            "on_timeout": "expire",
        },
    }
    return yaml.safe_dump(policy)


BEFORE = resources.files("accord.policy").joinpath("scoring.py").read_text("utf-8")
"""The file each proposal changes (a real module, about 120 lines): the server reviews it."""


def ask(index: int) -> ApprovalRequestParams:
    end = len(BEFORE.splitlines())
    changes = (
        FileChange(
            path="src/scoring.py",
            edits=(TextEdit(range=Range.of(end, 0, end, 0), new_text=f"# change {index}\n"),),
            before_hash=hashlib.sha256(BEFORE.encode()).hexdigest(),
            before=BEFORE,
        ),
    )
    return ApprovalRequestParams(
        project="shop",
        proposal=ProposalSummary(
            proposal_id=f"p-{index}",
            title="Move the password check",
            action="fix",
            files=("src/scoring.py",),
            content_hash=changes_hash(changes),
            changes=changes,
        ),
        risk=RiskSummary(score=6.0, reasons="touches authentication"),
    )


class Requester:
    """Resolves a future per proposal when its ``approved`` push arrives."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[float]] = {}

    def __call__(self, method: str, message: Message) -> None:
        if isinstance(message, ApprovalUpdated) and message.approval.state == "approved":
            waiting = self.waiting.get(message.approval.proposal.proposal_id)
            if waiting is not None and not waiting.done():
                waiting.set_result(time.monotonic())


class Approver:
    """Approves every change it is offered."""

    def __init__(self) -> None:
        self.client: OrgClient | None = None

    async def __call__(self, method: str, message: Message) -> None:
        if isinstance(message, ApprovalUpdated) and message.actionable and self.client:
            view = message.approval
            await self.client.call(
                "approval.decide",
                ApprovalDecide(
                    approval_id=view.id, decision="approve", content_hash=view.proposal.content_hash
                ),
            )


async def signed_in(server: Server, email: str, on_push: Any = None) -> OrgClient:
    client = await OrgClient(server.url, on_push, timeout=30).connect()
    await client.request("authenticate", Authenticate(token=server.tokens[email]), Authenticated)
    return client


async def round_trips(dev: OrgClient, requester: Requester, iterations: int) -> list[float]:
    times = []
    for index in range(iterations + WARM):
        params = ask(index)
        approved = requester.waiting[params.proposal.proposal_id] = (
            asyncio.get_running_loop().create_future()
        )
        start = time.monotonic()
        await dev.call("approval.request", params)
        arrived = await asyncio.wait_for(approved, 30)
        if index >= WARM:
            times.append(arrived - start)
    return times


async def floor(dev: OrgClient, iterations: int) -> list[float]:
    times = []
    for index in range(iterations + WARM):
        start = time.monotonic()
        await dev.request("policy.get", PolicyGet(), PolicyDocument)
        if index >= WARM:
            times.append(time.monotonic() - start)
    return times


async def main(iterations: int, project: bool) -> None:
    # With --project, "shop" is a registered project: every call checks membership and
    # per-project roles (the lead decides as its tech lead).
    teams = {"shop": {"dev@bench.test": ("developer",), "lead@bench.test": ("tech_lead",)}}
    async with org_server(USERS, projects=teams if project else None) as server:
        admin = await signed_in(server, "admin@bench.test")
        await admin.request("policy.set", PolicySet(yaml=one_approver_policy()), PolicyDocument)
        requester, approver = Requester(), Approver()
        dev = await signed_in(server, "dev@bench.test", requester)
        approver.client = await signed_in(server, "lead@bench.test", approver)
        approvals = await round_trips(dev, requester, iterations)
        calls = await floor(dev, iterations)
        for client in (admin, dev, approver.client):
            await client.close()
    a50, a99, amax = quantiles_ms(approvals)
    c50, c99, cmax = quantiles_ms(calls)
    print(f"{iterations} iterations each (after {WARM} warm-up), one org server on 127.0.0.1\n")
    print(f"{'path':<52}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}")
    print(
        f"{'approval.request → approver push → decide → approved':<52}{a50:>8.2f}{a99:>8.2f}"
        f"{amax:>8.2f}"
    )
    print(f"{'policy.get (one call, the floor)':<52}{c50:>8.2f}{c99:>8.2f}{cmax:>8.2f}")
    print(
        f"\nan approval round trip costs {a50 / c50:.1f}x one call at p50 ({a99 / c99:.1f}x at "
        "p99): two calls, two pushes and two durable writes (each with its audit events)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument(
        "--project", action="store_true", help="register the project (membership checks on)"
    )
    options = parser.parse_args()
    asyncio.run(main(options.iterations, options.project))
