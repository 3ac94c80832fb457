"""One simple name declared in two packages: package-qualified IR names, and each file's
references resolved by its package and imports."""

from __future__ import annotations

from accord.codegen.gen import translate_set
from accord.codegen.ir import EntityType
from accord.codegen.packages import Packaged, package_of, qualify
from accord.codegen.sourceset import lift_set

USER = "package app.{0}\n\n@Serializable\ndata class User(val {1}: String)\n"


def test_the_names_are_qualified_by_as_few_package_segments_as_tell_them_apart() -> None:
    files = [
        Packaged("a.kt", "app.model", frozenset({"User"})),
        Packaged("b.kt", "app.network", frozenset({"User", "NetworkUser"})),
        Packaged("c.kt", "lib.network", frozenset({"User"})),
    ]
    qualifier = qualify(files)
    assert qualifier.renames["a.kt"] == {"User": "AppModelUser"}
    assert qualifier.renames["b.kt"] == {"User": "AppNetworkUser"}  # NetworkUser is taken
    assert qualifier.qualified["lib.network.User"] == "LibNetworkUser"


def test_a_files_package_is_its_package_line_or_its_folder() -> None:
    java = package_of(
        "x/A.java", "package a.b;\n\nimport a.c.User;\nimport a.d.*;\n", "java", frozenset()
    )
    assert (java.package, java.imports, java.wildcards) == ("a.b", {"a.c.User"}, {"a.d"})
    assert package_of("app/model/user.ts", "", "typescript", frozenset()).package == "app.model"


def test_an_explicit_import_a_wildcard_and_the_own_package_decide() -> None:
    files = [
        ("app/model/User.kt", USER.format("model", "name")),
        ("app/network/User.kt", USER.format("network", "login")),
        ("app/network/Session.kt", "package app.network\n\n@Serializable\ndata class Session(val user: User)\n"),
        ("app/ui/Screen.kt", "package app.ui\n\nimport app.model.*\n\n@Serializable\ndata class Screen(val user: User)\n"),
        ("app/ui/Login.kt", "package app.ui\n\nimport app.network.User\n\n@Serializable\ndata class Login(val user: User)\n"),
    ]  # fmt: skip
    lifted = lift_set(files)
    fields = {e.name: e.fields[0].type for e in lifted.schema.entities}
    assert fields["Session"] == EntityType(name="NetworkUser")
    assert fields["Screen"] == EntityType(name="ModelUser")
    assert fields["Login"] == EntityType(name="NetworkUser")
    assert lifted.warnings == []
    java = {f.name: f.text for f in translate_set(lifted, ["java"])}
    assert "record ModelUser(\n    String name" in java["ModelUser.java"]
    assert "record NetworkUser(\n    String login" in java["NetworkUser.java"]


def test_a_name_no_import_decides_is_refused_at_its_line() -> None:
    files = [
        ("a/User.kt", USER.format("a", "name")),
        ("b/User.kt", USER.format("b", "login")),
        ("c/Both.kt", "package app.c\n\nimport app.a.*\nimport app.b.*\n\n@Serializable\ndata class Both(val user: User)\n"),
    ]  # fmt: skip
    lifted = lift_set(files)
    assert [str(w) for w in lifted.warnings] == [
        "c/Both.kt:7: warning: `Both` is not translated: Both.user: refers to `User`, "
        "declared in app.a, app.b, and no import of its file says which"
    ]


def test_typescript_and_python_imports_decide_by_the_folder_they_point_at() -> None:
    ts = [
        ("app/model/user.ts", "export interface User {\n  name: string;\n}\n"),
        ("app/network/user.ts", "export interface User {\n  login: string;\n}\n"),
        ("app/ui/screen.ts", 'import { User } from "../network/user";\n\n'
         "export interface Screen {\n  user: User;\n}\n"),
    ]  # fmt: skip
    py = [
        ("app/model/user.py", "from pydantic import BaseModel\n\nclass User(BaseModel):\n    name: str\n"),
        ("app/network/user.py", "from pydantic import BaseModel\n\nclass User(BaseModel):\n    login: str\n"),
        ("app/ui/screen.py", "from pydantic import BaseModel\n\nfrom ..model.user import User\n\n"
         "class Screen(BaseModel):\n    user: User\n"),
    ]  # fmt: skip
    for files, meant in ((ts, "NetworkUser"), (py, "ModelUser")):
        lifted = lift_set(files)
        assert lifted.warnings == []
        screen = next(e for e in lifted.schema.entities if e.name == "Screen")
        assert screen.fields[0].type == EntityType(name=meant)
        assert {"ModelUser", "NetworkUser"} <= {e.name for e in lifted.schema.entities}
