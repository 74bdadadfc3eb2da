"""Single sign-on through the agency's OpenID Connect provider: the authorization-code flow.

Authlib's Starlette client does the protocol: discovery, the authorization URL with ``state``,
``nonce`` and a PKCE challenge, the token request, and the ID token's signature (keys from the
provider's JWKS), issuer, audience, expiry and nonce. What this module adds:

- the flow's data (state, nonce, PKCE verifier) stays on the server, found by a random one-use
  cookie bound to the browser that started the flow (the portal has no signed-cookie session);
- only asymmetric signatures are accepted, whatever the provider's metadata lists (never
  ``none``, never an HMAC keyed with the public client secret);
- the configured claim (``preferred_username``, ``email``, …) names an account that must already
  exist and be active: signing in through the provider never creates an account or a role.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from scoring.portal.settings import OidcSettings

__all__ = ["SingleSignOn", "SignOnError", "FLOW_COOKIE", "FLOW_PATH"]

FLOW_COOKIE = "oidc_flow"
FLOW_PATH = "/login/oidc"
_FLOW_SECONDS = 600
_MAX_FLOWS = 10_000
_SAFE_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class SignOnError(Exception):
    """The sign-in through the provider failed; ``reason`` goes to the access log, not the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SingleSignOn:
    def __init__(self, settings: OidcSettings, cookie_secure: bool = True):
        self.settings, self.cookie_secure = settings, cookie_secure
        self.client: Any = OAuth().register(
            "agency", client_id=settings.client_id, client_secret=settings.client_secret or None,
            server_metadata_url=settings.metadata_url,
            client_kwargs={"scope": settings.scope, "code_challenge_method": "S256", "timeout": 15})
        self._flows: dict[str, tuple[float, dict[str, Any]]] = {}

    async def _metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = await self.client.load_server_metadata()
        if metadata.get("issuer") != self.settings.issuer:  # a provider must speak for itself
            raise SignOnError(f"issuer mismatch: {metadata.get('issuer')!r}")
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        metadata["id_token_signing_alg_values_supported"] = [a for a in offered if a in _SAFE_ALGS]
        return metadata

    def _keep(self, flow: str, data: dict[str, Any]) -> None:
        at = time.monotonic()
        for key in [k for k, (t, _) in self._flows.items() if t < at - _FLOW_SECONDS]:
            del self._flows[key]
        while len(self._flows) >= _MAX_FLOWS:
            del self._flows[next(iter(self._flows))]
        self._flows[flow] = (at, data)

    def _take(self, flow: str | None) -> dict[str, Any]:
        kept = self._flows.pop(flow, None) if flow else None
        if kept is None or kept[0] < time.monotonic() - _FLOW_SECONDS:
            return {}
        return kept[1]

    async def start(self, request: Request, redirect_uri: str) -> Response:
        """Send the browser to the provider; remember state, nonce and PKCE verifier here."""
        try:
            await self._metadata()
            data: dict[str, Any] = {}
            request.scope["session"] = data  # where Authlib keeps the flow's data
            response: Response = await self.client.authorize_redirect(request, redirect_uri)
        except (OAuthError, JoseError, OSError, ValueError, KeyError, RuntimeError) as exc:
            raise SignOnError(f"{type(exc).__name__}: {exc}") from None
        flow = secrets.token_urlsafe(32)
        self._keep(flow, data)
        response.set_cookie(FLOW_COOKIE, flow, max_age=_FLOW_SECONDS, httponly=True, samesite="lax",
                            secure=self.cookie_secure, path=FLOW_PATH)
        return response

    async def finish(self, request: Request) -> str:
        """The provider sent the browser back: check everything; the account name the claim gives."""
        request.scope["session"] = self._take(request.cookies.get(FLOW_COOKIE))
        try:
            metadata = await self._metadata()
            options = {"iss": {"essential": True, "values": [metadata["issuer"]]},
                       "aud": {"essential": True, "values": [self.settings.client_id]}}
            token = await self.client.authorize_access_token(request, claims_options=options, leeway=60)
        except (OAuthError, JoseError, OSError, ValueError, KeyError, RuntimeError) as exc:
            raise SignOnError(f"{type(exc).__name__}: {exc}") from None
        claims = token.get("userinfo")
        if not claims:
            raise SignOnError("no ID token")
        value = claims.get(self.settings.claim)
        if not isinstance(value, str) or not value.strip():
            raise SignOnError(f"claim {self.settings.claim!r} missing")
        if self.settings.claim == "email" and claims.get("email_verified") is not True:
            raise SignOnError("email not verified")
        return value.strip()[:80]
