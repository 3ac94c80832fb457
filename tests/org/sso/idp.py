"""A real OpenID Connect provider on loopback, built with Authlib's server side, for the SSO tests.

It serves discovery, its key set, the authorization endpoint (the signed-in test user consents
at once: no login page), the token endpoint (authorization code with PKCE required, and the
device code grant, both issuing RS256 ID tokens) and the device authorization endpoint with a
verification page that approves the user code for the signed-in user.

What the tests vary is the provider's own behaviour: who is signed in and their groups, and
faults a misbehaving or hostile provider would show (signing with a key it never published,
another audience, tokens already expired).
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    OAuth2Payload,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import (
    DEVICE_CODE_GRANT_TYPE,
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
    DeviceCredentialDict,
)
from authlib.oidc.core import OpenIDCode, OpenIDToken, UserInfo
from joserfc.jwk import RSAKey

CLIENT_ID = "accord"
CLIENT_SECRET = "s3cret-of-accord"


@dataclass
class Person:
    email: str
    groups: list[str]
    email_verified: bool = True

    @property
    def sub(self) -> str:
        return "sub-" + self.email


@dataclass
class Behaviour:
    """What the provider does (the tests change it between steps)."""

    user: Person = field(default_factory=lambda: Person("ada@acme.test", ["engineers"]))
    audience: str | None = None
    """Issue ID tokens for this audience instead of the client's."""
    lifetime: int = 3600
    """Seconds an ID token lives from issue (negative: issued expired)."""
    rogue: bool = False
    """Sign ID tokens with a key the provider never published (claiming the published kid)."""


class _Client(ClientMixin):
    """Accord at the provider: loopback redirects (RFC 8252) and the registered ones."""

    def __init__(self, registered: set[str]) -> None:
        self.registered = registered

    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return "http://127.0.0.1/callback"

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        parts = urlsplit(redirect_uri)
        loopback = parts.scheme == "http" and parts.hostname == "127.0.0.1"
        return loopback or redirect_uri in self.registered

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == CLIENT_SECRET

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", DEVICE_CODE_GRANT_TYPE)


class _Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._values = values

    @property
    def data(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._values.items()}

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return defaultdict(list, self._values)


class _Request(OAuth2Request):
    def __init__(
        self, method: str, uri: str, headers: Message, query: dict[str, list[str]], body: str
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._query = query
        self._form = parse_qs(body)
        self.payload = _Payload({**query, **self._form})

    @property
    def args(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._query.items()}

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._form.items()}


@dataclass
class _Code:
    code: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    user: Person
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@functools.cache
def _keys() -> tuple[RSAKey, RSAKey]:
    """The provider's signing key and a rogue one claiming its id (made once per test run)."""
    return (
        RSAKey.generate_key(2048, {"kid": "idp-1"}),
        RSAKey.generate_key(2048, {"kid": "idp-1"}),
    )


