"""The rule registry: identities known without importing any check, and checks that carry them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from accord.analyzers.rules import all_rules, rule_checks


def test_every_check_carries_its_rules_identity() -> None:
    checks = rule_checks()
    assert [rule.code for rule in all_rules().values()] == list(
        dict.fromkeys(r.code for r in checks)
    )
    for rule in checks:
        identity = all_rules()[rule.code]
        assert rule == replace(identity, check=rule.check, scope=rule.scope)
    assert {rule.scope for rule in checks if rule.code == "ACC005"} == {"chunk", "file"}


def test_the_rules_are_known_without_importing_a_check() -> None:
    probe = (
        "import sys; from accord.analyzers.rules import all_rules; all_rules(); "
        "print(sorted(m for m in sys.modules if m.startswith('accord.analyzers.rules.')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
