"""``accord check`` reads every text file of a repository for secrets (ACC003): env files,
YAML, Dockerfiles, and the files of no supported language."""

from __future__ import annotations

import subprocess

from .helpers import Project, check_json

PASSWORD = "Summer" + "2024!"
URL_PASSWORD = "Xk9mP2q" + "L7vR4"
AWS_KEY = "AKIA" + "QYLPMN5HJ3ZWXAB2"


def test_env_yaml_and_dockerfile_are_checked(project: Project) -> None:
    root = project(
        {
            ".env": f"DEBUG=1\nDB_PASSWORD={PASSWORD}\nAPI_KEY=${{API_KEY}}\n",
            "deploy/compose.yaml": (
                "services:\n  app:\n    environment:\n"
                f"      DATABASE_URL: postgresql://admin:{URL_PASSWORD}@db:5432/app\n"
            ),
            "Dockerfile": f"FROM python:3.12\nENV AWS_ACCESS_KEY_ID={AWS_KEY}\n",
            "docs/setup.md": "Set `DB_PASSWORD` to your password (changeme in development).\n",
            "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00",
        }
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    report = check_json(cwd=root)
    placed = sorted((f["file"], f["line"], f["code"]) for f in report["findings"])
    assert placed == [
        (".env", 2, "ACC003"),
        ("Dockerfile", 2, "ACC003"),
        ("deploy/compose.yaml", 4, "ACC003"),
    ]
    assert report["summary"]["files_checked"] == 5  # .env, accord.toml, Dockerfile, compose, md
    assert report["skipped"] == []


def test_acc003_ignored_leaves_text_files_alone(project: Project) -> None:
    root = project({"accord.toml": "ignore = ['ACC003']\n", ".env": f"DB_PASSWORD={PASSWORD}\n"})
    report = check_json(cwd=root)
    assert report["findings"] == [] and report["summary"]["files_checked"] == 0


def test_a_declared_source_encoding_is_honoured(project: Project) -> None:
    source = "# -*- coding: latin-1 -*-\n# caf\xe9\nimport os\n\n\ndef f(c):\n    os.system(c)\n"
    root = project({"legacy.py": source.encode("latin-1")})
    report = check_json(cwd=root)
    assert report["skipped"] == []
    assert [(f["file"], f["line"], f["code"]) for f in report["findings"]] == [
        ("legacy.py", 7, "ACC004")
    ]
