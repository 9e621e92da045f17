"""The preparation (step 0) as served: a facilitator uploads an export with a renamed column, maps it with a
dropdown, picks a group, saves and starts the workshop, and the results step shows that group; the page is
served only to the facilitator's own machine and never with --lan."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dol_toolkit.i18n import t
from dol_toolkit.workshop import load_config
from tests.apps.test_preparation import RENAMED, TEKNIK, renamed_export
from tests.browser.conftest import (
    FIRST_LOAD_MS,
    READY_PATH,
    STOP_S,
    Server,
    left_behind,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser
PREPARATION = "/voila/render/preparation.ipynb"
GROUP_NAME = "Testgruppe Teknik og Miljø"


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, str]:
    host, _, rest = url.removeprefix("http://").partition("/")
    name, port = host.rsplit(":", 1)
    conn = http.client.HTTPConnection(name, int(port), timeout=120)
    try:
        conn.request(method, "/" + rest, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _stop_and_check(server: Server) -> None:
    code = stop_server(server)
    leaked = left_behind(server)
    assert code is not None, f"dol serve did not stop on Ctrl-C within {STOP_S} s"
    assert not leaked, f"kernels left running after the server stopped: {leaked}"


@pytest.fixture
def fresh_server(repo: Path, artifacts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """`dol serve` without a configuration, as a facilitator starts it to prepare a workshop."""
    monkeypatch.setenv("DOL_WORKSHOPS_DIR", str(tmp_path / "workshops"))
    server = start_server(repo, artifacts / "preparation-server.log", ["--participants", "1"])
    yield server
    _stop_and_check(server)


def _banners(server: Server) -> int:
    return server.log_text().count(t("serve.banner_stop", "da"))  # printed once by every start


def _wait_restarted(server: Server, banners: int, timeout: float = 300) -> None:
    """Wait until the server printed its banner again (it restarted on the saved configuration) and answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _banners(server) <= banners:
        assert server.process.poll() is None, server.log_text()
        time.sleep(0.3)
    assert _banners(server) > banners, server.log_text()
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(server.url + READY_PATH, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not come back:\n{server.log_text()}")


def _tab(page, name: str) -> None:
    page.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text=name).first.click()


