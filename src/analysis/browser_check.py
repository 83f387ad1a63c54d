"""``make check-browser``: render one report in headless Chromium and check what a reader sees.

Renders ``reports/folehaven/2025.html`` (made first if missing or out of date) to a PNG
screenshot, and reads the DOM as Chromium built it: the page must have its title and heading,
every plot must be an embedded SVG that parses and has a real size, the synthetic-data banner
must be there when the data are synthetic, and no error text may appear. The screenshot is kept as
``reports/browser-check.png`` for a person to look at.
"""

from __future__ import annotations

import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from analysis import config
from analysis.reporting import chromium

PARTNERSHIP, YEAR = "folehaven", 2025
ERROR_TEXT = ("Traceback", "NameError", "KeyError", "ValueError", "Exception", "papermill")


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def svg_size(data: bytes) -> tuple[float, float]:
    """Width and height in points of an SVG with drawn content (ValueError otherwise)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not an SVG: {exc}") from None
    ns = "{http://www.w3.org/2000/svg}"
    if root.tag != f"{ns}svg" or root.find(f".//{ns}path") is None:
        raise ValueError("not an SVG drawing")
    return tuple(float(root.get(k, "0").removesuffix("pt")) for k in ("width", "height"))


def check(page: Path, screenshot: Path, synthetic: bool) -> list[str]:
    problems = []
    url = page.resolve().as_uri()
    shot = chromium.run(f"--screenshot={screenshot}", "--window-size=1280,2400", url)
    dom = chromium.run("--dump-dom", url).stdout
    if not screenshot.exists() or screenshot.stat().st_size < 20_000:
        problems.append(f"no usable screenshot ({shot.stderr.strip()[-200:]})")
    else:
        w, h = png_size(screenshot.read_bytes())
        if (w, h) != (1280, 2400):
            problems.append(f"screenshot is {w}x{h}, expected 1280x2400")
    title = re.search(r"<title>([^<]+)</title>", dom)
    if not title or f"{YEAR}" not in title.group(1):
        problems.append("the page has no title naming the year")
    if "<h1" not in dom:
        problems.append("the page has no heading")
    from analysis.reporting.svg import svg_images

    images = svg_images(dom)
    if len(images) < 3:
        problems.append(f"expected at least 3 embedded plots, found {len(images)}")
    for i, data in enumerate(images):
        try:
            w, h = svg_size(data)
            if w < 200 or h < 100:
                problems.append(f"plot {i + 1} is only {w}x{h} points")
        except ValueError as exc:
            problems.append(f"plot {i + 1}: {exc}")
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", dom, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    problems += [f"error text on the page: {word!r}" for word in ERROR_TEXT if word in text]
    if synthetic and "EKSEMPELDATA" not in text:
        problems.append("the synthetic-data banner is missing")
    return problems


def main() -> int:
    from analysis.reporting.batch import run_reports

    # made, or remade when the template, package or data changed (skipped when up to date)
    if run_reports(partnership=PARTNERSHIP, year=YEAR, workers=1) != 0:
        print("browser check: the report could not be made", file=sys.stderr)
        return 1
    page = config.REPORTS_DIR / PARTNERSHIP / f"{YEAR}.html"
    from analysis.loaders import load_dataset

    screenshot = config.REPORTS_DIR / "browser-check.png"
    screenshot.unlink(missing_ok=True)
    problems = check(page, screenshot, load_dataset().synthetic)
    if problems:
        print(f"browser check of {page} FAILED:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(
        f"browser check passed: {page} rendered in Chromium (title, heading, plots, banner, "
        f"no error text); screenshot {screenshot}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
