"""The data guard: what may leave the machine, judged for every kind of content a request holds."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from accord.agents.exceptions import EgressDenied
from accord.agents.guard import REDACTED, Verdict, egress_allowed, judge, prepare_egress
from accord.agents.providers.types import ContextItem, ContextKind, Message, ProviderRequest
from accord.agents.tasks import Task
from accord.config import EgressSettings, ProviderSettings
from tests.agents.context.projects import document_task, write_tree

AWS_KEY = "AKIA" + "QX7RZ2LMN4PB6TVW"
GITHUB_TOKEN = "ghp_" + "k3Jd9Qm2Xv7Lp4Rt8Wz1Nb6Hc5Fy0Ga2Se7U"
PRIVATE_KEY = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAzq3kR2mX9vTpL4sW8bN1cQ7hY5fJ0gD6eK2uA3oZ\n"
    "-----END RSA PRIVATE KEY-----"
)
SECRETS = (AWS_KEY, GITHUB_TOKEN, PRIVATE_KEY)

EXTERNAL = ProviderSettings(kind="anthropic", deployment="external")
ON_PREMISE = ProviderSettings(kind="litellm", deployment="on_premise")
LOCAL = ProviderSettings(kind="local", deployment="local")
EGRESS = EgressSettings(confidential=("internal/**",), never_send=("*.sqlite",))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with nested .gitignore files, a negation, an .accordignore and secret files."""
    files = {
        ".gitignore": "*.log\n!keep.log\nbuild/\n",
        "pkg/.gitignore": "generated_*.py\n!generated_ok.py\n",
        ".accordignore": "drafts/\n",
        "src/app.py": "def run():\n    return helper()\n",
        "src/helper.py": "def helper():\n    return 1\n",
        "debug.log": "log",
        "keep.log": "kept",
        "build/out.py": "x = 1\n",
        "pkg/generated_a.py": "a = 1\n",
        "pkg/generated_ok.py": "ok = 1\n",
        "drafts/idea.py": "idea = 1\n",
        ".env.local": "TOKEN=abc\n",
        "deploy/id_rsa": "key",
        "certs/server.pem": "pem",
        "internal/pricing.py": "MARGIN = 0.4\n",
        "data/cache.sqlite": "",
    }
    return write_tree(tmp_path, files)


@pytest.mark.parametrize(
    ("rel", "verdict"),
    [
        ("src/app.py", Verdict.ALLOWED),
        ("debug.log", Verdict.NEVER),
        ("keep.log", Verdict.ALLOWED),
        ("build/out.py", Verdict.NEVER),
        ("pkg/generated_a.py", Verdict.NEVER),
        ("pkg/generated_ok.py", Verdict.ALLOWED),
        ("drafts/idea.py", Verdict.NEVER),
        (".env.local", Verdict.NEVER),
        (".env", Verdict.NEVER),
        ("deploy/id_rsa", Verdict.NEVER),
        ("deploy/id_ed25519.pub", Verdict.NEVER),
        ("certs/server.pem", Verdict.NEVER),
        ("home/.npmrc", Verdict.NEVER),
        ("release.keystore", Verdict.NEVER),
        ("data/cache.sqlite", Verdict.NEVER),
        ("internal/pricing.py", Verdict.CONFIDENTIAL),
    ],
)
def test_judge(project: Path, rel: str, verdict: Verdict) -> None:
    assert judge(project / rel, project, EGRESS)[0] is verdict