def test_prepare_map_pick_save_and_start(browser, fresh_server: Server, tmp_path: Path, artifacts: Path):
    server = fresh_server
    export = tmp_path / "eksport-omdøbt.csv"
    export.write_bytes(renamed_export())
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK", accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(FIRST_LOAD_MS)
        page.set_default_navigation_timeout(FIRST_LOAD_MS)
        # Without a configuration "/" is the preparation.
        page.goto(server.url + "/")
        page.wait_for_url(re.compile(r".*/voila/render/preparation\.ipynb.*"))
        page.wait_for_selector(".dol-upload")
        # 1 the file: the report lists the renamed column as not recognised
        with page.expect_file_chooser() as chooser:
            page.locator(".dol-upload").click()
        chooser.value.set_files(str(export))
        page.wait_for_selector(".dol-file-status .dol-ok")
        expect(page.locator(".dol-import-report")).to_contain_text(RENAMED, timeout=FIRST_LOAD_MS)
        page.screenshot(path=str(artifacts / "preparation-1-file.png"), full_page=True)
        # 2 map the renamed column to its item with the dropdown
        _tab(page, "2 Tilpas")
        select = page.locator(".dol-map-item-rationale select")
        select.wait_for()
        assert select.input_value() == t("prep.not_in_file", "da")
        select.select_option(label=RENAMED)
        page.locator(".dol-apply").click()
        page.get_by_text(t("prep.applied", "da")).wait_for()
        page.screenshot(path=str(artifacts / "preparation-2-map.png"), full_page=True)
        # 3 pick the department, then one leader off by hand
        _tab(page, "3 Ledere og gruppe")
        page.locator(".dol-department select").select_option("Teknik og Miljø")
        page.locator(".dol-pick-department").click()
        page.locator(".dol-picked", has_text="7 ledere valgt").wait_for()
        assert "⚠" in page.locator(".dol-leader", has_text="Signe Åkjær").inner_text()
        page.locator(".dol-leader", has_text="Signe Åkjær").locator("input").uncheck()
        page.locator(".dol-picked", has_text="6 ledere valgt").wait_for()
        page.screenshot(path=str(artifacts / "preparation-3-leaders.png"), full_page=True)
        # 4 name, date and facilitator; save; the code sheet
        _tab(page, "4 Gem og start")
        page.locator(".dol-name input").fill(GROUP_NAME)
        page.locator(".dol-day input").fill("27.11.2026")
        page.locator(".dol-facilitator input").fill("Mette Holm")
        page.locator(".dol-participants input").fill("1")
        page.locator(".dol-participants input").press("Tab")
        page.locator(".dol-save").click()
        page.wait_for_selector(".dol-saved .dol-ok", timeout=FIRST_LOAD_MS)
        with page.expect_download() as download:
            page.locator("a.dol-sheet").click()
        sheet = tmp_path / "koder.pdf"
        download.value.save_as(sheet)
        assert sheet.read_bytes().startswith(b"%PDF")
        page.screenshot(path=str(artifacts / "preparation-4-saved.png"), full_page=True)
        saved = re.search(r"Gemt: (\S+\.toml)", page.locator(".dol-saved").inner_text())
        assert saved, page.locator(".dol-saved").inner_text()
        config = load_config(saved.group(1))
        assert config.name == GROUP_NAME and config.leaders == tuple(TEKNIK[:-1])
        assert config.mapping_file is not None and set(config.codes) == set(TEKNIK[:-1])
        # start: the server restarts on the saved configuration, and the results step shows the group
        banners = _banners(server)
        page.locator(".dol-start").click()
        page.wait_for_selector(".dol-started .dol-ok", timeout=300_000)
        _wait_restarted(server, banners)
        page.locator("a.dol-open-workshop").click()
        page.wait_for_selector('.dol-step-results .dol-chart[data-chart="likert"] img', timeout=180_000)
        heading = page.locator(".dol-step-results h1").first.inner_text()
        assert heading == t("results.title", "da", group=GROUP_NAME)
        page.screenshot(path=str(artifacts / "preparation-5-results.png"), full_page=False)
        # the landing page shows the preparation first on this machine
        page.goto(server.url + "/")
        page.wait_for_selector(".dol-landing li[data-item]")
        link = page.get_by_role("link", name=t("prep.step", "da"))
        assert link.count() == 1
        page.screenshot(path=str(artifacts / "preparation-6-landing.png"))
    finally:
        context.close()


def _token(server: Server) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"\?token=([\w-]+)", server.log_text())
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError(server.log_text())


def test_the_preparation_is_refused_with_lan(repo: Path, artifacts: Path, workshop):
    server = start_server(repo, artifacts / "preparation-lan-server.log",
                          [str(workshop.config), "--lan", "--participants", "0"])
    try:
        token = _token(server)
        status, body = _request(f"{server.url}{PREPARATION}?token={token}")
        assert status in (403, 404)
        assert t("prep.refused", "da") in body and "Traceback" not in body
        # nor is it offered on the landing page, and the restart route is closed
        status, body = _request(f"{server.url}/voila/render/workshop.ipynb?token={token}")
        assert status == 200 and t("prep.step", "da") not in body
        status, _ = _request(f"{server.url}/dol/restart?token={token}", "POST", body=b"{}",
                             headers={"X-Dol-Restart": "guess"})
        assert status in (403, 404)
    finally:
        _stop_and_check(server)


def _lan_ip() -> str | None:
    from dol_toolkit.server import lan_address

    address = lan_address()
    try:
        socket.inet_aton(address)
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_the_preparation_is_only_for_this_machine(repo: Path, artifacts: Path, workshop):
    """Served on every interface (without --lan), the page answers 127.0.0.1 but not the machine's network
    address; the restart route needs the server's secret, which only its kernels have."""
    address = _lan_ip()
    server = start_server(repo, artifacts / "preparation-ip-server.log",
                          [str(workshop.config), "--ip", "0.0.0.0", "--participants", "0"])
    try:
        status, body = _request(f"{server.url}/voila/render/workshop.ipynb")
        assert status == 200 and t("prep.step", "da") in body  # offered on the landing page here
        status, body = _request(f"{server.url}{PREPARATION}")
        assert status == 200 and "Traceback" not in body
        if address is not None:
            port = server.url.rsplit(":", 1)[1]
            status, body = _request(f"http://{address}:{port}{PREPARATION}")
            assert status in (403, 404) and t("prep.refused", "en") in body
            status, _ = _request(f"http://{address}:{port}/dol/restart", "POST", body=b"{}")
            assert status in (403, 404)
        for secret in ("", "guess"):
            status, _ = _request(f"{server.url}/dol/restart", "POST", body=b'{"config": "x.toml"}',
                                 headers={"X-Dol-Restart": secret} if secret else {})
            assert status == 403
        assert server.process.poll() is None
    finally:
        _stop_and_check(server)
    if address is None:
        pytest.skip("this machine has no network address besides 127.0.0.1: the remote request was not made")



