"""Emitted code compiled or run by the platform's own tools, where this machine has them.

Python: the module is imported and the models validate a sample. TypeScript: ``tsc --strict``
with zod, from ``.venv/codegen-node`` (``.ci/run`` installs it from npm). Java: ``javac`` (the
file needs nothing beyond the JDK). Go: ``go vet`` in a throwaway module (``.ci/run`` installs
Debian's golang-go). Rust: the domain's crate (its generated ``mod.rs`` included) is built by
``cargo --offline`` against Debian's packaged serde, chrono, uuid and rust_decimal crates, with
warnings as errors, and its types round-trip wire JSON. Dart, Swift and Kotlin have no compiler
here: their output is checked by parsing alone.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from .domain import domain_in
from .shop import shop_in

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / ".venv" / "codegen-node"
TSC = NODE / "node_modules" / ".bin" / "tsc"


def test_the_python_output_imports_and_validates(tmp_path: Path) -> None:
    file = shop_in("python")
    path = tmp_path / file.name
    path.write_text(file.text, "utf-8")
    spec = importlib.util.spec_from_file_location("shop_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["shop_models"] = module
    try:
        spec.loader.exec_module(module)
        order = module.Order.model_validate(
            {
                "id": "4f7d1c2e-1111-4222-8333-944455556666",
                "user_id": "4f7d1c2e-1111-4222-8333-944455556667",
                "lines": [{"sku": "A-1", "unit_price": "9.99"}],
                "metadata": {},
            }
        )
    finally:
        del sys.modules["shop_models"]
    assert order.status == "pending" and order.lines[0].quantity == 1


@pytest.mark.skipif(
    not TSC.exists() or shutil.which("node") is None,
    reason="tsc not installed: npm install --prefix .venv/codegen-node "
    "typescript@5 zod@3 (as .ci/run does)",
)
def test_the_typescript_output_type_checks() -> None:
    file = shop_in("typescript")
    folder = NODE / "check"
    folder.mkdir(exist_ok=True)
    (folder / file.name).write_text(file.text, "utf-8")
    done = subprocess.run(
        [
            str(TSC),
            "--strict",
            "--noEmit",
            "--target",
            "es2020",
            "--moduleResolution",
            "node",
            str(folder / file.name),
        ],
        capture_output=True,
        text=True,
        cwd=NODE,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("javac") is None, reason="javac not installed (OpenJDK 17+)")
def test_the_java_output_compiles(tmp_path: Path) -> None:
    file = shop_in("java")
    (tmp_path / file.name).write_text(file.text, "utf-8")
    done = subprocess.run(
        ["javac", "-Xlint:all", "-Werror", "-d", str(tmp_path / "out"), str(tmp_path / file.name)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(
    shutil.which("go") is None,
    reason="go not installed: apt-get install golang-go (as .ci/run does)",
)
def test_the_go_output_vets(tmp_path: Path) -> None:
    file = shop_in("go")
    (tmp_path / file.name).write_text(file.text, "utf-8")
    (tmp_path / "go.mod").write_text("module example.com/shop\n\ngo 1.19\n", "utf-8")
    done = subprocess.run(
        ["go", "vet", "./..."], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _python_package(root: Path) -> Path:
    """The domain's Python output written as package ``acme_models`` under ``root``."""
    package = root / "acme_models"
    package.mkdir()
    (package / "__init__.py").write_text("", "utf-8")
    for file in domain_in("python"):
        (package / file.name).write_text(file.text, "utf-8")
    return package


def test_the_domain_python_package_imports_validates_and_is_ruff_clean(tmp_path: Path) -> None:
    package = _python_package(tmp_path)
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F,I",
         str(package)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("acme_models.network_user")
        user = module.NetworkUser.model_validate(
            {"user_id": "u1", "createdAt": "2026-01-01T00:00:00Z", "wishlist": [{"sku": "A",
             "name": "Mug"}]}
        )  # fmt: skip
        payment = TypeAdapter(module.Payment).validate_python({"type": "transfer", "iban": "X1"})
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("acme_models")]:
            del sys.modules[name]
    assert user.wishlist[0].tags == ["new"] and user.shipments == []
    assert type(payment).__name__ == "Transfer" and payment.iban == "X1"


