"""Headless Debian Chromium through chromedriver, for the preview tests: load a page, wait for its charts, read
the DOM and the console. A missing binary is a failure naming it, never a skip."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@dataclass(frozen=True)
class PanelInDom:
    key: str
    panel_id: str
    kind: str
    state: str
    series: int
    title: str
    text: str
    chart_points: tuple[int, ...]  # data-points of each chart the page's script drew in this panel


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not binary.exists():
            pytest.fail(f"{binary} not found: install Debian's chromium and chromium-driver (make system-deps)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1632,1200"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def load(driver: webdriver.Chrome, page: Path) -> tuple[list[PanelInDom], list[str]]:
    """The panels the page shows and the console's errors, once the script marked every chart drawn."""
    driver.get_log("browser")  # drop what an earlier page left
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-drawn"))
    found = []
    for el in driver.find_elements(By.CSS_SELECTOR, "section.panel"):
        charts = el.find_elements(By.CSS_SELECTOR, "[data-points]")
        found.append(
            PanelInDom(
                key=el.get_attribute("data-key") or "",
                panel_id=el.get_attribute("data-panel-id") or "",
                kind=el.get_attribute("data-type") or "",
                state=el.get_attribute("data-state") or "",
                series=int(el.get_attribute("data-series") or 0),
                title=el.get_attribute("data-title") or "",
                text=el.text,
                chart_points=tuple(int(c.get_attribute("data-points") or 0) for c in charts),
            )
        )
    errors = [f"{e['level']}: {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return found, errors
