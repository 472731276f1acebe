"""Per-channel rendering of the bot's markdown replies.

The domain responses and the actions write (a small subset of) GitHub-flavoured markdown:
``**bold**``, ``*italic*``/``_italic_``, ``[text](url)``, ``- item`` lists, ``#`` headings and
pipe tables. The website widget renders that markdown itself; Slack and Telegram cannot show
tables and use their own markup, so their channels convert the text with the functions here.
"""

from __future__ import annotations

import html
import re
from typing import Callable, List, Sequence, Tuple

TELEGRAM_MAX_MESSAGE = 4096
SLACK_MAX_TEXT = 3000  # a section block's text limit

_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+|mailto:[^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")


def _split_row(line: str) -> List[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def _is_table_start(lines: Sequence[str], i: int) -> bool:
    return (
        i + 1 < len(lines)
        and "|" in lines[i]
        and bool(_TABLE_SEPARATOR.match(lines[i + 1]))
        and "|" in lines[i + 1]
    )


def split_tables(text: str) -> List[Tuple[str, object]]:
    """Split text into ("text", str) and ("table", (header, rows)) chunks."""
    lines = text.split("\n")
    chunks: List[Tuple[str, object]] = []
    buffer: List[str] = []
    i = 0
    while i < len(lines):
        if _is_table_start(lines, i):
            if buffer:
                chunks.append(("text", "\n".join(buffer)))
                buffer = []
            header = _split_row(lines[i])
            rows = []
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_split_row(lines[i]))
                i += 1
            chunks.append(("table", (header, rows)))
            continue
        buffer.append(lines[i])
        i += 1
    if buffer:
        chunks.append(("text", "\n".join(buffer)))
    return chunks


def table_to_list_markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table as a markdown list: one bold line per row, one bullet per other column."""
    blocks = []
    for row in rows:
        cells = list(row) + [""] * (len(header) - len(row))
        title = cells[0] if cells and cells[0] else ""
        first_header = header[0] if header else ""
        lines = []
        if title:
            lines.append(f"**{first_header + ': ' if first_header else ''}{title}**")
        for name, value in zip(header[1:], cells[1:]):
            if not value:
                continue
            lines.append(f"- {name}: {value}" if name else f"- {value}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def tables_to_lists(text: str) -> str:
    """Replace every pipe table in markdown ``text`` by a list (see table_to_list_markdown)."""
    out = []
    for kind, content in split_tables(text):
        if kind == "table":
            header, rows = content  # type: ignore[misc]
            out.append(table_to_list_markdown(header, rows))
        else:
            out.append(content)  # type: ignore[arg-type]
    return "\n".join(out)


def _convert_inline(
    text: str,
    bold: Callable[[str], str],
    italic: Callable[[str], str],
    code: Callable[[str], str],
    link: Callable[[str, str], str],
) -> str:
    """Inline markdown → channel markup, on text that is already escaped for the channel.

    Code spans and links are replaced by placeholders first so that their content is not
    touched by the emphasis rules.
    """
    protected: List[str] = []

    def protect(value: str) -> str:
        protected.append(value)
        return f"\x00{len(protected) - 1}\x00"

    text = _CODE.sub(lambda m: protect(code(m.group(1))), text)
    text = _LINK.sub(lambda m: protect(link(m.group(1), m.group(2))), text)
    text = _BOLD.sub(lambda m: protect(bold(m.group(2))), text)
    text = _ITALIC_STAR.sub(lambda m: italic(m.group(1)), text)
    text = _ITALIC_UNDERSCORE.sub(lambda m: italic(m.group(1)), text)
    # placeholders may nest (a link inside bold): resolve until none is left
    while "\x00" in text:
        text = re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], text)
    return text


def _convert_blocks(text: str, heading: Callable[[str], str]) -> str:
    lines = []
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m:
            lines.append(heading(m.group(1)))
            continue
        m = _BULLET.match(line)
        if m:
            indent = "    " if m.group(1) else ""
            lines.append(f"{indent}• {m.group(2)}")
            continue
        lines.append(line)
    return "\n".join(lines)


def to_slack_mrkdwn(text: str) -> str:
    """Markdown → Slack mrkdwn: tables become lists, ``**b**`` → ``*b*``, links ``<url|text>``."""
    text = tables_to_lists(text)
    # Slack needs exactly these three escaped in message text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _convert_blocks(text, heading=lambda h: f"**{h}**")
    return _convert_inline(
        text,
        bold=lambda s: f"*{s}*",
        italic=lambda s: f"_{s}_",
        code=lambda s: f"`{s}`",
        link=lambda label, url: f"<{url}|{label}>",
    ).strip()


def to_telegram_html(text: str) -> str:
    """Markdown → Telegram HTML (parse_mode="HTML"): tables become lists, all text escaped."""
    text = tables_to_lists(text)
    text = html.escape(text, quote=False)
    text = _convert_blocks(text, heading=lambda h: f"**{h}**")
    return _convert_inline(
        text,
        bold=lambda s: f"<b>{s}</b>",
        italic=lambda s: f"<i>{s}</i>",
        code=lambda s: f"<code>{s}</code>",
        # url is already escaped for &, <, > (above); only the quote remains for the attribute
        link=lambda label, url: f'<a href="{url.replace(chr(34), "&quot;")}">{label}</a>',
    ).strip()


def chunk_text(text: str, limit: int) -> List[str]:
    """Split text into pieces of at most ``limit`` characters, at paragraph or line breaks."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: List[str] = []
    current = ""
    for paragraph in re.split(r"(\n\n)", text):
        if len(current) + len(paragraph) <= limit:
            current += paragraph
            continue
        if current.strip():
            pieces.append(current.strip())
        current = ""
        while len(paragraph) > limit:
            cut = paragraph.rfind("\n", 0, limit)
            if cut <= 0:
                cut = paragraph.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            pieces.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:]
        current = paragraph
    if current.strip():
        pieces.append(current.strip())
    return pieces
