"""The shop example (users, orders, payments) translated to every platform, against golden files.

Set ACCORD_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.codegen.lift import lift
from accord.codegen.platforms import all_platforms

from .shop import SHOP, shop_in

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("target", list(all_platforms()))
def test_the_shop_model_matches_its_golden_file(target: str) -> None:
    file = shop_in(target)
    golden = GOLDEN / target / file.name
    if os.environ.get("ACCORD_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(file.text, "utf-8")
    assert file.text == golden.read_text("utf-8")


@pytest.mark.parametrize("target", [name for name, p in all_platforms().items() if p.lifts])
def test_every_golden_file_lifts_back_to_the_kotlin_model(target: str) -> None:
    kotlin = lift(SHOP.read_text("utf-8"), "kotlin")
    golden = GOLDEN / target / shop_in(target).name
    assert lift(golden.read_text("utf-8"), target) == kotlin
