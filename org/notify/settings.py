"""What an organisation configures for notifications (kept in the org store, set with
``accord org notify set``): its webhooks, its SMTP server, the console's address, when reminders
go out and how delivery is retried."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Delivery", "OrgNotify", "Smtp", "Webhook"]

_MASK = "********"


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _web_address(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an http:// or https:// address")
    return value


class Webhook(_Settings):
    """A team channel's incoming webhook; every post is signed with ``secret`` (HMAC-SHA256)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    url: str = Field(max_length=2000)
    format: Literal["slack", "teams"] = "slack"
    secret: str = Field(min_length=16, max_length=200)

    _url = field_validator("url")(_web_address)


class Smtp(_Settings):
    """The SMTP server e-mail goes through: ``starttls`` (the default) upgrades a plain
    connection, ``tls`` connects over TLS, ``none`` only for a relay on the same host."""

    host: str = Field(min_length=1, max_length=255)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str = Field(default="", max_length=255)
    password: str = Field(default="", max_length=500)
    sender: str = Field(min_length=3, max_length=255)
    ca_file: str | None = Field(default=None, max_length=1000)
    """A PEM bundle to verify the server with, instead of the system's."""


class Delivery(_Settings):
    """Retries: attempt ``n`` (from 1) that fails waits ``backoff_seconds * 2**(n-1)`` (at most
    an hour) before the next; after ``attempts`` the notice is recorded as failed."""

    attempts: int = Field(default=6, ge=1, le=20)
    backoff_seconds: float = Field(default=30.0, gt=0, le=3600)
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)


class OrgNotify(_Settings):
    """An organisation's notification settings."""

    base_url: str = Field(default="", max_length=2000)
    """The console's address: notices link to ``{base_url}/console/approvals/{id}``."""
    webhooks: tuple[Webhook, ...] = Field(default=(), max_length=20)
    email: Smtp | None = None
    remind_before_minutes: float = Field(default=60.0, ge=0, le=10_080)
    """Approvers who have not acted are reminded this long before the deadline (0: never)."""
    delivery: Delivery = Delivery()

    @field_validator("base_url")
    @classmethod
    def _base(cls, value: str) -> str:
        return _web_address(value).rstrip("/") if value else value

    def webhook(self, name: str) -> Webhook | None:
        return next((w for w in self.webhooks if w.name == name), None)

    def shown(self) -> dict[str, Any]:
        """The settings with every secret masked (for ``accord org notify show``)."""
        shown = self.model_dump(mode="json")
        for hook in shown["webhooks"]:
            hook["secret"] = _MASK
        if shown["email"] and shown["email"]["password"]:
            shown["email"]["password"] = _MASK
        return shown
