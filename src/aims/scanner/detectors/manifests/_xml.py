"""A small, safe XML reader that keeps line numbers (for pom.xml and MSBuild files).

Manifests never need a document type declaration, so any DTD (and with it every entity
declaration, the root of "billion laughs" and external-entity attacks) is refused before
expat expands anything. Namespace prefixes are dropped from element names: `pom:project`
and `{http://maven.apache.org/POM/4.0.0}project` both read as `project`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from aims.scanner.detectors.manifests._common import ManifestError


@dataclass(slots=True)
class Node:
    """One element: local name, attributes, text content, 1-based line, children."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> Node | None:
        """Return the first child with this local name (case-sensitive), or None."""
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def findall(self, tag: str) -> list[Node]:
        """Return every child with this local name."""
        return [child for child in self.children if child.tag == tag]

    def child_text(self, tag: str) -> str | None:
        """Return the stripped text of the first child with this name, or None."""
        child = self.find(tag)
        return child.text.strip() if child is not None else None

    def iter(self, tag: str) -> list[Node]:
        """Return every descendant (depth first, document order) with this local name."""
        found: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.tag == tag:
                found.append(node)
            stack.extend(reversed(node.children))
        return found


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


class _DTDRefused(Exception):
    pass


def parse_xml(text: str) -> Node:
    """Parse XML text into a `Node` tree, raising `ManifestError` on malformed input or DTDs."""
    parser = expat.ParserCreate()
    root: list[Node] = []
    stack: list[Node] = []
    texts: list[list[str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        node = Node(
            tag=_local(name),
            attrs={_local(k): v for k, v in attrs.items()},
            line=parser.CurrentLineNumber,
        )
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)
        texts.append([])

    def end(name: str) -> None:
        node = stack.pop()
        node.text = "".join(texts.pop())

    def chars(data: str) -> None:
        if texts:
            texts[-1].append(data)

    def refuse(*_args: object) -> None:
        raise _DTDRefused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        # A str is parsed as UTF-8 whatever the declaration says: the engine already decoded it.
        parser.Parse(text, True)
    except _DTDRefused:
        raise ManifestError(
            "document type declarations are not allowed in a manifest",
            line=parser.CurrentLineNumber,
        ) from None
    except (LookupError, ValueError) as exc:
        raise ManifestError(f"malformed XML: {exc}", line=parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise ManifestError(
            f"malformed XML: {expat.errors.messages[exc.code]}", line=exc.lineno
        ) from None
    if not root:
        raise ManifestError("malformed XML: no root element")
    return root[0]
