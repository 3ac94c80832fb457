"""A secrets corpus modelled on the public fixtures of detect-secrets (its plugin tests) and
gitleaks (its rules' sample secrets), rebuilt here from their documented shapes: each fixture
is a small file in the format or language the original shows, holding a token generated at run
time from a fixed seed (so this repository holds no secret-shaped text itself).

``positive`` fixtures hold one secret that ACC003 must report; the others hold look-alikes that
both tools leave alone (placeholders, environment lookups, empty values).
"""

from __future__ import annotations

import base64
import random
import re
import string
from dataclasses import dataclass
from pathlib import Path

from accord.analyzers.secrets.patterns import is_text_candidate
from accord.check.analysis import analyse
from accord.config import Settings, validated

__all__ = ["CONFIG_FORMATS", "FIXTURES", "Fixture", "clean_files", "false_positives", "found_in"]


@dataclass(frozen=True, slots=True)
class Fixture:
    """One file: where its shape comes from, the family of secret, its name and its text."""

    source: str
    family: str
    file: str
    text: str
    positive: bool = True

    @property
    def id(self) -> str:
        return f"{self.source}:{self.family}:{self.file}"


_ALPHABETS = {
    "a": string.ascii_letters + string.digits,
    "h": "0123456789abcdef",
    "H": "0123456789ABCDEF",
    "d": string.digits,
    "u": string.ascii_uppercase + string.digits,
    "l": string.ascii_lowercase + string.digits,
    "L": string.ascii_letters,
    "w": string.ascii_letters + string.digits + "_-",
    "b": string.ascii_letters + string.digits + "+/",
}
_FIELD = re.compile(r"\{([ahHdulLwb]):(\d+)\}")


def _expand(template: str, rng: random.Random) -> str:
    """``template`` with each ``{alphabet:length}`` field replaced by random characters."""
    return _FIELD.sub(
        lambda m: "".join(rng.choice(_ALPHABETS[m.group(1)]) for _ in range(int(m.group(2)))),
        template,
    )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# A PEM body: 64-character lines of base64.
_PEM_LINES = ["{b:64}"] * 4
_PEM = "\n".join(
    [
        "-----BEGIN RSA PRIVATE" + " KEY-----",
        "MIIEow{b:58}",
        *_PEM_LINES,
        "-----END RSA PRIVATE KEY-----",
    ]
)
_PEM_ESCAPED = _PEM.replace("\n", "\\n")

DS = "detect-secrets"
GL = "gitleaks"

