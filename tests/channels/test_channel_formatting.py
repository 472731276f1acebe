"""Per-channel rendering of markdown replies (bot/channels/formatting.py)."""

from bot.channels.formatting import (
    chunk_text,
    tables_to_lists,
    to_slack_mrkdwn,
    to_telegram_html,
)

TABLE = """Options side by side

| | deficiency risk here | credit impact | keeps home |
|---|---|---|---|
| loan modification | none | small if current | yes |
| short sale | barred / waiver | large | no |

Want details?"""


def test_table_becomes_one_block_per_row():
    text = tables_to_lists(TABLE)
    assert "|" not in text
    assert "**loan modification**\n- deficiency risk here: none\n- credit impact: small if current" in text
    assert "**short sale**\n- deficiency risk here: barred / waiver" in text
    assert text.startswith("Options side by side") and text.endswith("Want details?")


def test_table_with_named_first_column_keeps_the_name():
    text = tables_to_lists("| state | recourse |\n|:--|--:|\n| TX | no |")
    assert text.strip() == "**state: TX**\n- recourse: no"


def test_slack_mrkdwn_conversion():
    text = to_slack_mrkdwn(
        "**Bold** and *italic*, a [link](https://example.org/x?a=1&b=2), `code_x`, a <tag> & more\n"
        "- first\n- second\n# Heading"
    )
    assert text.startswith("*Bold* and _italic_, a <https://example.org/x?a=1&amp;b=2|link>")
    assert "`code_x`" in text
    assert "&lt;tag&gt; &amp; more" in text
    assert "\n• first\n• second\n*Heading*" in text


def test_slack_mrkdwn_renders_tables_as_lists():
    text = to_slack_mrkdwn(TABLE)
    assert "|" not in text
    assert "*loan modification*\n• deficiency risk here: none" in text


def test_telegram_html_escapes_and_converts():
    text = to_telegram_html(
        "**Bold** <script>alert(1)</script> & *it* [HUD](https://www.hud.gov/?a=1&b=\"2\") snake_case_name"
    )
    assert text.startswith("<b>Bold</b> &lt;script&gt;alert(1)&lt;/script&gt; &amp; <i>it</i>")
    assert '<a href="https://www.hud.gov/?a=1&amp;b=&quot;2&quot;">HUD</a>' in text
    assert "snake_case_name" in text  # underscores inside words are not italics


def test_telegram_html_tables_become_lists():
    text = to_telegram_html(TABLE)
    assert "|" not in text
    assert "<b>short sale</b>\n• deficiency risk here: barred / waiver" in text


def test_chunk_text_respects_limit_and_keeps_everything():
    paragraphs = [f"paragraph {i} " + "x" * 50 for i in range(40)]
    text = "\n\n".join(paragraphs)
    chunks = chunk_text(text, 300)
    assert all(len(c) <= 300 for c in chunks)
    assert [p for c in chunks for p in c.split("\n\n")] == paragraphs
    assert chunk_text("short", 300) == ["short"]
    assert chunk_text("  ", 300) == []
