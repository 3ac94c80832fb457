"""The org server's logs: plain text, or one JSON object per line for log collectors."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

__all__ = ["configure"]


class JsonLines(logging.Formatter):
    """``{"ts", "level", "logger", "message"}`` plus the exception, if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(form: str = "text", level: int = logging.INFO) -> None:
    """Log to stderr as ``form`` (text or json)."""
    handler = logging.StreamHandler()
    if form == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("accord.org.websockets").setLevel(logging.WARNING)
    for chatty in ("httpx", "httpx2", "httpcore"):  # a line per request to an SSO provider
        logging.getLogger(chatty).setLevel(logging.WARNING)