# (source, family, file, template, positive)
_TEMPLATES: list[tuple[str, str, str, str, bool]] = [
    # detect-secrets plugin tests: the token alone, or in a short line of config or code.
    (DS, "aws", "creds.txt", "AKIA{u:16}", True),
    (DS, "aws", "settings.py", 'aws_secret_access_key = "{b:40}"\n', True),
    (DS, "aws", "example.txt", "AKIAIOSFODNN7EXAMPLE", False),
    (DS, "artifactory", "build.gradle.txt", "artifactoryApiKey=AKCp{a:69}", True),
    (DS, "artifactory", "deploy.txt", 'password: "AP6{a:40}"', True),
    (
        DS,
        "azure",
        "app.config",
        "DefaultEndpointsProtocol=https;AccountName=x;AccountKey={b:86}==",
        True,
    ),
    (
        DS,
        "basic-auth",
        "notes.md",
        "clone it from https://deploy:{a:16}@git.example.org/repo.git",
        True,
    ),
    (DS, "basic-auth", "notes.md", "see http://user:${PASSWORD}@host/path", False),
    (DS, "basic-auth", "request.md", "GET / HTTP/1.1\nAuthorization: Basic {b:32}\n", True),
    # The RFCs' examples, quoted by OAuth libraries' docs (authlib's grants): not leaks.
    (DS, "basic-auth", "rfc6749.md", "Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\n", False),
    (DS, "basic-auth", "rfc7617.md", "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\n", False),
    (DS, "discord", "bot.py", 'TOKEN = "MT{a:22}.G{a:5}.{w:38}"\n', True),
    (DS, "github", "ci.txt", "ghp_{a:36}", True),
    (DS, "github", "ci.txt", "gho_{a:36}", True),
    (DS, "github", "ci.txt", "ghs_{a:36}", True),
    (DS, "gitlab", "ci.txt", "glpat-{w:20}", True),
    (DS, "gitlab", "ci.txt", "GR1348941{w:20}", True),
    (
        DS,
        "jwt",
        "token.txt",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ{a:24}fQ.{w:43}",
        True,
    ),
    (
        DS,
        "jwt",
        "token.txt",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9lIiwKInN0YXR1cyI6ImVtcGxveWVlIgp9",
        True,
    ),
    (DS, "jwt", "token.txt", "eyJAAAA.eyJBBB", False),
    (
        DS,
        "keyword",
        "settings.py",
        'the_password = "{{h}o)p${e]nob(ody[finds>-_$#thisone}}"\n',
        True,
    ),
    (DS, "keyword", "config.go", 'apikey := "Hx{a:14}!"\n', True),
    (DS, "keyword", "app.js", 'const password = "Summer2024!";\n', True),
    (DS, "keyword", "settings.py", 'my_password = ""\n', False),
    (DS, "keyword", "settings.py", 'my_password = "fakesecret"\n', False),
    (DS, "keyword", "app.js", "apiKey: this.apiKey,\n", False),
    (DS, "keyword", "login.py", "login(username=username, password=password)\n", False),
    (DS, "keyword", "config.yaml", "password: ${link}\n", False),
    (DS, "mailchimp", "mail.txt", "{h:32}-us12", True),
    (
        DS,
        "npm",
        ".npmrc",
        "//registry.npmjs.org/:_authToken={h:8}-{h:4}-{h:4}-{h:4}-{h:12}\n",
        True,
    ),
    (DS, "npm", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", False),
    (DS, "openai", "ai.txt", "sk-{a:20}T3BlbkFJ{a:20}", True),
    (DS, "private-key", "id_rsa.txt", _PEM, True),
    (DS, "private-key", "key.py", f'KEY = "{_PEM_ESCAPED}"\n', True),
    (DS, "pypi", "pypirc.txt", "password = pypi-AgEIcHlwaS5vcmc{w:70}", True),
    (DS, "sendgrid", "mail.txt", "SG.{w:22}.{w:43}", True),
    (DS, "slack", "slack.txt", "xoxp-523423-234243-234233-{h:32}", True),
    (DS, "slack", "slack.txt", "xoxa-2-511111111-31111111111-3111111111111-{h:32}", True),
    (DS, "slack", "slack.txt", "xoxb-34532454-{h:26}", True),
    (DS, "slack", "slack.txt", "https://hooks.slack.com/services/T{u:8}/B{u:8}/{a:24}", True),
    (DS, "square", "pay.txt", "sq0csp-{w:43}", True),
    (DS, "stripe", "pay.txt", "sk_live_{a:24}", True),
    (DS, "stripe", "pay.txt", "rk_live_{a:24}", True),
    (DS, "telegram", "bot.txt", "{d:10}:AA{w:33}", True),
    (DS, "twilio", "sms.txt", "SK{h:32}", True),
    (DS, "twilio", "sms.txt", "AC{h:32}", True),
    (DS, "vault", "vault.txt", "hvs.{w:92}", True),
    # gitleaks rules' sample secrets, in the languages and formats its generator writes them.
    (GL, "aws", "Config.java", 'class Config { String key = "AKIA{u:16}"; }\n', True),
    (GL, "aws", "main.go", 'package main\nconst awsKey = "ASIA{u:16}"\n', True),
    (GL, "github", "Client.kt", 'val githubToken = "ghp_{a:36}"\n', True),
    (GL, "github", "Client.cs", 'class C { string pat = "github_pat_{a:22}_{a:59}"; }\n', True),
    (GL, "gitlab", "ci.go", 'package ci\nvar gitlabToken = "glpat-{w:20}"\n', True),
    (GL, "gitlab", "runner.toml", 'token = "glrt-{w:20}"\n', True),
    (GL, "slack", "Notify.java", 'class N { String t = "xoxb-{d:12}-{d:13}-{a:24}"; }\n', True),
    (
        GL,
        "slack",
        "notify.ts",
        'const hook = "https://hooks.slack.com/services/T{u:10}/B{u:10}/{a:24}";\n',
        True,
    ),
    (GL, "stripe", "billing.rs", 'const KEY: &str = "sk_test_{a:32}";\n', True),
    (GL, "sendgrid", "Mailer.cs", 'class M { string k = "SG.{w:22}.{w:43}"; }\n', True),
    (GL, "twilio", "sms.kt", 'val twilioKey = "SK{h:32}"\n', True),
    (GL, "discord", "bot.js", 'const discordClientSecret = "{w:32}";\n', True),
    (GL, "discord", "hook.py", 'URL = "https://discord.com/api/webhooks/{d:18}/{w:68}"\n', True),
    (GL, "telegram", "bot.go", 'package bot\nconst telegramToken = "{d:9}:AA{w:33}"\n', True),
    (GL, "mailchimp", "mail.swift", 'let mailchimpKey = "{h:32}-us20"\n', True),
    (GL, "pypi", "upload.py", 'TOKEN = "pypi-AgEIcHlwaS5vcmc{w:64}"\n', True),
    (GL, "artifactory", "Repo.java", 'class R { String k = "AKCp{a:69}"; }\n', True),
    (GL, "artifactory", "repo.kt", 'val ref = "cmVmd{a:59}"\n', True),
    (GL, "npm", "publish.js", 'const token = "npm_{a:36}";\n', True),
    (GL, "gcp", "maps.ts", 'const key = "AIza{w:35}";\n', True),
    (GL, "gcp", "oauth.go", 'package oauth\nconst secret = "GOCSPX-{w:28}"\n', True),
    (GL, "azure", "graph.cs", 'class G { string secret = "{a:3}8Q~{w:34}"; }\n', True),
    (GL, "shopify", "shop.rb.txt", "SHOPIFY_TOKEN=shpat_{h:32}", True),
    (GL, "digitalocean", "do.sh", "export DO_TOKEN=dop_v1_{h:64}\n", True),
    (GL, "hashicorp", "vault.tf", 'token = "hvs.{w:95}"\n', True),
    (GL, "huggingface", "hf.py", 'HF = "hf_{L:34}"\n', True),
    (GL, "databricks", "db.py", 'HOST_TOKEN = "dapi{h:32}"\n', True),
    (
        GL,
        "jwt",
        "Auth.java",
        'class A { String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ{a:20}In0.{w:43}"; }\n',
        True,
    ),
    (GL, "private-key", "Keys.java", 'class K { String pem = "' + _PEM_ESCAPED + '"; }\n', True),
    (GL, "anthropic", "llm.py", 'KEY = "sk-ant-api03-{w:93}AA"\n', True),
    (GL, "generic", "Settings.java", 'class S { String dbPassword = "Tr0ub4dor&{a:6}"; }\n', True),
    (GL, "generic", "main.go", 'package main\nvar clientSecret = "{a:32}"\n', True),
    # Secrets hidden by their writing: joined literals, base64, comments.
    (GL, "aws", "split.py", 'KEY = "AKIA" + "{u:16}"\n', True),
    (GL, "aws", "split.js", 'const key = "AKIA" +\n  "{u:16}";\n', True),
    (
        GL,
        "private-key",
        "joined.py",
        'KEY = (\n    "-----BEGIN RSA PRIVATE" " KEY-----\\n"\n    "MIIEow{b:58}\\n"\n    "{b:64}\\n"\n    "-----END RSA PRIVATE KEY-----"\n)\n',
        True,
    ),
    (
        GL,
        "private-key",
        "Joined.java",
        'class J { String k = "-----BEGIN PRIVATE" + " KEY-----\\n" +\n "MIIEvQ{b:58}\\n" + "{b:64}\\n" + "-----END PRIVATE KEY-----"; }\n',
        True,
    ),
    (GL, "basic-auth", "encoded.py", 'AUTH = "' + "{B64}" + '"\n', True),
    (GL, "github", "comment.py", "# old token: ghp_{a:36}\nx = 1\n", True),
    (GL, "keyword", "comment.go", "package x\n// password: Winter2023#{a:4}\nvar x = 1\n", True),
    # Configuration formats.
    (DS, "config-env", ".env", "DB_PASSWORD=Summer2024!\nDEBUG=true\n", True),
    (
        DS,
        "config-env",
        ".env",
        "DATABASE_URL=postgresql://admin:{a:16}@db.internal:5432/app\n",
        True,
    ),
    (DS, "config-env", ".env", "DB_PASSWORD=\nAPI_KEY=${API_KEY}\n", False),
    (DS, "config-yaml", "config.yaml", "database:\n  user: app\n  password: '{a:20}'\n", True),
    (
        DS,
        "config-yaml",
        "docker-compose.yml",
        "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: Pg{a:10}#1\n",
        True,
    ),
    (DS, "config-yaml", "secret.yaml", "kind: Secret\ndata:\n  password: {B64PW}\n", True),
    (DS, "config-yaml", "config.yaml", "password: changeme\ntoken: <your-token>\n", False),
    (DS, "config-ini", "settings.ini", "[db]\nhost = db\npassword = {a:18}\n", True),
    (
        DS,
        "config-ini",
        "setup.cfg",
        "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc{w:70}\n",
        True,
    ),
    (
        DS,
        "config-json",
        "appsettings.json",
        '{{\n  "ConnectionStrings": {{"Main": "Server=db;Password={a:16}x1;"}},\n  "ApiKey": "{a:32}"\n}}\n',
        True,
    ),
    (DS, "config-json", "package.json", '{{\n  "name": "app",\n  "version": "1.0.0"\n}}\n', False),
    (DS, "config-toml", "config.toml", '[service]\napi_key = "{a:32}"\n', True),
    (
        DS,
        "config-properties",
        "application.properties",
        "spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.password={a:14}9!\n",
        True,
    ),
    (
        DS,
        "config-terraform",
        "main.tf",
        'provider "aws" {{\n  access_key = "AKIA{u:16}"\n  secret_key = "{b:40}"\n}}\n',
        True,
    ),
    (
        DS,
        "config-terraform",
        "vars.tf",
        'variable "db_password" {{\n  default = var.password\n}}\n',
        False,
    ),
    (
        DS,
        "config-dockerfile",
        "Dockerfile",
        "FROM python:3.12\nENV GITHUB_TOKEN=ghp_{a:36}\n",
        True,
    ),
    (
        DS,
        "config-dockerfile",
        "Dockerfile",
        "FROM node:20\nARG NPM_TOKEN\nRUN echo $NPM_TOKEN\n",
        False,
    ),
    (DS, "config-script", "deploy.sh", "#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY={b:40}\n", True),
    (DS, "config-script", "deploy.ps1", '$env:API_TOKEN = "{a:32}"\n', True),
    (
        DS,
        "config-docs",
        "README.md",
        "Run `curl -H 'Authorization: Bearer xoxb-{d:12}-{d:12}-{a:24}' ...`\n",
        True,
    ),
    (DS, "config-docs", "README.md", "Set `API_TOKEN` to your token (see the dashboard).\n", False),
    (
        DS,
        "config-xml",
        "settings.xml",
        "<server><id>repo</id><password>{a:12}Q9!</password></server>\n",
        True,
    ),
]

# Families made of configuration files: every one of them must be found.
CONFIG_FORMATS = frozenset(family for _, family, *_ in _TEMPLATES if family.startswith("config-"))


def _build() -> tuple[Fixture, ...]:
    rng = random.Random(20_251_207)
    fixtures = []
    for source, family, file, template, positive in _TEMPLATES:
        text = template.replace("{B64}", _b64(_expand("deploy:{a:6}Q9!{a:6}", rng)))
        text = text.replace("{B64PW}", _b64(_expand("Pw{a:10}#7", rng)))
        expanded = _expand(text, rng)
        if "thisone" not in expanded:  # {{ and }} stand for braces, except in that fixture
            expanded = expanded.replace("{{", "{").replace("}}", "}")
        fixtures.append(Fixture(source, family, file, expanded, positive))
    return tuple(fixtures)


FIXTURES: tuple[Fixture, ...] = _build()


def found_in(fixture: Fixture, folder: Path, settings: Settings | None = None) -> int:
    """How many ACC003 findings ``accord check``'s analysis reports on ``fixture``'s file."""
    path = folder / fixture.file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fixture.text, "utf-8")
    result = analyse(path, fixture.file, settings or Settings())
    return sum(1 for finding in result.findings if finding.code == "ACC003")