def test_a_file_in_an_ignored_folder_stays_ignored_despite_a_negation(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("vendor/\n!vendor/keep.py\n")
    assert judge(tmp_path / "vendor/keep.py", tmp_path, EGRESS)[0] is Verdict.NEVER


def test_a_nested_gitignore_overrides_its_parent(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / ".gitignore").write_text("*.gen.py\n")
    (tmp_path / "lib/.gitignore").write_text("!*.gen.py\n")
    assert judge(tmp_path / "lib/a.gen.py", tmp_path, EGRESS)[0] is Verdict.ALLOWED
    assert judge(tmp_path / "b.gen.py", tmp_path, EGRESS)[0] is Verdict.NEVER


def test_a_changed_gitignore_is_read_again(tmp_path: Path) -> None:
    ignore = tmp_path / ".gitignore"
    ignore.write_text("")
    assert judge(tmp_path / "a.py", tmp_path, EGRESS)[0] is Verdict.ALLOWED
    ignore.write_text("a.py\n")
    os.utime(ignore, ns=(1, 10**18))
    assert judge(tmp_path / "a.py", tmp_path, EGRESS)[0] is Verdict.NEVER


@pytest.mark.parametrize(
    ("rel", "deployment", "allowed"),
    [
        ("internal/pricing.py", "external", False),
        ("internal/pricing.py", "on_premise", True),
        ("internal/pricing.py", "local", True),
        (".env.local", "on_premise", False),
        (".env.local", "local", True),
        ("src/app.py", "external", True),
    ],
)
def test_egress_allowed(project: Path, rel: str, deployment: str, allowed: bool) -> None:
    assert egress_allowed(project / rel, project, EGRESS, deployment) is allowed  # type: ignore[arg-type]


def test_without_a_root_only_names_and_globs_count(tmp_path: Path) -> None:
    assert not egress_allowed(tmp_path / ".env", None, EGRESS, "external")
    assert egress_allowed(tmp_path / "debug.log", None, EGRESS, "external")


def task(project: Path, rel: str, source: str = "def run():\n    return 1\n") -> Task:
    return document_task(project, rel, source, (0, 1), "run")


def item(kind: ContextKind, text: str, path: Path | None = None) -> ContextItem:
    return ContextItem(kind=kind, text=text, path=None if path is None else str(path))


def request(
    project: Path,
    context: tuple[ContextItem, ...],
    target: str = "src/app.py",
    source: str = "def run():\n    return 1\n",
) -> ProviderRequest:
    return ProviderRequest(
        capability="analysis",
        system=f"system {AWS_KEY}",
        messages=(Message(role="user", content=f"use {GITHUB_TOKEN}"),),
        context=context,
        task=task(project, target, source),
        paths=tuple(i.path for i in context if i.path is not None),
    )


def sent_text(sent: ProviderRequest) -> str:
    assert sent.task is not None
    parts = [sent.system, *(m.content for m in sent.messages), *(i.text for i in sent.context)]
    return "\n".join([*parts, sent.task.target.source, sent.task.instructions])


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("debug.log", ContextKind.FILE),
        ("pkg/generated_a.py", ContextKind.SYMBOL),
        ("drafts/idea.py", ContextKind.FILE),
        (".env.local", ContextKind.FILE),
        ("deploy/id_rsa", ContextKind.FILE),
        ("data/cache.sqlite", ContextKind.SYMBOL),
        ("internal/pricing.py", ContextKind.SYMBOL),
    ],
)
def test_refused_context_items_are_dropped_for_an_external_provider(
    project: Path, rel: str, kind: ContextKind
) -> None:
    keep = item(ContextKind.SYMBOL, "def helper(): ...", project / "src/helper.py")
    sent = prepare_egress(
        request(project, (keep, item(kind, "secret stuff", project / rel))),
        EXTERNAL,
        project,
        EGRESS,
    )
    assert [i.path for i in sent.context] == [keep.path]
    assert sent.paths == (keep.path,)


def test_confidential_items_go_to_an_on_premise_provider(project: Path) -> None:
    confidential = item(ContextKind.FILE, "MARGIN = 0.4", project / "internal/pricing.py")
    sent = prepare_egress(request(project, (confidential,)), ON_PREMISE, project, EGRESS)
    assert sent.context == (confidential,)


@pytest.mark.parametrize(
    ("target", "provider"),
    [
        (".env.local", ON_PREMISE),
        ("deploy/id_rsa", EXTERNAL),
        ("build/out.py", EXTERNAL),
        ("internal/pricing.py", EXTERNAL),
    ],
)
def test_a_refused_target_denies_the_whole_request(
    project: Path, target: str, provider: ProviderSettings
) -> None:
    with pytest.raises(EgressDenied, match=target.split("/")[-1]):
        prepare_egress(request(project, (), target), provider, project, EGRESS)


def test_a_confidential_target_may_go_on_premise(project: Path) -> None:
    sent = prepare_egress(request(project, (), "internal/pricing.py"), ON_PREMISE, project, EGRESS)
    assert sent.task is not None


def test_a_refused_path_carried_outside_the_context_denies_the_request(project: Path) -> None:
    base = request(project, ())
    carrying = base.model_copy(update={"paths": (str(project / ".env.local"),)})
    with pytest.raises(EgressDenied, match="credentials"):
        prepare_egress(carrying, EXTERNAL, project, EGRESS)


