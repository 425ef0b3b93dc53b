"""A live studio on loopback (uvicorn in a thread, real worker processes) with tiny models
trained through the library in its home, and a headless Debian chromium driven by Playwright.

The browser is /usr/bin/chromium (or $ARTFORGE_CHROMIUM), never a Playwright download. Without
it the browser tests skip, unless ARTFORGE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.studio.live import LiveStudio, share_weights, train_tiny_models

CHROMIUM = os.environ.get("ARTFORGE_CHROMIUM", "/usr/bin/chromium")


def _chromium() -> str:
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if found is None:
        reason = (f"chromium not found at {CHROMIUM}: install it with `apt-get install "
                  "chromium` (scripts/setup-system.sh does, as root)")
        if os.environ.get("ARTFORGE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; ARTFORGE_REQUIRE_BROWSER=1 asks for the browser tests")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def studio_home(tmp_path_factory) -> Path:
    """A new home with tiny models of every kind; or, for the documentation's screenshots, a
    home prepared beforehand with better models ($ARTFORGE_E2E_HOME), used as it is."""
    prepared = os.environ.get("ARTFORGE_E2E_HOME")
    if prepared:
        return Path(prepared)
    home = tmp_path_factory.mktemp("studio-home")
    share_weights(home, tmp_path_factory.getbasetemp())
    train_tiny_models(home)
    return home


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Screenshots go to $ARTFORGE_SCREENSHOTS when set (docs/images), else the test's tmp."""
    folder = Path(os.environ.get("ARTFORGE_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def live(studio_home) -> Iterator[LiveStudio]:
    with LiveStudio(studio_home) as running:
        yield running
