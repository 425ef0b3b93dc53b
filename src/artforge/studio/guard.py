"""The guard in front of every request.

- With a token (always, when bound beyond loopback), each request must carry it: as
  `Authorization: Bearer T`, the `artforge_token` cookie the page gets when opened with
  `?token=T`, or a `token` query parameter.
- On a loopback bind the Host header must name this machine, so that a web page elsewhere
  cannot reach the studio through DNS rebinding.
- Requests that change something must carry `X-Artforge: 1`; a form on another site cannot
  set that header, and without CORS a script there cannot either.
It also adds headers that keep the browser from guessing types or framing the page.
"""

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from artforge.studio.settings import StudioSettings, is_loopback

TOKEN_COOKIE = "artforge_token"
CHANGE_HEADER = "x-artforge"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
UPLOAD_PATH = "/api/uploads"
MULTIPART_OVERHEAD = 64 * 1024
"""Bytes a multipart body adds around the file (boundaries, the kind field, headers)."""
MAX_BODY_BYTES = 4 * 2**20
"""Every request but an upload: its body (JSON) is refused past this many bytes."""
PAGE_POLICY = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
               "connect-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'")


def request_token(scope: Scope, headers: Headers) -> str | None:
    """The token a request brings: an Authorization header, else a ?token= link (it wins
    over the cookie, which may be an older studio's: cookies are per host, not per port),
    else the cookie."""
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    cookie = SimpleCookie(headers.get("cookie", ""))
    return cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else None


def host_name(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '::1', 'localhost' -> 'localhost'."""
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    def __init__(self, app: ASGIApp, settings: StudioSettings) -> None:
        self.app, self.settings = app, settings

    def problem(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        token = self.settings.token
        if token:
            given = request_token(scope, headers)
            if given is None or not secrets.compare_digest(given.encode(), token.encode()):
                return 401, ("this studio needs its access token: open the address printed "
                             "when it started (it ends in ?token=...).")
        if is_loopback(self.settings.host):
            host = host_name(headers.get("host", ""))
            if not is_loopback(host):
                return 403, f"this studio answers only to addresses of this machine, not {host}."
        if scope["method"] not in SAFE_METHODS and headers.get(CHANGE_HEADER) != "1":
            return 403, "requests that change something must come from the studio page " \
                        "(header X-Artforge: 1)."
        return self._too_large(scope, headers)

    def body_limit(self, scope: Scope) -> tuple[int, str]:
        """The most bytes this request's body may have, and what to say past it."""
        if scope["path"] == UPLOAD_PATH:
            limit = self.settings.max_upload_bytes
            return (limit + MULTIPART_OVERHEAD,
                    f"the file is larger than the upload limit of {limit / 2**20:.0f} MB.")
        return MAX_BODY_BYTES, (f"the request is larger than {MAX_BODY_BYTES / 2**20:.0f} MB, "
                                "the most the studio reads.")

    def _too_large(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        """A body whose declared length is over the limit is refused before it is read (one
        without a length, chunked, is counted as it arrives: see __call__)."""
        declared = headers.get("content-length", "")
        limit, message = self.body_limit(scope)
        if declared.isdigit() and int(declared) > limit:
            return 413, message
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = self.problem(scope, Headers(scope=scope))
        if found is not None:
            await JSONResponse({"error": found[1]}, status_code=found[0])(scope, receive, send)
            return
        page = scope["path"] == "/" or scope["path"].startswith(("/static/", "/api-docs"))
        limit, too_large = self.body_limit(scope)
        counted = {"bytes": 0, "over": False}

        async def limited_receive() -> Message:
            # Past the limit the app is told the body ended, so nothing more is read into
            # memory or spooled to disk; its answer is then replaced by a 413 below.
            message = await receive()
            if message["type"] == "http.request" and not counted["over"]:
                counted["bytes"] += len(message.get("body", b""))
                if counted["bytes"] > limit:
                    counted["over"] = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def send_with_headers(message: Message) -> None:
            if counted["over"]:
                if message["type"] == "http.response.start":
                    body = JSONResponse({"error": too_large}, status_code=413)
                    await send({"type": "http.response.start", "status": 413,
                                "headers": body.raw_headers})
                    await send({"type": "http.response.body", "body": body.body})
                return
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
                if page:
                    extra.append((b"content-security-policy", PAGE_POLICY.encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)
