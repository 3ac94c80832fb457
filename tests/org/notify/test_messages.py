"""What a notice says: the diff summarised with its secrets redacted; the webhook signature;
the settings' validation and masking."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from accord.org.notify.messages import summarise
from accord.org.notify.settings import OrgNotify
from accord.org.notify.signing import sign, verify

DIFF = """\
--- a/app/settings.py
+++ b/app/settings.py
@@ -1,2 +1,3 @@
 DEBUG = False
-DATABASE_URL = "postgresql://app:Pa55w0rd!Qx7@db.internal/app"
+DATABASE_URL = os.environ["DATABASE_URL"]
+STRIPE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
--- a/README.md
+++ b/README.md
@@ -1 +1,2 @@
 # App
+Set DATABASE_URL.
"""


def test_a_summary_counts_each_files_lines_and_shows_changed_lines_without_secrets() -> None:
    shown = summarise(DIFF)
    assert "app/settings.py: +2 -1" in shown and "README.md: +1 -0" in shown
    assert "Pa55w0rd!Qx7" not in shown and "sk_live_4eC39HqLyjWDarjtT1zdp7dc" not in shown
    assert "[REDACTED]" in shown and '+DATABASE_URL = os.environ["DATABASE_URL"]' in shown


def test_a_long_diff_is_cut_and_says_how_much_more_there_is() -> None:
    lines = "\n".join(f"+line {n}" for n in range(40))
    shown = summarise(f"--- a/x.py\n+++ b/x.py\n@@ -0,0 +1,40 @@\n{lines}\n")
    assert "x.py: +40 -0" in shown and "… 28 more changed lines" in shown
    assert "+line 11" in shown and "+line 12" not in shown


def test_a_signature_verifies_only_with_its_secret_its_body_and_a_recent_timestamp() -> None:
    body = b'{"text":"hello"}'
    signature = sign("s3cret-of-sixteen+", 1_700_000_000, body)
    assert signature.startswith("v1=")
    assert verify("s3cret-of-sixteen+", "1700000000", body, signature, 1_700_000_100)
    assert not verify("another-secret-16", "1700000000", body, signature, 1_700_000_100)
    assert not verify("s3cret-of-sixteen+", "1700000000", body + b" ", signature, 1_700_000_100)
    assert not verify("s3cret-of-sixteen+", "1700000000", body, signature, 1_700_001_000)  # replay
    assert not verify("s3cret-of-sixteen+", "yesterday", body, signature, 1_700_000_100)


def test_settings_refuse_what_cannot_work_and_show_no_secret() -> None:
    with pytest.raises(ValidationError, match="not an http"):
        OrgNotify.model_validate(
            {"webhooks": [{"name": "a", "url": "file:///etc/passwd", "secret": "x" * 16}]}
        )
    with pytest.raises(ValidationError, match="at least 16"):
        OrgNotify.model_validate(
            {"webhooks": [{"name": "a", "url": "https://h.test/x", "secret": "short"}]}
        )
    with pytest.raises(ValidationError, match="Extra inputs"):
        OrgNotify.model_validate({"webhook": []})
    settings = OrgNotify.model_validate(
        {
            "base_url": "https://accord.acme.test/",
            "webhooks": [{"name": "a", "url": "https://h.test/x", "secret": "y" * 20}],
            "email": {"host": "smtp.acme.test", "sender": "a@acme.test", "password": "pw-123"},
        }
    )
    assert settings.base_url == "https://accord.acme.test"
    shown = str(settings.shown())
    assert "y" * 20 not in shown and "pw-123" not in shown