# Run in a fresh interpreter: imports one module of the package first, then validates a
# Delivered that refers back to its union (delivered.py and tracking.py import each other).
_CYCLE = """
import importlib, sys
from pydantic import TypeAdapter
importlib.import_module("acme_models." + sys.argv[1])
from acme_models.tracking import TrackingEvent
wire = {"type": "delivered", "shipmentId": "s1", "at": "2026-03-01T10:15:00Z",
        "corrects": {"type": "delivered", "shipmentId": "s0", "at": "2026-03-01T09:00:00Z"}}
event = TypeAdapter(TrackingEvent).validate_python(wire)
print(type(event).__name__, type(event.corrects).__name__, event.corrects.shipment_id)
"""


@pytest.mark.parametrize("first", ["delivered", "tracking", "shipment"])
def test_python_modules_that_import_each_other_import_in_any_order(
    tmp_path: Path, first: str
) -> None:
    _python_package(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _CYCLE, first],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Delivered", "Delivered", "s0"]


def test_the_python_time_types_read_and_write_what_kotlinx_serialization_does(
    tmp_path: Path,
) -> None:
    [store] = [f for f in domain_in("python") if f.name == "store.py"]
    path = tmp_path / "acme_store.py"
    path.write_text(store.text, "utf-8")
    spec = importlib.util.spec_from_file_location("acme_store", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["acme_store"] = module
    try:
        spec.loader.exec_module(module)
        wire = {"opensAt": "09:00:00", "closesAt": "18:30:00",
                "lastChange": "2026-03-01T10:15:00", "slotLength": "PT30M"}  # fmt: skip
        hours = module.OpeningHours.model_validate(wire)
        with pytest.raises(ValueError, match="lastChange"):  # a zone is no local date-time
            module.OpeningHours.model_validate({**wire, "lastChange": "2026-03-01T10:15:00Z"})
    finally:
        del sys.modules["acme_store"]
    assert hours.slot_length.total_seconds() == 1800
    assert hours.model_dump(mode="json", by_alias=True) == wire


@pytest.mark.skipif(
    not TSC.exists() or shutil.which("node") is None,
    reason="tsc not installed: npm install --prefix .venv/codegen-node "
    "typescript@5 zod@3 (as .ci/run does)",
)
def test_the_domain_typescript_type_checks() -> None:
    folder = NODE / "domain"
    folder.mkdir(exist_ok=True)
    names = []
    for file in domain_in("typescript"):
        (folder / file.name).write_text(file.text, "utf-8")
        names.append(str(folder / file.name))
    done = subprocess.run(
        [str(TSC), "--strict", "--noEmit", "--target", "es2020", "--moduleResolution", "node",
         *names],
        capture_output=True, text=True, cwd=NODE, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


# Loads one module of the compiled domain first, then parses a Delivered that refers back to
# its union (delivered.ts and tracking.ts import each other).
_TS_CYCLE = """
require("./" + process.argv[2]);
const { TrackingEventSchema } = require("./tracking");
const event = TrackingEventSchema.parse({type: "delivered", shipmentId: "s1",
  at: "2026-03-01T10:15:00Z", corrects: {type: "picked_up", shipmentId: "s0",
  at: "2026-03-01T09:00:00Z", place: null, carrier: "la_poste"}});
console.log(event.type, event.corrects.type, event.corrects.carrier);
"""


@pytest.mark.skipif(
    not TSC.exists() or shutil.which("node") is None,
    reason="tsc not installed: npm install --prefix .venv/codegen-node "
    "typescript@5 zod@3 (as .ci/run does)",
)
@pytest.mark.parametrize("first", ["delivered", "tracking"])
def test_the_domain_typescript_modules_that_import_each_other_load_in_any_order(
    first: str,
) -> None:
    folder = NODE / f"domain-run-{first}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    names = []
    for file in domain_in("typescript"):
        (folder / file.name).write_text(file.text, "utf-8")
        names.append(str(folder / file.name))
    built = subprocess.run(
        [str(TSC), "--strict", "--target", "es2020", "--module", "commonjs",
         "--moduleResolution", "node", "--outDir", str(folder), *names],
        capture_output=True, text=True, cwd=NODE, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (folder / "run.js").write_text(_TS_CYCLE, "utf-8")
    done = subprocess.run(
        ["node", "run.js", first], capture_output=True, text=True, cwd=folder, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["delivered", "picked_up", "la_poste"]


@pytest.mark.skipif(shutil.which("javac") is None, reason="javac not installed (OpenJDK 17+)")
def test_the_domain_java_compiles_without_warnings(tmp_path: Path) -> None:
    names = []
    for file in domain_in("java"):
        (tmp_path / file.name).write_text(file.text, "utf-8")
        names.append(str(tmp_path / file.name))
    done = subprocess.run(
        ["javac", "-Xlint:all", "-Werror", "-d", str(tmp_path / "out"), *names],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(
    shutil.which("go") is None, reason="go not installed: apt-get install golang-go"
)
def test_the_domain_go_vets(tmp_path: Path) -> None:
    for file in domain_in("go"):
        (tmp_path / file.name).write_text(file.text, "utf-8")
    (tmp_path / "go.mod").write_text("module example.com/acme\n\ngo 1.19\n", "utf-8")
    done = subprocess.run(
        ["go", "vet", "./..."], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


# Debian's packaged crates (apt-get install librust-serde-dev … as .ci/run does).
CRATES = Path("/usr/share/cargo/registry")
_CARGO_TOML = """[package]
name = "acme_models"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
uuid = { version = "1", features = ["serde"] }
rust_decimal = { version = "1", features = ["serde"] }
"""
_OFFLINE = '[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "{}"\n'
# Wire JSON decoded into the generated types and encoded back unchanged.
_RUST_TEST = r"""
#[cfg(test)]
mod wire {
    use super::models::network_user::Payment;
    use super::models::store::OpeningHours;
    use super::models::tracking::TrackingEvent;

    fn same<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let decoded: T = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    }

    #[test]
    fn round_trips() {
        same::<Payment>(r#"{"type": "transfer", "iban": "X1"}"#);
        same::<TrackingEvent>(
            r#"{"type": "delivered", "shipmentId": "s1", "at": "2026-03-01T10:15:00Z",
                "signedBy": null, "corrects": {"type": "delivered", "shipmentId": "s0",
                "at": "2026-03-01T09:00:00Z", "signedBy": "Ann", "corrects": null}}"#,
        );
        same::<OpeningHours>(
            r#"{"opensAt": "09:00:00", "closesAt": "18:30:00",
                "lastChange": "2026-03-01T10:15:00", "slotLength": "PT30M"}"#,
        );
    }
}
"""


@pytest.mark.skipif(
    shutil.which("cargo") is None or not any(CRATES.glob("rust_decimal-*")),
    reason="cargo or Debian's crates missing: apt-get install cargo librust-serde-dev "
    "librust-serde-derive-dev librust-serde-json-dev librust-chrono-dev librust-uuid-dev "
    "librust-rust-decimal-dev (as .ci/run does)",
)
def test_the_domain_rust_crate_builds_without_warnings_and_round_trips(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text(_CARGO_TOML, "utf-8")
    (tmp_path / ".cargo").mkdir()
    (tmp_path / ".cargo" / "config.toml").write_text(_OFFLINE.format(CRATES), "utf-8")
    models = tmp_path / "src" / "models"
    models.mkdir(parents=True)
    names = []
    for file in domain_in("rust"):
        (models / file.name).write_text(file.text, "utf-8")
        names.append(file.name)
    assert "mod.rs" in names  # the module tree is generated, not written by hand
    (tmp_path / "src" / "lib.rs").write_text("pub mod models;\n" + _RUST_TEST, "utf-8")
    env = {**os.environ, "CARGO_HOME": str(tmp_path / ".home"), "RUSTFLAGS": "-D warnings"}
    done = subprocess.run(
        ["cargo", "test", "--offline", "--quiet"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
