"""The flows in a real browser (Debian's Chromium through chromedriver) on ``scoring serve --demo``.

Screenshots of every page visited are kept in ``test-artifacts/portal/`` to be looked at when
pages change.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from portal_client import ROOT, SAMPLE_DATA

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Chromium and chromedriver are not installed (.ci/install test does)")
SHOTS = ROOT / "test-artifacts" / "portal"
DEMO_PASSWORD = "demo-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """``scoring serve --demo`` on 127.0.0.1; stopped at the end, and by ``timeout`` at worst."""
    port = _free_port()
    log = tmp_path_factory.mktemp("demo") / "server.log"
    scoring = Path(sys.executable).with_name("scoring")
    with log.open("w") as fh:
        proc = subprocess.Popen(["timeout", "900", str(scoring), "serve", "--demo", "--host", "127.0.0.1",
                                 "--port", str(port), "--data-dir", str(log.parent / "data")],
                                stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(url + "/login", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the demo server did not start:\n" + log.read_text()[-3000:])
                time.sleep(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


class Pages:
    def __init__(self, driver, base: str, flow: str):
        self.d, self.base, self.flow, self.n = driver, base, flow, 0
        (SHOTS / flow).mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.n += 1
        self.d.save_screenshot(str(SHOTS / self.flow / f"{self.n:02d}-{name}.png"))

    def go(self, path: str, name: str) -> None:
        self.d.get(self.base + path)
        self.shot(name)

    def el(self, css: str, timeout: float = 60):
        """The element, once the page holds it (a page may still be loading after a click)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.d, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))

    def submit(self, css: str, name: str) -> None:
        """Click a button that loads a new page; wait until the old page is gone and the new one loaded."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.d.find_element(By.TAG_NAME, "html")
        self.el(css).click()
        WebDriverWait(self.d, 120).until(ec.staleness_of(old))
        WebDriverWait(self.d, 120).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        self.shot(name)

    def all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.d.find_elements(By.CSS_SELECTOR, css)

    def login(self, username: str) -> None:
        self.go("/login", "login")
        self.el("#username").send_keys(username)
        self.el("#password").send_keys(DEMO_PASSWORD)
        self.submit("#login", "home")
        assert self.all("#logout"), self.d.page_source[-2000:]

    def wait_for(self, predicate, timeout: float = 600) -> None:
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        # The running page reloads itself: an element may vanish between finding and reading it.
        WebDriverWait(self.d, timeout, poll_frequency=1,
                      ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                      ).until(lambda _d: predicate())


def test_hr_uploads_sees_a_located_error_fixes_it_runs_and_publishes(demo_server, browser, tmp_path):
    p = Pages(browser, demo_server, "hr")
    p.login("hr")
    staff = (SAMPLE_DATA / "staff.csv").read_text(encoding="utf-8")
    broken, fixed = tmp_path / "broken", tmp_path / "fixed"
    broken.mkdir()
    fixed.mkdir()
    for f in SAMPLE_DATA.glob("*.csv"):
        shutil.copyfile(f, broken / f.name)
    (broken / "staff.csv").write_text(staff.replace(",2004-04-03,", ",03/13/2004,", 1), encoding="utf-8")
    (fixed / "staff.csv").write_text(staff, encoding="utf-8")
    from selenium.webdriver.support.ui import Select

    p.el("#period").send_keys("2025-Q1")
    Select(p.el("#criteria")).select_by_visible_text("skhcn-quy-2025.yaml")
    p.el("#files").send_keys("\n".join(str(f) for f in sorted(broken.glob("*.csv"))))
    p.submit("#create", "run-created")
    p.submit("#check", "located-error")
    issues = p.el("#issues").text
    assert "staff.csv" in issues and "start_date" in issues and not p.all("#start")
    p.el("#more-files").send_keys(str(fixed / "staff.csv"))
    p.submit("#upload", "uploaded")
    p.submit("#check", "checked")
    assert p.all("#checked-ok") and not p.all("#issues")
    p.submit("#start", "running")
    p.wait_for(lambda: p.all("#publish") or "Lỗi" in p.el("#job").text)
    p.shot("finished")
    assert p.el("#job").text == "Đã chạy xong", [e.text for e in p.all("#issues")]
    p.submit("#publish", "published")
    assert p.el("#state").text == "Đã công bố"


def test_a_unit_head_sees_their_unit_only(demo_server, browser):
    p = Pages(browser, demo_server, "head")
    p.login("truong.vp")
    p.submit("#runs a", "run")
    units = [a.text for a in p.all("#units a")]
    assert units == ["Văn phòng Sở"], units
    p.submit("#units a", "unit")
    assert p.el("#unit-name").text == "Văn phòng Sở" and p.all("#staff tbody tr")
    assert {r.text.split()[0] for r in p.all("#staff tbody tr")} <= {f"NV{i:04d}" for i in range(1, 200)}
    run_url = browser.current_url.rsplit("/units/", 1)[0]
    browser.get(run_url + "/units/TTRA")
    p.shot("other-unit-404")
    assert "Không tìm thấy trang" in browser.page_source and "Thanh tra" not in browser.page_source


def test_an_auditor_opens_an_explanation_and_verifies_the_run(demo_server, browser):
    p = Pages(browser, demo_server, "auditor")
    p.login("kiemtra")
    p.go("/runs/1", "run")
    p.go("/runs/1/employees/NV0097", "explanation")
    assert "Xếp loại cuối cùng: HT" in p.el("#explanation").text
    p.go("/runs/1", "run-again")
    p.submit("#verify", "verifying")
    p.wait_for(lambda: p.all("#verdict"), timeout=300)
    p.shot("verified")
    assert p.el("#verdict").text == "Kết quả khớp hoàn toàn với dữ liệu và tiêu chí", p.el("#checks").text
    p.go("/log", "access-log")
    assert "/runs/1/employees/NV0097" in p.el("#log").text




def test_hr_creates_changes_and_disables_an_account(demo_server, browser):
    from selenium.webdriver.support.ui import Select

    p = Pages(browser, demo_server, "accounts")
    p.login("hr")
    p.go("/users", "accounts")
    p.el("#new-username").send_keys("truong.moi")
    p.el("#new-display-name").send_keys("Trưởng phòng mới")
    Select(p.el("#new-role")).select_by_value("head")
    p.el("#new-unit").send_keys("VP")
    p.el("#new-password").send_keys(DEMO_PASSWORD)
    p.submit("#create-user", "account-created")
    assert p.el("#account-role").text == "Thủ trưởng đơn vị" and p.el("#account-state").text == "Đang dùng"
    unit = p.el("#unit")
    unit.clear()
    unit.send_keys("CCTDC")
    p.submit("#save-role", "unit-changed")
    assert p.all("#user-done") and "CCTDC" in p.el("main").text
    p.submit("#toggle-active", "disabled")
    assert p.el("#account-state").text == "Đã khoá"
    p.go("/log", "access-log")
    assert "truong.moi: disabled, sessions ended" in p.el("#log").text
    p.submit("#logout", "logged-out")
    p.el("#username").send_keys("truong.moi")
    p.el("#password").send_keys(DEMO_PASSWORD)
    p.submit("#login", "disabled-refused")
    assert p.el("#login-error").text == "Sai tên đăng nhập hoặc mật khẩu" and not p.all("#logout")
