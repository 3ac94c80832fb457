"""ACC003 and the secret detector it shares with the provider gateway.

Sample secrets are assembled at run time so that this file holds none itself.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analyzers.rules.secrets import RULE
from accord.analyzers.secrets import (
    find_known_secrets,
    find_secrets,
    is_placeholder,
    is_secret_name,
    redact,
    shannon_entropy,
)
from accord.config import Settings, validated

from .chunking import (
    assert_chunk_independent,
    assert_edits_keep_findings,
    document,
    full_run,
    reported,
)

ALNUM = "A1b2C3d4E5f6G7h8J9k0"
GITHUB = "ghp_" + ALNUM + ALNUM[:16]
RANDOM = "q7Xk2Lm9" + "Zp4Rt8Vw"  # 16 distinct characters: 4 bits each
PEM_BODY = "MIIEowIBAAKCAQEA" + "1c7+9z5Pad7OejecsQ0bu3aumK0OWdC3Zps2yJdBvL6xrDPp"
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\\n" + PEM_BODY + "\\n-----END RSA PRIVATE KEY-----"

KNOWN = [
    ("private key", PEM),
    ("private key", "-----BEGIN " + "PRIVATE KEY-----\n" + PEM_BODY + "\n" + PEM_BODY[:20]),
    ("AWS access key ID", "AKIA" + "QYLPMN5HJ3ZWXAB2"),
    ("AWS access key ID", "ASIA" + "QYLPMN5HJ3ZWXAB2"),
    ("Google API key", "AIza" + "SyD3h5K8m2N4p6Q8r0T2v4X6z8B0d2F4h6J"),
    ("Azure storage account key", "AccountKey=" + ALNUM * 4 + "abcd=="),
    ("Azure shared access key", "SharedAccessKey=" + ALNUM * 2 + "ab="),
    ("GitHub token", GITHUB),
    ("GitHub token", "github_pat_" + ALNUM + "ab" + "_" + ALNUM * 2 + ALNUM[:19]),
    ("Slack token", "xoxb-" + "123456789012-" + "4567890123-" + ALNUM[:12]),
    ("Stripe secret key", "sk_live_" + ALNUM + "xyz"),
    ("Stripe restricted key", "rk_live_" + ALNUM + "xyz"),
    ("Anthropic API key", "sk-ant-" + "api03-" + ALNUM * 4),
    ("OpenAI API key", "sk-proj-" + ALNUM * 3),
    ("OpenAI API key", "sk-" + ALNUM + "T3BlbkFJ" + ALNUM),
    ("npm token", "npm_" + ALNUM + ALNUM[:16]),
    ("JSON Web Token", "eyJ" + "hbGciOiJIUzI1NiJ9" + ".eyJ" + "zdWIiOiJhYmMifQ" + "." + ALNUM * 2),
]


@pytest.mark.parametrize(("kind", "secret"), KNOWN)
def test_known_formats_are_found_in_any_text(kind: str, secret: str) -> None:
    text = f"config: {secret} (do not share)"
    found = find_known_secrets(text)
    # A key=value format flags the value alone.
    flagged = secret.partition("=")[2] if kind.startswith("Azure") else secret
    assert [(s.kind, text[s.start : s.end]) for s in found] == [(kind, flagged)]


@pytest.mark.parametrize(
    "text",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example
        "if line.startswith('-----BEGIN PRIVATE KEY-----'):",  # a PEM parser names the header
        "sk-learn-compatible-estimator-wrapper",  # not an OpenAI key shape
        "xoxb-your-token-here",
        "prefixghp_" + ALNUM + ALNUM[:16],  # inside a longer word
        "token: ${GITHUB_TOKEN}",
        "password: changeme",
    ],
)
def test_text_without_secrets(text: str) -> None:
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f'password = "{RANDOM}"', RANDOM),
        (f"export API_KEY={RANDOM}", RANDOM),
        (f'"client_secret": "{RANDOM}"', RANDOM),
        (f"db_password: '{RANDOM}'", RANDOM),
    ],
)
def test_random_values_under_secret_names_are_found_in_text(text: str, secret: str) -> None:
    assert [text[s.start : s.end] for s in find_secrets(text)] == [secret]


def test_redact_replaces_every_secret() -> None:
    text = f"token={GITHUB}\npassword = '{RANDOM}'\nname = 'Ada Lovelace'\n"
    assert redact(text) == "token=[REDACTED]\npassword = '[REDACTED]'\nname = 'Ada Lovelace'\n"


@given(
    st.lists(st.sampled_from([secret for _, secret in KNOWN] + ["hello", "x = 1", "\n"])),
    st.text(alphabet=" ,;()\n", min_size=1, max_size=3),
)
def test_redacted_text_holds_no_known_secret(pieces: list[str], separator: str) -> None:
    assert find_known_secrets(redact(separator.join(pieces))) == []


@pytest.mark.parametrize(
    ("value", "bits"), [("", 0.0), ("aaaa", 0.0), ("abab", 1.0), ("abcd", 2.0), (RANDOM, 4.0)]
)
def test_shannon_entropy(value: str, bits: float) -> None:
    assert shannon_entropy(value) == pytest.approx(bits)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("API_KEY", True),
        ("clientSecret", True),
        ("self.auth_token", True),
        ('"access_key"', True),
        ("GITHUB_TOKEN", True),
        ("privateKey", True),
        ("auth", True),
        ("token_url", False),
        ("author", False),
        ("tokenizer", False),
        ("password_field", False),
        ("max_tokens", False),
        ("username", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    "value",
    [
        "",
        "changeme",
        "<your-token>",
        "xxxxxxxxxxxx",
        "${API_TOKEN}",
        "{{ token }}",
        "$SECRET_KEY",
        "%(password)s",
        "dummy-Secret-123",
        "os.environ",
        "************",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


# (language, source, the text each finding covers)
POSITIVE = [
    ("python", f'API_TOKEN = "{GITHUB}"\n', [GITHUB]),
    ("python", f'password = "{RANDOM}"\n', [f'"{RANDOM}"']),
    ("python", f'connect(host, password="{RANDOM}")\n', [f'"{RANDOM}"']),
    ("python", f'CONFIG = {{"api_key": "{RANDOM}"}}\n', [f'"{RANDOM}"']),
    ("python", f'def login(user, token="{RANDOM}"):\n    pass\n', [f'"{RANDOM}"']),
    ("python", f'class A:\n    def f(self):\n        self.secret = "{RANDOM}"\n', [f'"{RANDOM}"']),
    ("python", f"# old key: {GITHUB}\nx = 1\n", [GITHUB]),
    ("python", f'KEY = "{PEM}"\n', [PEM]),
    ("javascript", f'const apiKey = "{RANDOM}";\n', [f'"{RANDOM}"']),
    ("javascript", f"const c = {{ token: '{RANDOM}' }};\n", [f"'{RANDOM}'"]),
    ("javascript", f"class A {{ password = `{RANDOM}`; }}\n", [f"`{RANDOM}`"]),
    ("javascript", f"// {GITHUB}\n", [GITHUB]),
    ("typescript", f'class A {{ private secret: string = "{RANDOM}"; }}\n', [f'"{RANDOM}"']),
    ("typescript", f'this.authToken = "{RANDOM}";\n', [f'"{RANDOM}"']),
    ("tsx", f'const el = <Client apiKey="{RANDOM}" />;\n', [f'"{RANDOM}"']),
    ("java", f'class A {{ static final String PASSWORD = "{RANDOM}"; }}\n', [f'"{RANDOM}"']),
    ("java", f'class A {{ void f() {{ this.token = "{GITHUB}"; }} }}\n', [GITHUB]),
    ("kotlin", f'val apiKey = "{RANDOM}"\n', [f'"{RANDOM}"']),
    ("kotlin", f'fun f() {{ connect(password = "{RANDOM}") }}\n', [f'"{RANDOM}"']),
    ("kotlin", f'class C(val secret: String = "{RANDOM}")\n', [f'"{RANDOM}"']),
    ("swift", f'let password = "{RANDOM}"\n', [f'"{RANDOM}"']),
    ("swift", f'client.connect(token: "{RANDOM}")\n', [f'"{RANDOM}"']),
    ("go", f'package p\nconst Password = "{RANDOM}"\n', [f'"{RANDOM}"']),
    ("go", f'package p\nvar c = Config{{APIKey: "{RANDOM}"}}\n', [f'"{RANDOM}"']),
    ("go", f"package p\nfunc f() {{ token := `{GITHUB}` }}\n", [GITHUB]),
    ("rust", f'const API_KEY: &str = "{RANDOM}";\n', [f'"{RANDOM}"']),
    ("rust", f'fn f() {{ let c = Config {{ secret: r"{RANDOM}" }}; }}\n', [f'r"{RANDOM}"']),
    ("csharp", f'class A {{ const string Password = "{RANDOM}"; }}\n', [f'"{RANDOM}"']),
    ("csharp", f'class A {{ void F() {{ Connect(apiKey: @"{RANDOM}"); }} }}\n', [f'@"{RANDOM}"']),
    ("csharp", f"// {GITHUB}\nclass A {{}}\n", [GITHUB]),
]


@pytest.mark.parametrize(("language", "source", "expected"), POSITIVE)
def test_reports_secrets(language: str, source: str, expected: list[str]) -> None:
    assert reported(RULE, language, source) == expected


NEGATIVE = [
    ("python", 'password = ""\n'),
    ("python", 'password = "changeme"\n'),
    ("python", 'token = "<your-token>"\n'),
    ("python", 'api_key = os.environ["API_KEY"]\n'),
    ("python", f'password = f"{{prefix}}{RANDOM}"\n'),  # built at run time
    ("python", f'username = "{RANDOM}"\n'),  # not a secret's name
    ("python", 'token_url = "https://auth.Example.org/oauth2/Token1"\n'),
    ("python", 'password_prompt = "Enter your password:"\n'),
    ("python", 'if password == "":\n    pass\n'),
    ("python", 'aws_key = "AKIAIOSFODNN7EXAMPLE"\n'),
    ("javascript", "const token = process.env.TOKEN;\n"),
    ("javascript", "const password = `${prefix}-Zx9kLm2Qp7Aq3W`;\n"),
    ("typescript", 'const secret: string = "xxxxxxxxxxxxxxxx";\n'),
    ("java", 'class A { String password = System.getenv("PASSWORD"); }\n'),
    ("kotlin", 'val token = "${prefix}Zx9kLm2Qp7Aq3W"\n'),
    ("swift", 'let token = "\\(prefix)Zx9kLm2Qp7Aq3W"\n'),
    ("go", 'package p\nvar token = os.Getenv("TOKEN")\n'),
    ("rust", 'fn f() { let password = env::var("PASSWORD"); }\n'),
    ("csharp", 'class A { string password = $"{prefix}Zx9kLm2Qp7Aq3W"; }\n'),
]


@pytest.mark.parametrize(("language", "source"), NEGATIVE)
def test_ignores_non_secrets(language: str, source: str) -> None:
    assert reported(RULE, language, source) == []


def test_entropy_and_length_thresholds_come_from_settings() -> None:
    source = 'password = "abcdefgh12"\n'  # 10 characters, about 3.3 bits each
    assert reported(RULE, "python", source) == []
    lenient = validated(Settings, {"secrets": {"min-entropy": 3.0, "min-length": 8}})
    assert reported(RULE, "python", source, lenient) == ['"abcdefgh12"']


def test_one_finding_per_secret_in_nested_strings() -> None:
    source = f'message = f"key {{"{GITHUB}"}}"\n'
    assert reported(RULE, "python", source) == [GITHUB]


def test_message_says_what_to_do() -> None:
    (finding,) = full_run(RULE, document("python", f'token = "{GITHUB}"\n'), Settings())
    assert finding.message == (
        "Hard-coded GitHub token: move it to an environment variable or a secret store, "
        "and rotate it."
    )


CHUNKED = {
    "python": f'''TOKEN = "{GITHUB}"

class Store:
    password = "{RANDOM}"

    def connect(self, secret="{RANDOM}"):
        # {GITHUB}
        return open_db(password="{RANDOM}", callback=lambda: "{GITHUB}")

    def plain(self):
        return 1
''',
    "typescript": f'''class Store {{
  private token = "{RANDOM}";
  connect() {{
    const apiKey = "{RANDOM}";
    return () => "{GITHUB}";
  }}
}}
''',
    "java": f'''class Store {{
  String password = "{RANDOM}";
  void connect() {{ String token = "{GITHUB}"; }}
}}
''',
    "csharp": f'''namespace N {{ class Store {{
  string Password = "{RANDOM}";
  void Connect() {{ var token = "{GITHUB}"; }}
}} }}
''',
}


@pytest.mark.parametrize("language", sorted(CHUNKED))
def test_findings_do_not_depend_on_chunking(language: str) -> None:
    assert_chunk_independent(RULE, document(language, CHUNKED[language]), Settings())


@pytest.mark.parametrize("language", sorted(CHUNKED))
def test_engine_keeps_findings_through_edits(language: str) -> None:
    assert_edits_keep_findings(["ACC003"], document(language, CHUNKED[language]), Settings())