# Folders of a clean corpus that hold deliberate secrets (test keys, fixtures) or no code.
_NOT_CLEAN = frozenset({"test", "tests", "testing", "idlelib", "__pycache__", "site-packages"})


def clean_files(roots: list[Path], limit_lines: int, per_package: int = 25_000) -> list[Path]:
    """Files under ``roots`` (installed code: the standard library, site-packages) up to about
    ``limit_lines`` lines, at most ``per_package`` from each top-level folder (so no one package
    makes up the corpus), less test folders and package metadata, in a stable order."""
    files: list[Path] = []
    lines = 0
    for root in roots:
        for package in sorted(root.iterdir()):
            taken = 0
            for path in sorted(package.rglob("*")) if package.is_dir() else [package]:
                parts = path.relative_to(root).parts
                if not path.is_file() or any(_not_clean(part) for part in parts[:-1]):
                    continue
                if not is_text_candidate(path.name) or path.stat().st_size > 1_000_000:
                    continue
                count = path.read_bytes().count(b"\n")
                files.append(path)
                taken += count
                lines += count
                if lines >= limit_lines:
                    return files
                if taken >= per_package:
                    break
    return files


def _not_clean(part: str) -> bool:
    return part in _NOT_CLEAN or part.endswith((".dist-info", ".egg-info"))


def false_positives(files: list[Path]) -> tuple[int, list[str]]:
    """The lines in ``files`` and ACC003's findings on them (each is a false positive)."""
    settings = validated(Settings, {"select": ["ACC003"]})
    lines = 0
    found: list[str] = []
    for path in files:
        data = path.read_bytes()
        lines += data.count(b"\n")
        result = analyse(path, path.name, settings)
        found.extend(f"{path}:{f.span.line}: {f.message.split(':')[0]}" for f in result.findings)
    return lines, found