class Provider:
    """The provider's state and its Authlib authorization server; :meth:`start` serves it."""

    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.key, self.rogue_key = _keys()
        self.codes: dict[str, _Code] = {}
        self.devices: dict[str, DeviceCredentialDict] = {}
        self.grants: dict[str, Person] = {}
        self.redirect_uris: set[str] = set()
        """Registered redirects beside the loopback ones (a web console's callback)."""
        self.url = ""
        self.server = self._authorization_server()
        self._http: ThreadingHTTPServer | None = None

    # --- the Authlib server -------------------------------------------------------------------

    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> _Client | None:
                return _Client(provider.redirect_uris) if client_id == CLIENT_ID else None

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                return None

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                return None

            def create_oauth2_request(self, request: Any) -> OAuth2Request:
                assert isinstance(request, OAuth2Request)
                return request

            def handle_response(
                self, status: int, body: Any, headers: list[tuple[str, str]]
            ) -> tuple[int, Any, list[tuple[str, str]]]:
                return status, body, headers

        class Claims:
            def resolve_client_private_key(self, client: _Client) -> RSAKey:
                return provider.rogue_key if provider.behaviour.rogue else provider.key

            def get_client_algorithm(self, client: _Client) -> str:
                return "RS256"

            def get_encode_header(self, client: _Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "idp-1"}

            def get_client_claims(self, client: _Client) -> dict[str, Any]:
                now, behaviour = int(time.time()), provider.behaviour
                return {
                    "iss": provider.url,
                    "aud": [behaviour.audience or CLIENT_ID],
                    "iat": now - max(0, -behaviour.lifetime) - 60,
                    "exp": now + behaviour.lifetime,
                }

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                return UserInfo(
                    sub=user.sub,
                    email=user.email,
                    email_verified=user.email_verified,
                    groups=list(user.groups),
                )

        class Code(Claims, OpenIDCode):
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return any(code.nonce == nonce for code in provider.codes.values())

        class DeviceToken(Claims, OpenIDToken):
            pass

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = _Code(
                    code,
                    request.payload.redirect_uri,
                    request.payload.scope,
                    data.get("nonce"),
                    data.get("code_challenge"),
                    data.get("code_challenge_method"),
                    request.user,
                    int(time.time()),
                )

            def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code: _Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: _Code) -> Person:
                return authorization_code.user

        class DeviceGrant(DeviceCodeGrant):
            def query_device_credential(self, device_code: str) -> DeviceCredentialDict | None:
                return provider.devices.get(device_code)

            def query_user_grant(self, user_code: str) -> tuple[Person, bool] | None:
                person = provider.grants.get(user_code)
                return None if person is None else (person, True)

            def should_slow_down(self, credential: DeviceCredentialDict) -> bool:
                return False

        class DeviceEndpoint(DeviceAuthorizationEndpoint):
            CLIENT_AUTH_METHODS = ["client_secret_basic"]
            INTERVAL = 1

            def get_verification_uri(self) -> str:
                return provider.url + "/device"

            def save_device_credential(
                self, client_id: str, scope: str, data: dict[str, Any]
            ) -> None:
                provider.devices[data["device_code"]] = DeviceCredentialDict(
                    client_id=client_id,
                    scope=scope,
                    expires_at=int(time.time()) + data["expires_in"],
                    **data,
                )

        server = Server(scopes_supported=["openid", "email", "profile"])
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda **_: generate_token(32))
        )
        server.register_grant(CodeGrant, [CodeChallenge(required=True), Code(require_nonce=True)])
        server.register_grant(DeviceGrant, [DeviceToken()])
        server.register_endpoint(DeviceEndpoint)
        return server

    # --- HTTP ---------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": self.url + "/authorize",
            "token_endpoint": self.url + "/token",
            "jwks_uri": self.url + "/jwks",
            "device_authorization_endpoint": self.url + "/device_authorization",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "grant_types_supported": ["authorization_code", DEVICE_CODE_GRANT_TYPE],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    def answer(
        self, method: str, path: str, headers: Message, body: str
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        request = _Request(method, self.url + path, headers, query, body)
        route = parts.path
        if route == "/.well-known/openid-configuration":
            return 200, self.discovery(), []
        if route == "/jwks":
            return 200, {"keys": [self.key.as_dict(private=False)]}, []
        if route == "/authorize":
            grant = self.server.get_consent_grant(request, self.behaviour.user)
            return self.server.create_authorization_response(
                request, grant_user=self.behaviour.user, grant=grant
            )
        if route == "/token" and method == "POST":
            return self.server.create_token_response(request)
        if route == "/device_authorization" and method == "POST":
            return self.server.create_endpoint_response("device_authorization", request)
        if route == "/device":
            code = (query.get("user_code") or [""])[0]
            if not any(d["user_code"] == code for d in self.devices.values()):
                return 404, {"error": "unknown user code"}, []
            self.grants[code] = self.behaviour.user
            return 200, {"approved": code, "user": self.behaviour.user.email}, []
        return 404, {"error": "not found"}, []

    def start(self) -> None:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                try:
                    status, payload, headers = provider.answer(
                        method, self.path, self.headers, body
                    )
                except Exception as error:  # the test's provider says what broke
                    status, payload, headers = 500, {"error": repr(error)}, []
                data = (
                    payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                )
                self.send_response(status)
                names = {name.lower() for name, _ in headers}
                for name, value in headers:
                    self.send_header(name, value)
                if "content-type" not in names:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
