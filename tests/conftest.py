"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest

from tests import browser as _browser


@pytest.fixture(scope="session")
def browser_context():
    """A Playwright browser context on Debian's headless Chromium (skips, saying why, without one)."""
    reason = _browser.why_no_browser()
    if reason:
        pytest.skip(reason)
    with _browser.launch() as context:
        yield context


@pytest.fixture
def page(browser_context):
    """A fresh page in the shared browser context, closed after the test."""
    page = browser_context.new_page()
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A real Label Studio 1.23.2 for this session (tests/ls_server.py): ``(url, api_key)``, with
    ``.email``/``.password`` of its first user for a browser login; always stopped afterwards."""
    from tests import ls_server

    yield from ls_server.serve(tmp_path_factory)


@pytest.fixture
def no_hub_token(tmp_path, monkeypatch):
    """The Hugging Face Hub offline and without a token: no variable, no stored token file."""
    from huggingface_hub import constants

    for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_ID_TOKEN", "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(tmp_path / "no-tokens"))
