"""The web page in headless Chromium: the seed rule typed with completion finds the planted
IPs; brushing the histogram narrows the time range; a field's top values add a filter; an
error shows the command line's caret; page weight and first render are measured."""
import json
import os
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT

RULE = open(os.path.join(ROOT, "queries", "m365_entra_signin_from_suspicious_source.case-fixed.esql")).read()
PLANTED = json.load(open(os.path.join(ROOT, "examples", "data", "_manifest.json")))["planted"]["tp_a_named_external_alerts"]


def wait(browser, condition, timeout=10):
    # The page redraws lists as answers arrive: an element read mid-redraw is simply read again.
    return WebDriverWait(browser, timeout, ignored_exceptions=[StaleElementReferenceException]).until(condition)


def open_page(browser, url, query=None):
    browser.get(url + "/")
    browser.execute_script("localStorage.clear()")
    browser.get(url + "/")
    wait(browser, lambda d: d.execute_script("return window.__esqlReady !== undefined"))
    if query is not None:
        set_query(browser, query)


def set_query(browser, text):
    browser.execute_script(
        "const a = document.getElementById('query'); a.value = arguments[0];"
        "a.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste'}));", text)


def completions(browser):
    # Read in one script: the list is rebuilt on every keystroke's answer.
    return browser.execute_script(
        "const l = document.getElementById('completions');"
        "return l.hidden ? [] : [...l.querySelectorAll('li')].map(li => li.textContent);")


def run_and_wait(browser):
    before = browser.find_element(By.ID, "status").text
    browser.find_element(By.ID, "query").send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: d.find_element(By.ID, "status").text not in ("", "Running…", before))


def test_the_seed_rule_typed_with_completion_finds_the_planted_ips(browser, url, shoot):
    open_page(browser, url)
    area = browser.find_element(By.ID, "query")
    area.send_keys("fr")
    wait(browser, lambda d: "FROM" in " ".join(completions(d)))
    area.send_keys(Keys.TAB)
    assert area.get_attribute("value") == "FROM "
    area.send_keys("logs-o365")
    wait(browser, lambda d: any("logs-o365.audit-default" in c for c in completions(d)))
    shoot("1-completion")
    area.send_keys(Keys.TAB)
    assert area.get_attribute("value") == "FROM logs-o365.audit-default"
    # The rest of the rule goes in as a paste (its line breaks would pick completions).
    rest = RULE[RULE.index("from logs-o365.audit-*") + len("from logs-o365.audit-*"):]
    set_query(browser, "from logs-o365.audit-*" + rest)
    run_and_wait(browser)
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#table tbody td")]
    for ip in PLANTED:
        assert ip in cells, ip
    assert browser.find_element(By.ID, "status").text.startswith(f"{len(PLANTED)} rows")
    assert "query=" in browser.current_url
    shoot("2-seed-rule-results")


def test_brushing_the_histogram_narrows_the_range(browser, url, shoot):
    open_page(browser, url, "FROM logs-azure.signinlogs-default | KEEP @timestamp, user.name, source.ip | LIMIT 50")
    run_and_wait(browser)
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#histogram rect.b")) > 5)
    start, end = (browser.find_element(By.ID, k).get_attribute("value") for k in ("start", "end"))
    svg = browser.find_element(By.CSS_SELECTOR, "#histogram svg")
    width = svg.size["width"]
    ActionChains(browser).move_to_element_with_offset(svg, -width // 4, 0).click_and_hold() \
        .move_by_offset(width // 4, 0).release().perform()
    wait(browser, lambda d: d.find_element(By.ID, "start").get_attribute("value") != start)
    new_start, new_end = (browser.find_element(By.ID, k).get_attribute("value") for k in ("start", "end"))
    assert start < new_start < new_end < end
    assert browser.find_element(By.ID, "quick").get_attribute("value") == "abs"
    wait(browser, lambda d: "start=" in d.current_url)
    shoot("3-histogram-brushed")


def test_top_values_add_a_filter(browser, url, shoot):
    open_page(browser, url, "FROM logs-azure.signinlogs-default | KEEP @timestamp, user.name, event.outcome | LIMIT 20")
    run_and_wait(browser)
    field = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#field-list button[data-name='event.outcome']"))
    field.click()
    rows = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".top-values li"))
    assert "success" in rows[0].text and "%" in rows[0].text
    shoot("4-top-values")
    rows[0].find_element(By.CSS_SELECTOR, "button[aria-label^='Filter for']").click()
    wait(browser, lambda d: "WHERE `event.outcome` == \"success\"" in d.find_element(By.ID, "query").get_attribute("value"))
    wait(browser, lambda d: d.find_element(By.ID, "status").text.startswith("20 rows"))
    outcomes = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#table tbody td:nth-child(3)")}
    assert outcomes == {"success"}
    shoot("5-filter-added")


def test_an_error_shows_its_caret(browser, url, shoot):
    open_page(browser, url, "FROM logs-azure.signinlogs-default\n| WHERE user.nmae == \"x\"")
    run_and_wait(browser)
    problems = wait(browser, lambda d: d.find_element(By.ID, "problems") if d.find_element(By.ID, "problems").text else None)
    assert "Unknown column [user.nmae]" in problems.text
    assert "^^^^^^^^^" in problems.text
    assert browser.find_elements(By.CSS_SELECTOR, "#highlight .bad")
    shoot("6-error-caret")


def test_page_weight_and_first_render(browser, url):
    open_page(browser, url)
    ready = browser.execute_script("return window.__esqlReady")
    size = browser.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".filter(e => !e.name.includes('/api/')).reduce((n, e) => n + e.decodedBodySize, 0)")
    print(f"first render {ready:.0f} ms, page weight {size} bytes")
    assert size < 300_000
    assert ready < 200
