"""The shop domain of the golden tests."""

from __future__ import annotations

from pathlib import Path

from accord.codegen.gen import GeneratedFile, translate

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "codegen" / "Shop.kt"


def shop_in(target: str) -> GeneratedFile:
    [file] = translate(SHOP.read_text("utf-8"), str(SHOP.relative_to(ROOT)), [target])
    return file
