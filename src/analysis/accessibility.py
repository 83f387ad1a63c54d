"""``make check-accessibility``: axe-core in headless Chromium over every page the project writes.

The city publishes these pages, so they must meet WCAG 2.1 AA (webtilgængelighedsloven). axe-core
(from the npm registry, pinned below, installed under ``build/``) is injected into a copy of each
page (every report, the index, every status document) and run for the WCAG 2.0/2.1 A and AA
rules; the results are written into the page and read back from Chromium's DOM. Any violation
fails the check, with the rule, its impact and the first element it names.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

from analysis import config
from analysis.reporting import chromium

AXE_VERSION = "4.14.1"
AXE_DIR = config.PROJ_ROOT / "build" / "axe-core"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: WCAG 2.1 1.4.10 Reflow: at 320 CSS px nothing may need scrolling sideways (a table may
#: scroll inside its own labelled container)
REFLOW_WIDTH = 320

_REFLOW = """<script>
window.addEventListener("load", function () {
  var doc = document.documentElement, wide = [];
  if (doc.scrollWidth > window.innerWidth + 1) {
    document.querySelectorAll("body *").forEach(function (el) {
      if (el.closest(".table-wrap") && !el.classList.contains("table-wrap")) return;
      var r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && wide.length < 3)
        wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                  + " (" + Math.round(r.right) + " px)");
    });
  }
  var top = window.parent.document, pre = top.createElement("pre"); pre.id = "reflow-results";
  pre.textContent = JSON.stringify({width: window.innerWidth, page: doc.scrollWidth, wide: wide});
  top.body.appendChild(pre);
});
</script>"""


def reflow(page: Path) -> str:
    """'' when ``page`` fits a 320 CSS px wide window, else what sticks out."""
    text = page.read_text(encoding="utf-8")
    probe = page.with_name(f".reflow-{page.name}")
    frame = page.with_name(f".reflow-frame-{page.name}")
    probe.write_text(text.replace("</body>", _REFLOW + "</body>", 1), encoding="utf-8")
    # headless Chromium keeps a window at least 500 px wide: the page is measured in a frame
    # REFLOW_WIDTH CSS px wide, as a phone or a browser zoomed to 400 % shows it
    frame.write_text(
        f'<!DOCTYPE html><html lang="da"><body style="margin:0"><iframe title="probe" '
        f'src="{probe.name}" style="width:{REFLOW_WIDTH}px;height:900px;border:0"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    try:
        done = chromium.run(
            "--allow-file-access-from-files", "--dump-dom", frame.resolve().as_uri()
        )
    finally:
        probe.unlink(missing_ok=True)
        frame.unlink(missing_ok=True)
    start = done.stdout.rfind('<pre id="reflow-results">')
    if start < 0:
        return f"the reflow probe did not run ({done.stderr.strip()[-200:]})"
    body = done.stdout[start + len('<pre id="reflow-results">') :]
    r = json.loads(html.unescape(body[: body.index("</pre>")]))
    if r["width"] != REFLOW_WIDTH:
        return f"the reflow probe saw a {r['width']} px window, not {REFLOW_WIDTH} px"
    if r["page"] <= r["width"] + 1:
        return ""
    return (
        f"at {r['width']} px the page is {r['page']} px wide (WCAG 1.4.10 Reflow): "
        f"{', '.join(r['wide'])}"
    )


_RUN = """<script>
axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})
  .then(function (r) { var pre = document.createElement("pre"); pre.id = "axe-results";
    pre.textContent = JSON.stringify(r.violations); document.body.appendChild(pre); })
  .catch(function (e) { var pre = document.createElement("pre"); pre.id = "axe-results";
    pre.textContent = JSON.stringify([{id: "axe-error", impact: "error",
      help: String(e), nodes: []}]); document.body.appendChild(pre); });
</script>"""


def ensure_axe() -> Path:
    """axe.min.js, installed from the npm registry on first use."""
    if not AXE_JS.exists():
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(AXE_DIR),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            timeout=600,
        )
    return AXE_JS


def violations(page: Path, axe: Path) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on ``page``, as Chromium renders it."""
    text = page.read_text(encoding="utf-8")
    inject = f'<script src="{axe.resolve().as_uri()}"></script>' + _RUN % json.dumps(TAGS)
    probe = page.with_name(f".axe-{page.name}")
    probe.write_text(text.replace("</body>", inject + "</body>", 1), encoding="utf-8")
    try:
        done = chromium.run(
            "--allow-file-access-from-files",
            "--virtual-time-budget=60000",
            "--dump-dom",
            probe.resolve().as_uri(),
            timeout=300,
        )
    finally:
        probe.unlink(missing_ok=True)
    start = done.stdout.rfind('<pre id="axe-results">')
    if start < 0:
        return [
            {
                "id": "axe-did-not-run",
                "impact": "error",
                "nodes": [],
                "help": f"no results ({done.stderr.strip()[-200:]})",
            }
        ]
    body = done.stdout[start + len('<pre id="axe-results">') :]
    return json.loads(html.unescape(body[: body.index("</pre>")]))


def pages(out: Path) -> list[Path]:
    return sorted([*out.glob("*/*.html"), out / "index.html"])


def main() -> int:
    from analysis.reporting.batch import run_reports

    if run_reports(workers=None) != 0:  # made, or remade when anything changed
        print("accessibility check: the reports could not be made", file=sys.stderr)
        return 1
    axe = ensure_axe()
    found = 0
    checked = pages(config.REPORTS_DIR)
    for page in checked:
        if problem := reflow(page):
            found += 1
            print(f"{page.relative_to(config.PROJ_ROOT)}: reflow: {problem}", file=sys.stderr)
        for v in violations(page, axe):
            found += 1
            where = v["nodes"][0]["target"] if v.get("nodes") else ""
            print(
                f"{page.relative_to(config.PROJ_ROOT)}: {v['id']} ({v.get('impact')}): "
                f"{v.get('help')} {where}",
                file=sys.stderr,
            )
    if found:
        print(
            f"accessibility check FAILED: {found} violation(s) of WCAG 2.1 A/AA on "
            f"{len(checked)} pages (axe-core {AXE_VERSION})",
            file=sys.stderr,
        )
        return 1
    print(
        f"accessibility check passed: {len(checked)} pages, 0 violations of WCAG 2.1 A/AA "
        f"(axe-core {AXE_VERSION} in Chromium)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
