"""A server over examples/data and headless Chromium (Debian's chromium and chromium-driver)
for the web page's tests; screenshots go to target/ui-screenshots/."""
import os
import re
import shutil
import subprocess
import time

import pytest
from selenium import webdriver
from selenium.common.exceptions import SessionNotCreatedException
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.join(ROOT, "target", "ui-screenshots")
SIZES = [(1280, 800), (1920, 1080)]


@pytest.fixture(scope="session")
def url():
    binary = os.path.join(ROOT, "target", "release", "esql")
    args = [binary, "serve", "--data", "examples/data", "--listen", "127.0.0.1:0", "--now", "2025-07-30T12:00:00Z", "--quiet"]
    proc = subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    match = re.search(r"http://127\.0\.0\.1:(\d+)", proc.stderr.readline())
    assert match
    yield f"http://127.0.0.1:{match.group(1)}"
    proc.kill()
    proc.wait()


@pytest.fixture()
def browser(url):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"]:
        options.add_argument(arg)
    driver = start_chromium(options)
    driver.set_window_size(*SIZES[0])
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def start_chromium(options, attempts=3):
    """A driven Chromium. Its first start on a fresh machine has been seen to exit at once
    ('session not created: Chrome instance exited', CI of 832479c) and the next to work, so
    a failed start is tried again; a browser that never starts still fails the test."""
    for attempt in range(attempts):
        service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
        try:
            return webdriver.Chrome(options=options, service=service)
        except SessionNotCreatedException:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


@pytest.fixture()
def shoot(browser):
    """Saves the page at both sizes as NAME-WxH.png."""
    os.makedirs(SHOTS, exist_ok=True)

    def take(name):
        for w, h in SIZES:
            browser.set_window_size(w, h + 200)
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False})
            browser.execute_script("window.dispatchEvent(new Event('resize'))")
            browser.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            browser.save_screenshot(os.path.join(SHOTS, f"{name}-{w}x{h}.png"))
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.set_window_size(*SIZES[0])
    return take
