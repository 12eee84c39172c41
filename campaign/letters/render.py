"""One rendering of a letter's text: Markdown → sanitised HTML → a tree both the PDF and the plain
text are set from, so the email's HTML part, its text part and the PDF can never disagree.

The tree is built from the sanitiser's output (``campaign.text.render_markdown``: the project's
Markdown and nh3), never from the Markdown source, so nothing the page would not show reaches
paper, and no markup is guessed at with regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from markupsafe import Markup

from campaign.text import render_markdown

#: elements that hold a block of text (the sanitiser allows no others that do)
BLOCKS = {"p", "h2", "h3", "h4", "li", "pre"}
VOID = {"br", "hr"}


@dataclass
class Node:
    """An element of the sanitised HTML (``tag``), or a run of text (``tag`` "#text")."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Node("#text", text=data))


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@dataclass(frozen=True)
class Rendering:
    """A letter body rendered once: its sanitised HTML and the tree set from it."""

    html: Markup
    tree: Node


def render_body(markdown_source: str) -> Rendering:
    html = render_markdown(markdown_source)
    return Rendering(html=html, tree=parse(str(html)))


# -- plain text ---------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split())


def link_text(node: Node) -> str:
    """A link as printed on paper: its words and then its full address (once, if they are the same)."""
    words = _squash(inline_text(node.children))
    href = node.attrs.get("href", "")
    if not href or words == href or href == f"mailto:{words}":
        return words or href
    return f"{words} ({href.removeprefix('mailto:')})" if words else href


def inline_text(nodes: list[Node]) -> str:
    parts = []
    for node in nodes:
        if node.tag == "#text":
            parts.append(node.text)
        elif node.tag == "br":
            parts.append("\n")
        elif node.tag == "a":
            parts.append(link_text(node))
        else:
            parts.append(inline_text(node.children))
    return "".join(parts)


def _inline_lines(nodes: list[Node]) -> list[str]:
    return [_squash(line) for line in inline_text(nodes).split("\n") if line.strip()]


def _list_items(node: Node) -> list[Node]:
    return [child for child in node.children if child.tag == "li"]


def _text_blocks(nodes: list[Node], indent: str = "") -> list[str]:
    """Paragraphs of plain text; list items numbered or dashed, nested lists and quotes indented."""
    blocks: list[str] = []
    inline: list[Node] = []

    def flush() -> None:
        lines = _inline_lines(inline)
        if lines:
            blocks.append("\n".join(indent + line for line in lines))
        inline.clear()

    for node in nodes:
        if node.tag in ("ol", "ul"):
            flush()
            start = int(node.attrs.get("start", "1") or 1) if node.tag == "ol" else 1
            items = []
            for number, item in enumerate(_list_items(node), start=start):
                marker = f"{number}. " if node.tag == "ol" else "- "
                inner = _text_blocks(item.children, indent + " " * len(marker))
                if inner:
                    inner[0] = indent + marker + inner[0][len(indent) + len(marker) :]
                items.append("\n".join(inner))
            blocks.append("\n".join(items))
        elif node.tag == "blockquote":
            flush()
            blocks.extend(_text_blocks(node.children, indent + "    "))
        elif node.tag == "hr":
            flush()
            blocks.append(indent + "* * *")
        elif node.tag in ("p", "h2", "h3", "h4", "pre"):
            flush()
            if node.tag == "pre":
                text = inline_text(node.children).rstrip("\n")
                blocks.append("\n".join(indent + line for line in text.split("\n")))
            else:
                lines = _inline_lines(node.children)
                if lines:
                    blocks.append("\n".join(indent + line for line in lines))
        else:
            inline.append(node)
    flush()
    return blocks


def plain_text(rendering: Rendering) -> str:
    """The body as readable plain text: no markup, lists numbered, links followed by their address."""
    return "\n\n".join(block for block in _text_blocks(rendering.tree.children) if block.strip())