def test_secrets_are_redacted_everywhere(project: Path) -> None:
    code = f'AWS = "{AWS_KEY}"\nKEY = """{PRIVATE_KEY}"""\n'
    context = (
        item(ContextKind.FILE, code, project / "src/helper.py"),
        item(ContextKind.SYMBOL, f"def auth(token='{GITHUB_TOKEN}')", project / "src/app.py"),
        item(ContextKind.HISTORY, f"user: my key is {AWS_KEY}"),
    )
    base = request(project, context, source=f"def run():\n    return '{GITHUB_TOKEN}'\n")
    base = base.model_copy(
        update={
            "task": base.task.model_copy(  # type: ignore[union-attr]
                update={"instructions": f"the token is {GITHUB_TOKEN}"}
            )
        }
    )
    sent = sent_text(prepare_egress(base, ON_PREMISE, project, EGRESS))
    assert not any(secret in sent for secret in SECRETS)
    assert "BEGIN RSA PRIVATE KEY" not in sent
    assert sent.count(REDACTED) >= 7


def test_code_without_secrets_is_sent_as_it_is(project: Path) -> None:
    code = item(ContextKind.FILE, "def helper():\n    return 1\n", project / "src/helper.py")
    base = request(project, (code,)).model_copy(update={"system": "plain", "messages": ()})
    assert prepare_egress(base, EXTERNAL, project, EGRESS) == base


def test_a_local_provider_gets_the_request_unchanged(project: Path) -> None:
    context = (item(ContextKind.FILE, "TOKEN=abc", project / ".env.local"),)
    base = request(project, context, target="deploy/id_rsa")
    assert prepare_egress(base, LOCAL, project, EGRESS) is base


def test_a_link_inside_the_project_obeys_its_rules(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "real.py"
    outside.write_text("x = 1\n")
    (project / "build" / "link.py").symlink_to(outside)
    (project / "src" / "link.py").symlink_to(outside)
    assert judge(project / "build/link.py", project, EGRESS)[0] is Verdict.NEVER
    assert judge(project / "src/link.py", project, EGRESS)[0] is Verdict.ALLOWED


@pytest.mark.parametrize(
    ("path", "verdict"),
    [
        ("src/app.py", Verdict.ALLOWED),
        ("src/../debug.log", Verdict.NEVER),
        ("build/out.py", Verdict.NEVER),
    ],
)
def test_paths_relative_dotted_or_as_uris(project: Path, path: str, verdict: Verdict) -> None:
    assert judge(path, project, EGRESS)[0] is verdict
    assert judge((project / path).as_uri(), project, EGRESS)[0] is verdict


def test_a_folders_own_ignore_file_does_not_ignore_the_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"cache/.gitignore": "*\n!.gitignore\n", "cache/data.py": "x = 1\n"})
    assert judge(tmp_path / "cache/data.py", tmp_path, EGRESS)[0] is Verdict.NEVER
    assert judge(tmp_path / "cache/.gitignore", tmp_path, EGRESS)[0] is Verdict.ALLOWED


GIT_TREE = {
    ".gitignore": "*.log\n!keep.log\n/top.py\ndocs/*\n!docs/index.py\nvendor/\n**/tmp_*\n",
    "pkg/.gitignore": "*.py\n!api.py\nsub/\n",
    "pkg/sub/.gitignore": "!*.py\n",
}
GIT_PATHS = [
    "a.log",
    "keep.log",
    "deep/b.log",
    "deep/keep.log",
    "top.py",
    "deep/top.py",
    "docs/x.py",
    "docs/index.py",
    "vendor/v.py",
    "deep/vendor/v.py",
    "tmp_a.py",
    "deep/tmp_b.py",
    "pkg/mod.py",
    "pkg/api.py",
    "pkg/sub/s.py",
    "pkg/data.txt",
    "src/ok.py",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_verdicts_agree_with_git(tmp_path: Path) -> None:
    write_tree(tmp_path, {**GIT_TREE, **{path: "" for path in GIT_PATHS}})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", "--no-index", *GIT_PATHS],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    ours = [
        path for path in GIT_PATHS if judge(tmp_path / path, tmp_path, EGRESS)[0] is Verdict.NEVER
    ]
    assert ours == listed


def test_a_link_to_a_secret_file_is_judged_by_its_target(project: Path) -> None:
    (project / "src" / "settings.py").symlink_to(project / ".env.local")
    assert judge(project / "src/settings.py", project, EGRESS)[0] is Verdict.NEVER
