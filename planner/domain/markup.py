"""Comments: a Markdown subset rendered to safe HTML, and the @mentions they contain.

Raw HTML is refused when a comment is written (a clear message, nothing stored); what is
rendered is sanitized again (nh3, an allow-list) in case an older row holds something odd.
"""

from __future__ import annotations

import re
from functools import cache

import nh3
from markdown_it import MarkdownIt

from planner.domain.errors import ValidationError

MAX_COMMENT_LENGTH = 10_000
_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a", "del"}
_HTML = re.compile(r"</?[A-Za-z!?]|&#|javascript:", re.IGNORECASE)
# @handle: an e-mail's local part or a whole address; not inside a word or an address
MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "heading", "lheading", "hr", "table"], ignoreInvalid=True)
    return md


def check_comment(body: str) -> str:
    """The body to store (trimmed), or a coded refusal: empty, too long, or raw HTML."""
    text = body.strip()
    if not text:
        raise ValidationError.of("body", "field.required")
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError.of("body", "field.too_long", max=MAX_COMMENT_LENGTH)
    if _HTML.search(text):
        raise ValidationError.of("body", "comment.html")
    return text


def render_markdown(body: str) -> str:
    """Safe HTML: Markdown without raw HTML or images, then an allow-list sanitizer; each
    @mention outside links and code is marked (``<span class="mention">``)."""
    return _mark_mentions(_clean(_parser().render(body)))


_TAG = re.compile(r"(<[^>]*>)")


def _mark_mentions(html: str) -> str:
    parts = _TAG.split(html)
    inside = 0  # depth of <a>, <code>, <pre>: no marks there
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part.strip("</> ").split(" ")[0].lower()
            if name in ("a", "code", "pre"):
                inside += -1 if part.startswith("</") else 1
        elif not inside:
            parts[i] = MENTION.sub(r'<span class="mention">@\1</span>', part)
    return "".join(parts)


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def mentions(body: str) -> list[str]:
    """The handles mentioned, each once, in order (trailing dots dropped)."""
    seen: list[str] = []
    for match in MENTION.finditer(body):
        handle = match.group(1).rstrip(".").casefold()
        if handle and handle not in seen:
            seen.append(handle)
    return seen


def handle_of(email: str) -> str:
    """The short handle completion offers: the address's local part."""
    return email.split("@", 1)[0].casefold()
