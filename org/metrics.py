"""The org server's Prometheus metrics, all named ``accord_…``, in a registry of their own."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["Metrics"]


class Metrics:
    """Counters, gauges and histograms of one org server process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.connections = Gauge(
            "accord_connections", "Open WebSocket connections", ["state"], registry=self.registry
        )
        for state in ("open", "authenticated"):  # scraped as 0 before the first connection
            self.connections.labels(state=state)
        self.messages = Counter(
            "accord_messages_total",
            "JSON-RPC messages received, by method and outcome",
            ["method", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "accord_request_seconds",
            "Time to answer a request, by method",
            ["method"],
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.approvals = Counter(
            "accord_approval_transitions_total",
            "Approval requests entering each state",
            ["state"],
            registry=self.registry,
        )
        self.audit_appends = Counter(
            "accord_audit_appends_total", "Events appended to audit chains", registry=self.registry
        )
        self.audit_rollbacks = Counter(
            "accord_audit_rollbacks_total",
            "Audit heads found behind (or off) a checkpoint signed before: a truncated chain",
            registry=self.registry,
        )
        self.room_events = Counter(
            "accord_room_events_total", "Events published into rooms", registry=self.registry
        )
        self.auth_failures = Counter(
            "accord_auth_failures_total",
            "Refused authentications, by reason",
            ["reason"],
            registry=self.registry,
        )

        self.refused_connections = Counter(
            "accord_refused_connections_total",
            "Connections refused before authentication, by the cap they were over",
            ["reason"],
            registry=self.registry,
        )
        self.quota_refusals = Counter(
            "accord_quota_refusals_total",
            "Calls refused for being over the user's quota, by method and quota (events, bytes)",
            ["method", "quota"],
            registry=self.registry,
        )
        self.session_renewals = Counter(
            "accord_session_renewals_total",
            "Authenticated connections given a new access token (re-authenticate)",
            registry=self.registry,
        )
        self.risk_claims = Counter(
            "accord_risk_claims_total",
            "Requesters' risk scores against the server's own: agreed, understated, overstated",
            ["outcome"],
            registry=self.registry,
        )
        self.refused_writes = Counter(
            "accord_refused_writes_total",
            "Client writes refused as not theirs to make, by method and event type",
            ["method", "type"],
            registry=self.registry,
        )
        self.bus_dropped = Counter(
            "accord_bus_dropped_total",
            "Frames from the bus that were not delivered (forged, replayed, stale, malformed, "
            "unknown)",
            ["reason"],
            registry=self.registry,
        )
        self.notifications = Counter(
            "accord_notifications_total",
            "Notification attempts by channel and outcome (delivered, retry, failed, held: "
            "waiting for quiet hours to end)",
            ["channel", "outcome"],
            registry=self.registry,
        )

    def bus_drop(self, reason: str) -> None:
        self.bus_dropped.labels(reason=reason).inc()

    def approval(self, state: str) -> None:
        self.approvals.labels(state=state).inc()

    def exposition(self) -> bytes:
        """The text exposition format, as served at ``/metrics``."""
        return generate_latest(self.registry)
