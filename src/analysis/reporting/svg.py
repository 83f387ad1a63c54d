"""SVG figures in a page: as data URIs in, and read back out (the reports' and the tests' one
writer and reader of them)."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote


def svg_data_uri(svg: str) -> str:
    """A UTF-8 data URI for an SVG (smaller than base64). Double quotes and < > are
    percent-encoded: the URI stands in a double-quoted attribute, and an HTML serialiser would
    otherwise write them as &quot; &lt; &gt;."""
    return "data:image/svg+xml," + quote(svg, safe=" '=:;,./()-_!*?[]{}@$~+")


def svg_images(page: str) -> list[bytes]:
    """The SVG figures embedded in a page (the reports' and the tests' one reader of them)."""
    return [
        unquote(m).encode("utf-8")
        for m in re.findall(r'<img[^>]+src="data:image/svg\+xml,([^"]+)"', page)
    ]