def _padded_export(path: Path, repo: Path, at_least: int) -> int:
    """The sample CSV export padded with more respondents (copies of its rows under new respondent ids) until it
    is ``at_least`` bytes; returns the number of data rows."""
    header, *rows = (repo / "data" / "samples" / "ledelsesevaluering_digital_omstilling.csv").read_text(
        encoding="utf-8-sig").splitlines()
    lines, size, copy = [header], len(header.encode()), 0
    while size < at_least:
        for row in rows:
            line = f"P{copy:03d}-{row}"
            lines.append(line)
            size += len(line.encode()) + 1
        copy += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_a_large_export_is_read_and_one_over_the_limit_is_refused_with_a_message(browser, fresh_server: Server,
                                                                                 repo: Path, tmp_path: Path,
                                                                                 artifacts: Path):
    """Real exports of a large organisation pass 10 MiB (where the websocket used to drop the file without a word):
    a 12 MiB export is taken and read; a file over the stated limit is refused in the page, before it is sent,
    with a message that says the limit."""
    from dol_toolkit.uploads import UPLOAD_LIMIT_BYTES, size_text

    large = tmp_path / "stor-eksport.csv"
    rows = _padded_export(large, repo, 12 * 1024 * 1024)
    assert large.stat().st_size > 12 * 1024 * 1024
    too_large = tmp_path / "for-stor-eksport.csv"
    with too_large.open("wb") as handle:  # sparse: its size is all the page looks at
        handle.truncate(UPLOAD_LIMIT_BYTES + 1)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    try:
        page = context.new_page()
        page.set_default_timeout(FIRST_LOAD_MS)
        page.set_default_navigation_timeout(FIRST_LOAD_MS)
        fresh_server.open(page, PREPARATION, ".dol-upload")
        limit = size_text(UPLOAD_LIMIT_BYTES)
        assert t("prep.upload_size.limit", "da", limit=limit) in page.locator(".dol-upload-size").inner_text()
        with page.expect_file_chooser() as chooser:
            page.locator(".dol-upload").click()
        chooser.value.set_files(str(large))
        page.wait_for_selector(".dol-file-status .dol-ok", timeout=FIRST_LOAD_MS)
        status = page.locator(".dol-file-status").inner_text()
        read = re.search(r"stor-eksport\.csv er læst: ([\d.]+) besvarelser", status)
        # more than the sample's rows: the padding was read
        assert read and int(read.group(1).replace(".", "")) > 1179, status
        assert rows > 1179 * 50
        assert (tmp_path / "workshops" / "_uploads" / "stor-eksport.csv").stat().st_size == large.stat().st_size
        page.screenshot(path=str(artifacts / "preparation-large-export.png"), full_page=True)
        with page.expect_file_chooser() as chooser:
            page.locator(".dol-upload").click()
        chooser.value.set_files(str(too_large))
        refused = page.locator(".dol-upload-refused")
        expect(refused).to_contain_text(f"den største fil, der kan læses her, er {limit}")
        assert "for-stor-eksport.csv fylder 200,1 MB" in refused.inner_text()
        assert page.locator(".dol-upload-refused[role=alert]").count() == 1
        # nothing was sent: the file read before is still the one in use, and the page still answers
        assert "stor-eksport.csv er læst" in page.locator(".dol-file-status").inner_text()
        assert not (tmp_path / "workshops" / "_uploads" / "for-stor-eksport.csv").exists()
        page.screenshot(path=str(artifacts / "preparation-too-large-da.png"), full_page=True)
        page.get_by_role("button", name="English").click()
        expect(page.locator(".dol-upload-size")).to_contain_text(f"Export files up to {limit}")
        page.screenshot(path=str(artifacts / "preparation-upload-limit-en.png"), full_page=True)
    finally:
        context.close()
