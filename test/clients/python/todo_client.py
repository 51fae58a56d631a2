"""Runs a plan of MCP calls with the Python MCP SDK (mcp 2.3.0), signing in through its own
OAuthClientProvider; the test suite (test/clients/python-sdk.test.ts) writes the plan and
checks the report.

stdin: {"url", "username", "password", "mode": "legacy" | "2026-07-28",
        "steps": [{"op": "list_tools"} | {"op": "call", "tool", "args"} | {"op": "expire_tokens"}]}
stdout: one JSON object: {"authorizations": [...], "token_requests": [...], "steps": [...]}

The SDK sends the person to the authorization URL (redirect_handler) and waits for the code
(callback_handler). Here a headless browser does what the person would: it opens the URL, fills
in the sign-in form, allows the consent page and stops at the redirect back to the client, keeping
its cookies between sign-ins as a browser does.
"""

import asyncio
import hashlib
import json
import re
import sys
import time
from urllib.parse import parse_qs, urljoin, urlparse

import httpx2
import mcp.client.auth.oauth2 as oauth2_module
import mcp.shared.auth_utils as auth_utils_module
from mcp import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider, TokenStorage
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from mcp.shared.exceptions import MCPError

# Nothing listens here: the headless browser stops at the redirect and hands the code back.
REDIRECT_URI = "http://127.0.0.1:45190/callback"


class Clock:
    """The wall clock the SDK reads to decide whether its access token has expired; `advance`
    stands in for time passing, so the SDK's own refresh runs without the test waiting."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


CLOCK = Clock()
oauth2_module.time = CLOCK  # is_token_valid()
auth_utils_module.time = CLOCK  # calculate_token_expiry()


class MemoryStorage(TokenStorage):
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


class HeadlessBrowser:
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password
        self.cookies = httpx2.Cookies()
        self.pending_url: str | None = None
        self.authorizations: list[dict] = []

    async def redirect_handler(self, authorization_url: str) -> None:
        query = parse_qs(urlparse(authorization_url).query)
        self.authorizations.append({"scope": query.get("scope", [None])[0], "pages": []})
        self.pending_url = authorization_url

    async def callback_handler(self) -> AuthorizationCodeResult:
        assert self.pending_url is not None
        pages = self.authorizations[-1]["pages"]
        url, method, data, headers = self.pending_url, "GET", None, {}
        async with httpx2.AsyncClient(follow_redirects=False, cookies=self.cookies) as http:
            for _ in range(20):
                response = await http.request(method, url, data=data, headers=headers)
                self.cookies.update(response.cookies)
                if response.is_redirect:
                    target = urljoin(url, response.headers["location"])
                    if target.startswith(REDIRECT_URI):
                        q = {k: v[0] for k, v in parse_qs(urlparse(target).query).items()}
                        if "error" in q:
                            raise RuntimeError(f"authorization refused: {q}")
                        return AuthorizationCodeResult(code=q["code"], state=q.get("state"), iss=q.get("iss"))
                    url, method, data, headers = target, "GET", None, {}
                    continue
                html = response.text
                action = re.search(r'<form method="post" action="([^"]+)"', html)
                if action is None:
                    raise RuntimeError(f"sign-in stopped at {url} (HTTP {response.status_code})")
                is_login = 'name="password"' in html
                pages.append(page_summary(html, is_login))
                csrf = re.search(r'name="csrf" value="([^"]*)"', html)
                data = {"csrf": csrf.group(1) if csrf else ""}
                if is_login:
                    data |= {"username": self.username, "password": self.password}
                parts = urlparse(url)
                url, method, headers = urljoin(url, action.group(1)), "POST", {"origin": f"{parts.scheme}://{parts.netloc}"}
        raise RuntimeError("too many redirects")


def page_summary(html: str, is_login: bool) -> dict:
    if is_login:
        return {"kind": "sign-in"}
    refused = re.search(r'<ul class="refused">(.*?)</ul>', html, re.S)
    granted = re.search(r"<ul>(.*?)</ul>", html, re.S)
    codes = lambda block: re.findall(r"<code>([^<]+)</code>", block.group(1)) if block else []  # noqa: E731
    return {"kind": "consent", "granted": codes(granted), "refused": codes(refused)}


def token_id(storage: MemoryStorage) -> str | None:
    """A short fingerprint of the current access token: enough to see it change, never the token."""
    token = storage.tokens.access_token if storage.tokens else None
    return hashlib.sha256(token.encode()).hexdigest()[:12] if token else None


def text_blocks(result) -> list[str]:
    return [block.text for block in result.content if block.type == "text"]


async def run_step(client: Client, step: dict, storage: MemoryStorage) -> dict:
    op = step["op"]
    if op == "list_tools":
        result = await client.list_tools()
        return {
            "tools": [tool.name for tool in result.tools],
            "ttl_ms": getattr(result, "ttl_ms", None),
            "cache_scope": getattr(result, "cache_scope", None),
        }
    if op == "expire_tokens":
        expires_in = storage.tokens.expires_in if storage.tokens else None
        CLOCK.advance((expires_in or 3600) + 60)
        return {"advanced_s": (expires_in or 3600) + 60}
    if op == "call":
        try:
            result = await client.call_tool(step["tool"], step.get("args", {}))
        except MCPError as error:
            return {"mcp_error": {"code": error.error.code, "message": error.error.message}}
        return {"is_error": bool(result.is_error), "structured": result.structured_content, "texts": text_blocks(result)}
    raise ValueError(f"unknown step {op}")


async def main() -> None:
    plan = json.load(sys.stdin)
    browser = HeadlessBrowser(plan["username"], plan["password"])
    storage = MemoryStorage()
    token_requests: list[dict] = []

    async def watch(request: httpx2.Request) -> None:
        if request.url.path == "/token":
            body = parse_qs(request.content.decode())
            token_requests.append({"grant_type": body.get("grant_type", [None])[0]})

    oauth = OAuthClientProvider(
        server_url=plan["url"],
        client_metadata=OAuthClientMetadata(
            client_name="Todo Manager Python SDK test",
            redirect_uris=[REDIRECT_URI],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=storage,
        redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler,
    )
    steps = []
    async with create_mcp_http_client(auth=oauth) as http:
        http.event_hooks["request"].append(watch)
        async with Client(streamable_http_client(plan["url"], http_client=http), mode=plan["mode"]) as client:
            for step in plan["steps"]:
                outcome = await run_step(client, step, storage)
                outcome["token"] = token_id(storage)
                outcome["scope"] = storage.tokens.scope if storage.tokens else None
                steps.append(outcome)
    json.dump({"authorizations": browser.authorizations, "token_requests": token_requests, "steps": steps}, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
