"""A Kotlin source set (several packages, typealiases, value classes, nested classes, collection
defaults, Room and kotlinx.serialization annotations) lifted as one: every declaration is
translated or named with its file and line, and `accord gen` says which in its exit status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.cli import main
from accord.codegen.emit import emit
from accord.codegen.gen import translate_set
from accord.codegen.ir import (
    Alias,
    Default,
    EntityType,
    ListType,
    MapType,
    OptionalType,
    ScalarType,
)
from accord.codegen.lift import lift
from accord.codegen.platforms import platform
from accord.codegen.sourceset import lift_set

from .domain import DOMAIN, PLATFORMS, domain_in, lifted_domain

GOLDEN = Path(__file__).parent / "golden" / "domain"
KT = "src/main/kotlin/com/acme/"


def test_every_model_is_translated_across_files_and_packages() -> None:
    lifted = lifted_domain()
    entities = {e.name: e for e in lifted.schema.entities}
    assert sorted(entities) == [
        "Card", "Cash", "DataUser", "Delivered", "Dimensions", "Holiday", "ModelUser",
        "NetworkUser", "OpeningHours", "Parcel", "PickedUp", "Product", "Shipment", "Transfer",
        "UserEntity",
    ]  # fmt: skip
    assert sorted(e.name for e in lifted.schema.enums) == ["Carrier", "Color"]
    product = {f.name: f for f in entities["Product"].fields}
    assert product["sku"].type == EntityType(name="Sku")  # value class Sku(val value: String)
    assert lifted.schema.aliases == (
        Alias(name="Sku", scalar="string", doc="A stock-keeping unit."),
    )
    assert product["dimensions"].type.inner == EntityType(name="Dimensions")  # type: ignore[union-attr]
    assert product["tags"].default == Default(value=["new"])
    assert "cached" not in product  # @Transient
    user = {f.name: f for f in entities["NetworkUser"].fields}
    assert list(user) == ["user_id", "createdAt", "lastSeen", "wishlist", "shipments", "profile"]
    assert user["wishlist"].type == ListType(item=EntityType(name="Product"))  # import alias
    shipment = {f.name: f for f in entities["Shipment"].fields}
    assert shipment["labels"].type == MapType(value=ScalarType(scalar="int"))
    assert shipment["labels"].default == Default(value={"front": 1, "back": 2})
    assert shipment["carrier"].default == Default(value="DHL")


def test_each_declaration_left_out_is_named_with_its_file_and_line() -> None:
    assert [str(n) for n in lifted_domain().notices] == [
        f"{KT}catalog/Catalog.kt:30: note: a computed property is not part of the model",
        f"{KT}catalog/Catalog.kt:28: note: `cached` is @Transient: not on the wire",
        f"{KT}data/UserEntity.kt:18: warning: `UserRepository` is not a model (a data class, "
        "@Serializable class or enum): not translated",
        f"{KT}network/NetworkUser.kt:20: note: constructor parameter `followed` is not a property",
        f"{KT}shipping/Delivered.kt:17: note: a computed property is not part of the model",
    ]


def test_one_simple_name_in_two_packages_is_resolved_by_package_and_imports() -> None:
    lifted = lifted_domain()
    entities = {e.name: {f.name: f.type for f in e.fields} for e in lifted.schema.entities}
    assert entities["ModelUser"]["account"].inner == EntityType(name="DataUser")  # type: ignore[attr-defined]
    assert entities["UserEntity"]["account"].inner == EntityType(name="DataUser")  # type: ignore[attr-defined]
    assert entities["NetworkUser"]["profile"].inner == EntityType(name="ModelUser")  # type: ignore[attr-defined]
    assert lifted.origins["ModelUser"] == f"{KT}model/User.kt"
    assert lifted.origins["DataUser"] == f"{KT}data/User.kt"
    assert lifted.lines["DataUser"] == 7


def test_the_properties_of_a_sealed_class_are_carried_by_each_subclass() -> None:
    lifted = lifted_domain(["TrackingEvent"])
    entities = {e.name: e for e in lifted.schema.entities}
    picked, delivered = entities["PickedUp"], entities["Delivered"]
    # The sealed class's constructor properties first (kotlinx.serialization's order), then
    # the subclass's own; `place` (abstract) is on the wire where a constructor property
    # overrides it, and left out with a note where a getter computes it.
    assert [f.name for f in picked.fields] == ["shipmentId", "at", "place", "carrier"]
    assert [f.name for f in delivered.fields] == ["shipmentId", "at", "signedBy", "corrects"]
    assert picked.fields[0].doc == "The shipment it happened to."
    assert delivered.fields[1].type == ScalarType(scalar="date-time")
    [union] = lifted.schema.unions
    assert [(v.tag, v.entity) for v in union.variants] == [
        ("delivered", "Delivered"),  # in the order of the files, as the entities are
        ("picked_up", "PickedUp"),
    ]


@pytest.mark.parametrize("target", [t for t in PLATFORMS if platform(t).lifts])
def test_the_carried_properties_lift_back_from_every_platform(target: str) -> None:
    schema = lifted_domain(["TrackingEvent"]).schema
    assert lift(emit(schema, target), target) == schema


def test_local_times_local_date_times_and_durations_are_their_own_scalars() -> None:
    [hours] = lifted_domain(["OpeningHours"]).schema.entities
    assert {f.name: f.type for f in hours.fields} == {
        "opensAt": ScalarType(scalar="time"),  # java.time.LocalTime
        "closesAt": ScalarType(scalar="time"),
        "lastChange": OptionalType(inner=ScalarType(scalar="local-date-time")),  # no zone
        "slotLength": ScalarType(scalar="duration"),  # kotlin.time.Duration
    }


@pytest.mark.parametrize("target", [t for t in PLATFORMS if platform(t).lifts])
def test_the_time_scalars_lift_back_from_every_platform(target: str) -> None:
    schema = lifted_domain(["OpeningHours"]).schema
    assert lift(emit(schema, target), target) == schema


def test_enum_properties_are_carried() -> None:
    [color] = [e for e in lifted_domain().schema.enums if e.name == "Color"]
    assert color.values == ("red", "green", "BLUE")
    assert [(p.name, p.values) for p in color.properties] == [
        ("rgb", (0xFF0000, 0x00FF00, 0x0000FF)),
        ("label", ("Red", "Green", "Blue")),
    ]


def test_a_sealed_hierarchy_is_a_union_with_its_serial_names() -> None:
    [union] = lifted_domain(["Payment"]).schema.unions
    assert union.name == "Payment" and union.discriminator == "type"
    assert [(v.tag, v.entity) for v in union.variants] == [
        ("card", "Card"),
        ("transfer", "Transfer"),
        ("cash", "Cash"),
    ]


def test_a_type_asked_for_comes_with_its_closure_only() -> None:
    lifted = lifted_domain(["Shipment"])
    assert [e.name for e in lifted.schema.entities] == [
        "Product",
        "Dimensions",
        "Parcel",
        "Shipment",
    ]
    assert [e.name for e in lifted.schema.enums] == ["Color", "Carrier"]


@pytest.mark.parametrize("target", PLATFORMS)
def test_the_domain_matches_its_golden_files(target: str) -> None:
    files = domain_in(target)
    folder = GOLDEN / target
    if os.environ.get("ACCORD_UPDATE_GOLDEN"):
        folder.mkdir(parents=True, exist_ok=True)
        for file in files:
            (folder / file.name).write_text(file.text, "utf-8")
    assert sorted(f.name for f in files) == sorted(p.name for p in folder.iterdir())
    for file in files:
        assert file.text == (folder / file.name).read_text("utf-8"), file.name


def test_gen_writes_one_file_per_source_file_and_exits_0_with_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["gen", "--from", str(DOMAIN), "--to", "python,swift", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "Catalog.swift", "DataUser.swift", "Delivered.swift", "Ids.swift", "ModelUser.swift",
        "NetworkUser.swift", "Shipment.swift", "Store.swift", "Tracking.swift", "UserEntity.swift",
        "catalog.py", "data_user.py", "delivered.py", "ids.py", "model_user.py", "network_user.py",
        "shipment.py", "store.py", "tracking.py", "user_entity.py",
    ]  # fmt: skip
    err = capsys.readouterr().err
    assert "UserEntity.kt:18: warning: `UserRepository` is not a model" in err


def test_strict_gen_writes_nothing_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    status = main(["gen", "--from", str(DOMAIN), "--to", "go", "--strict", "--out", str(out)])
    assert status == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "UserEntity.kt:18: error: `UserRepository` is not a model" in err
    assert "1 declaration not translated (--strict)" in err


def test_strict_gen_of_a_clean_closure_exits_0(tmp_path: Path) -> None:
    args = ["gen", "--from", str(DOMAIN), "--type", "Shipment", "--to", "go", "--strict"]
    assert main([*args, "--out", str(tmp_path)]) == 0  # UserRepository is outside the closure
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.go", "ids.go", "shipment.go"]


def test_a_type_asked_for_that_is_not_translated_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["gen", "--from", str(DOMAIN), "--type", "UserRepository", "--to", "go"]) == 2
    err = capsys.readouterr().err
    assert "--type UserRepository is not translated: " in err
    assert "UserEntity.kt:18: warning: `UserRepository` is not a model" in err


def test_an_unknown_type_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gen", "--from", str(DOMAIN), "--type", "Nope", "--to", "go"]) == 2
    assert "--type Nope is not translated: no model of that name" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("names", "texts"),
    [
        (
            ("a/user.ts", "b/order.ts"),
            (
                "export interface User {\n  id: string;\n  role: Role;\n}\n"
                'export type Role = "admin" | "member";\n',
                "export interface Order {\n  buyer: User;\n  roles: Role[];\n}\n",
            ),
        ),
        (
            ("User.swift", "Order.swift"),
            (
                "struct User {\n    var id: String\n}\n",
                "struct Order {\n    var buyer: User\n    var others: [User]\n}\n",
            ),
        ),
        (
            ("user.py", "order.py"),
            (
                "from pydantic import BaseModel\n\nclass User(BaseModel):\n    id: str\n",
                "from pydantic import BaseModel\n\nfrom .user import User\n\n"
                "class Order(BaseModel):\n    buyer: User\n",
            ),
        ),
    ],
)
def test_swift_typescript_and_python_source_sets_resolve_across_files(
    names: tuple[str, str], texts: tuple[str, str]
) -> None:
    lifted = lift_set(list(zip(names, texts, strict=True)))
    assert lifted.warnings == []
    order = next(e for e in lifted.schema.entities if e.name == "Order")
    assert order.fields[0].type == EntityType(name="User")
    assert lifted.origins["User"] == names[0] and lifted.origins["Order"] == names[1]


def test_a_reference_outside_the_set_is_a_warning_at_its_line() -> None:
    lifted = lift_set([("Order.swift", "struct Order {\n    var buyer: User\n}\n")])
    assert [str(w) for w in lifted.warnings] == [
        "Order.swift:2: warning: type `User` is neither supported nor declared in the source set"
    ]


def test_a_sealed_hierarchy_takes_its_subclasses_from_other_files() -> None:
    shape = (
        "package s\n\n@Serializable\nsealed interface Shape\n\n"
        '@Serializable\n@SerialName("circle")\ndata class Circle(val r: Double) : Shape\n'
    )
    others = (
        'package s\n\n@Serializable\n@SerialName("square")\n'
        "data class Square(val side: Double) : Shape\n\n@Serializable\ndata object Dot : Shape\n"
    )
    lifted = lift_set([("s/Shape.kt", shape), ("s/Others.kt", others)])
    [union] = lifted.schema.unions
    assert [(v.tag, v.entity) for v in union.variants] == [
        ("circle", "Circle"),
        ("square", "Square"),
        ("s.Dot", "Dot"),  # kotlinx.serialization's default: the qualified name
    ]
    assert lifted.notices == []


def test_two_source_files_of_one_name_write_two_files() -> None:
    files = [
        ("app/model/User.kt", "data class User(val id: String)\n"),
        ("app/network/User.kt", "data class NetworkUser(val user: User)\n"),
    ]
    generated = translate_set(lift_set(files), ["python"])
    assert [f.name for f in generated] == ["model_user.py", "network_user.py"]
    assert "from .model_user import User" in generated[1].text
