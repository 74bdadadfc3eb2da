"""A tiny OpenID Connect provider for the tests, served by uvicorn on 127.0.0.1.

It answers discovery, JWKS, the authorization endpoint (it signs the user in at once and sends
the browser back with a code) and the token endpoint (client secret, code and PKCE checked),
and issues the ID token that ``mode`` asks for: a good one or one of the bad kinds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

CLIENT_ID, CLIENT_SECRET = "scoring-portal", "a client secret the test made"
MODES = ("good", "forged", "unsigned", "wrong_nonce", "no_nonce", "wrong_audience", "wrong_issuer",
         "expired", "no_id_token", "hmac")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeProvider:
    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.forger = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})  # same kid
        self.mode, self.username, self.email_verified = "good", "", True
        self.codes: dict[str, dict] = {}
        self.seen: list[dict] = []  # every authorization request, as sent
        self.tokens_issued = 0
        app = Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/jwks", self.jwks),
            Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"]),
        ])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("the fake provider did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(30)

    async def discovery(self, request: Request) -> JSONResponse:
        return JSONResponse({
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            # a careless provider: the portal must still refuse "none" and HMAC signatures
            "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"]})

    async def jwks(self, request: Request) -> JSONResponse:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def authorize(self, request: Request) -> RedirectResponse:
        q = dict(request.query_params)
        self.seen.append(q)
        code = secrets.token_urlsafe(16)
        self.codes[code] = q
        return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}", 302)

    async def token(self, request: Request) -> JSONResponse:
        form = await request.form()
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}":
            return JSONResponse({"error": "invalid_client"}, 401)
        asked = self.codes.pop(str(form.get("code")), None)
        if asked is None or form.get("redirect_uri") != asked["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, 400)
        verifier = str(form.get("code_verifier", ""))
        if _b64(hashlib.sha256(verifier.encode()).digest()) != asked.get("code_challenge"):
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        self.tokens_issued += 1
        answer = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300}
        if self.mode != "no_id_token":
            answer["id_token"] = self.id_token(asked.get("nonce"))
        return JSONResponse(answer)

    def id_token(self, nonce: str | None) -> str:
        at, mode = int(time.time()), self.mode
        claims = {"iss": self.issuer, "sub": f"sub-{self.username}", "aud": CLIENT_ID, "iat": at,
                  "exp": at + 300, "nonce": nonce, "preferred_username": self.username,
                  "email": f"{self.username}@example.gov.vn", "email_verified": self.email_verified}
        if mode == "wrong_nonce":
            claims["nonce"] = "another-nonce"
        elif mode == "no_nonce":
            del claims["nonce"]
        elif mode == "wrong_audience":
            claims["aud"] = "another-client"
        elif mode == "wrong_issuer":
            claims["iss"] = "https://evil.example"
        elif mode == "expired":
            claims["iat"], claims["exp"] = at - 7200, at - 3600
        if mode == "unsigned":
            head = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
            return f"{head}.{_b64(json.dumps(claims).encode())}."
        if mode == "hmac":  # "signed" with the client secret, which the client itself knows
            return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(CLIENT_SECRET))
        key = self.forger if mode == "forged" else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
