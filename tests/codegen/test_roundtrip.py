"""Every platform's emitter and lifter are inverse on random schemas, and every emitted file
parses with no ERROR or MISSING node."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from accord.codegen.emit import emit
from accord.codegen.ir import Schema
from accord.codegen.lift import lift
from accord.codegen.packs import builtin_pack
from accord.codegen.platforms import all_platforms, platform
from accord.codegen.syntax import syntax_problems

from .strategies import schemas, schemas_with_unions

LIFTABLE = [name for name, p in all_platforms().items() if p.lifts]


@pytest.mark.parametrize("target", LIFTABLE)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas())
def test_lift_of_emit_is_the_schema(target: str, schema: Schema) -> None:
    assert_round_trip(schema, target)


@pytest.mark.parametrize("target", [t for t in LIFTABLE if builtin_pack().emits("unions", t)])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas_with_unions())
def test_lift_of_emit_is_the_schema_with_unions(target: str, schema: Schema) -> None:
    assert_round_trip(schema, target)


def assert_round_trip(schema: Schema, target: str) -> None:
    """``schema`` emitted for ``target`` parses cleanly and lifts back to itself."""
    text = emit(schema, target)
    assert syntax_problems(text, platform(target)) == []
    assert lift(text, target) == schema
