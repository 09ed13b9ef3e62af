"""Mention pills: what a Matrix client shows as a name is a link to a user id.

Element writes `<a href="https://matrix.to/#/@dan:example.org">Dan</a>` in the
formatted body and just "Dan" in the plain body. Commands need to know who was
meant, so each pill's words in the plain body become the user id.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

_PILL = re.compile(
    r"<a\s[^>]*href=[\"']https://matrix\.to/#/(?P<id>[^\"'?/]+)[^\"']*[\"'][^>]*>"
    r"(?P<label>.*?)</a>",
    re.IGNORECASE | re.DOTALL,
)
_TAGS = re.compile(r"<[^>]+>")


def pills_as_ids(body: str, formatted_body: str | None) -> str:
    """`body` with each mention pill's words replaced by the user id it links to."""
    if not formatted_body:
        return body
    for pill in _PILL.finditer(formatted_body):
        user_id = unquote(pill.group("id"))
        label = html.unescape(_TAGS.sub("", pill.group("label"))).strip()
        if not user_id.startswith("@") or not label or label == user_id:
            continue
        for shown in (f"@{label.lstrip('@')}", label):
            at = body.find(shown)
            if at >= 0:
                body = body[:at] + user_id + body[at + len(shown) :]
                break
    return body
