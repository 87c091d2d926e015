"""Rules over the text of instruction files: secrets, hidden Unicode and markup, injection
phrases, encoded payloads, exfiltration, dangerous commands, safety-off directives and quality.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from aims.agents import commands as cmd
from aims.agents import unicode as uni
from aims.agents.hits import Hit, line_col, shorten
from aims.agents.knowledge import load_knowledge

PROSE_FORMATS = frozenset({"markdown", "text"})
TOKEN_BUDGET = 6000
"""Estimated tokens (characters / 4) above which an instruction file is reported (AIM551)."""

_UNICODE_RULES = {
    "tag": ("AIM503", "hidden text in Unicode tag characters"),
    "zero-width": ("AIM504", "zero-width characters inside a word"),
    "bidi": ("AIM505", "bidirectional control character"),
    "variation-selector": ("AIM506", "variation selectors that encode data"),
    "blank-letter": ("AIM507", "a letter that renders as blank space"),
    "homoglyph": ("AIM508", "a word mixing Latin with look-alike letters of another script"),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an instruction file and whether it sits in a fenced code block."""

    number: int
    text: str
    offset: int
    in_code: bool


def split_lines(text: str) -> list[Line]:
    """Split into lines, tracking Markdown fenced code blocks."""
    out: list[Line] = []
    offset = 0
    fence = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.lstrip()
        opening = re.match(r"(`{3,}|~{3,})", stripped)
        if fence:
            out.append(Line(number, raw, offset, True))
            if opening and opening.group(1).startswith(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
            out.append(Line(number, raw, offset, True))
        else:
            out.append(Line(number, raw, offset, False))
        offset += len(raw) + 1
    return out


def _quoted(line: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside quotes or backticks on its line (a quotation)."""
    for left, right in (('"', '"'), ("“", "”"), ("`", "`"), ("'", "'"), ("«", "»")):
        before = line[:start]
        if left == right:
            if before.count(left) % 2 == 1 and right in line[end:]:
                return True
        elif before.rfind(left) > before.rfind(right) and right in line[end:]:
            return True
    return False


def unicode_hits(text: str) -> list[Hit]:
    """AIM503-AIM508: hidden and deceptive Unicode, with the reviewer/model views of the line."""
    hits: list[Hit] = []
    lines = text.split("\n")
    seen: set[tuple[str, int]] = set()
    for span in uni.find_all(text):
        rule_id, label = _UNICODE_RULES[span.kind]
        line, col = line_col(text, span.start)
        key = (rule_id, line)
        if key in seen and span.kind not in ("tag",):
            continue
        seen.add(key)
        source = lines[line - 1]
        message = f"{label} (line {line})"
        if span.decoded and span.kind in ("tag", "variation-selector", "zero-width"):
            message = f"{label}: the model reads {span.decoded!r}"
            found = signals(span.decoded)
            if found:
                message += f" ({', '.join(found)})"
        elif span.kind == "homoglyph":
            message = f"{label}: {span.decoded!r}"
        elif span.kind == "bidi":
            message = f"{label} {span.decoded}"
        hits.append(
            Hit(
                rule_id,
                line,
                message,
                match=f"{span.kind}:{span.decoded or source.strip()}",
                column=col,
                evidence=shorten(uni.model_view(source)),
                properties={
                    "hidden_text": span.decoded,
                    "reviewer_sees": uni.reviewer_view(source),
                    "model_reads": uni.model_view(source),
                },
            )
        )
    return hits


def _phrase_hits(line: Line, technique: str, rule_id: str, label: str) -> Iterator[Hit]:
    for lang, patterns in load_knowledge().phrases[technique].items():
        for pattern in patterns:
            for m in pattern.finditer(line.text):
                if _quoted(line.text, m.start(), m.end()):
                    continue
                yield Hit(
                    rule_id,
                    line.number,
                    f"{label} ({lang}): {shorten(m.group(), 80)!r}",
                    match=m.group().lower(),
                    column=m.start() + 1,
                    evidence=shorten(line.text),
                    properties={"language": lang},
                )
                return


ROLE_TAG = re.compile(
    r"<\|(?:im_start|im_end|system|assistant|user|endoftext|start_header_id|end_header_id|eot_id)\|>"
    r"|</?(?:system|assistant|sys|system_prompt|system-prompt|developer)>"
    r"|\[/?INST\]|<</?SYS>>|\[(?:SYSTEM|ASSISTANT)\]\s*:?"
    r"|^\s*#{1,4}\s*(?:new\s+)?system\s+(?:prompt|message|instructions?)\s*:?\s*$",
    re.IGNORECASE,
)
IMPORTANT_TAG = re.compile(
    r"<(?:IMPORTANT|CRITICAL|URGENT|PRIORITY|OVERRIDE|ADMIN|SECRET|HIDDEN)(?:\s[^>]*)?>",
    re.IGNORECASE,
)
HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
REF_COMMENT = re.compile(
    r"^\s*\[(?://|comment|_)\]:\s*(?:#|<>)\s*[\"'(](.*)[\"')]\s*$", re.IGNORECASE
)
DETAILS = re.compile(r"<details(?![^>]*\bopen\b)[^>]*>(.*?)</details>", re.DOTALL | re.IGNORECASE)
CSS_HIDDEN = re.compile(
    r"<(\w+)[^>]*\bstyle\s*=\s*[\"'][^\"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|em|rem|pt)?\s*(?=;|[\"'])|opacity\s*:\s*0(?:\.0+)?\s*(?=;|[\"'])|color\s*:\s*(?:#fff(?:fff)?|white|transparent)\b)[^\"']*[\"'][^>]*>(.*?)</\1>"
    r"|<(\w+)[^>]*\bhidden\b[^>]*>(.*?)</\3>",
    re.DOTALL | re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]{2,}")
_PROSE_WORD = re.compile(r"(?<![\w-])[^\W\d_]{2,}(?![\w-])")
_TOOL_COMMENT = re.compile(
    r"(?i)^(?:markdownlint|prettier|toc|vale|textlint|cspell|spell-?checker|eslint|mdformat|"
    r"remark|alex|lint|begin|end|start|stop|omit|include|snippet|auto-?generated|generated|"
    r"do\s+not\s+edit|docs?-?gen|all-contributors|release-please|x-release-please)(?![a-z])"
)
IMAGE_BEACON = re.compile(
    r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>?]+\?(?:[^)\s<>{\[]|\{[^}\n]*\}|\[[^\]\n]*\]|<[^>\n]*>)+)>?\s*(?:\"[^\"]*\")?\)"
)
_BEACON_PARAM = re.compile(
    r"(?:^|[?&])(?:q|d|data|payload|secret|token|key|api_?key|env|conversation|chat|history|prompt|content|msg|message|info|leak|c)=|[{}$<>\[\]]|%7B|%24|%3C",
    re.IGNORECASE,
)
REMOTE_INSTRUCTIONS = re.compile(
    r"\b(?:fetch|download|read|load|retrieve|get|open|visit|curl|wget|browse\s+to)\b[^\n]{0,60}?"
    r"(?:https?://\S+)[^\n]{0,80}?\b(?:and|then|to)\s+(?:follow|execute|obey|apply|run|do\s+what|carry\s+out)"
    r"|\b(?:follow|obey|execute|apply)\s+(?:the\s+)?(?:latest\s+|current\s+|updated\s+)?(?:instructions|rules|directions|commands|prompt)\s+(?:at|from|in|found\s+at|hosted\s+at)\s+<?https?://",
    re.IGNORECASE,
)
CONFIRM_BYPASS = re.compile(
    r"\b(?:never|don't|do\s+not|no\s+need\s+to|without)\s+(?:ever\s+)?(?:ask(?:ing)?|wait(?:ing)?|prompt(?:ing)?|check(?:ing)?\s+with)\s+(?:the\s+user\s+)?(?:for\s+)?(?:the\s+user'?s?\s+)?(?:confirmation|permission|approval|consent)"
    r"|\b(?:auto-?approve|automatically\s+approve|always\s+approve)\s+(?:all|every|any)\b"
    r"|\bproceed\s+without\s+(?:asking|confirmation|approval|permission)",
    re.IGNORECASE,
)
FAKE_RESULTS = re.compile(
    r"\b(?:report|mark|say|claim|state|tell\s+the\s+user)\s+(?:that\s+)?(?:all\s+)?(?:the\s+)?(?:tests?|checks?|builds?|ci)\s+(?:as\s+|have\s+|are\s+|is\s+)?(?:passed|passing|pass|green|successful|succeeded)\b[^\n]{0,60}?\b(?:even\s+if|regardless|whether\s+or\s+not|no\s+matter|when\s+they\s+fail|if\s+(?:they|it)\s+fail)"
    r"|\b(?:if|when)\s+(?:the\s+)?tests?\s+fails?,?\s+(?:just\s+|simply\s+)?(?:delete|remove|skip|comment\s+out|disable)\s+(?:them|it|the\s+(?:failing\s+)?tests?)"
    r"|\b(?:always\s+)?(?:report|say|claim)\s+(?:that\s+)?(?:all\s+)?tests\s+(?:passed|pass)\s+(?:without\s+running)",
    re.IGNORECASE,
)
VAGUE = re.compile(
    r"\b(?:be\s+careful|use\s+best\s+practices|follow\s+best\s+practices|write\s+(?:good|clean|nice|quality)\s+code|use\s+common\s+sense|do\s+the\s+right\s+thing|as\s+appropriate|when\s+(?:necessary|appropriate)|if\s+(?:needed|possible|appropriate)|be\s+smart|make\s+it\s+(?:good|better|nice)|high[-\s]quality|as\s+needed)\b",
    re.IGNORECASE,
)
_DIRECTIVE = re.compile(
    r"\b(?P<pol>always|must(?!\s+not)|never|must\s+not|do\s+not|don't|should\s+not)\s+(?P<obj>(?:use|run|call|commit|push|add|write|create|edit|modify|delete|import|install)\s+[\w.@/+-]*\w)",
    re.IGNORECASE,
)
_B64 = re.compile(
    r"(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=])"
)
_HEX = re.compile(
    r"(?<![0-9A-Fa-fx])(?:[0-9A-Fa-f]{2}){16,}(?![0-9A-Fa-f])|(?:\\x[0-9A-Fa-f]{2}){8,}"
)
_PCT = re.compile(r"(?:%[0-9A-Fa-f]{2}[^%\s]{0,3}){6,}")
_SPACED = re.compile(r"(?<!\w)(?:[A-Za-z][ .\-_]{1,3}){7,}[A-Za-z](?!\w)")


def signals(text: str) -> list[str]:
    """Technique labels that a decoded payload triggers when scanned again."""
    found: list[str] = []
    lowered = text.lower()
    knowledge = load_knowledge()
    found += [
        technique
        for technique in ("override", "secrecy")
        if any(p.search(text) for pats in knowledge.phrases[technique].values() for p in pats)
    ]
    if ROLE_TAG.search(text) or IMPORTANT_TAG.search(text):
        found.append("role-tag")
    if (
        cmd.PIPE_TO_SHELL.search(text)
        or cmd.ENV_EXFIL.search(text)
        or cmd.RM_HOME_OR_ROOT.search(text)
    ):
        found.append("dangerous-command")
    if any(True for _ in cmd.exfil_urls(text)) or REMOTE_INSTRUCTIONS.search(text):
        found.append("exfiltration")
    if CONFIRM_BYPASS.search(text) or (
        "do not" in lowered and "user" in lowered and "tell" in lowered
    ):
        found.append("safety-off")
    return found


def _qualified(line: str, end: int) -> bool:
    """True when more than two words follow a directive's object before the clause ends.

    "Never run tests in watch mode" restricts "run tests" and does not contradict "Always run
    tests"; "Never use yarn; use pnpm" does.
    """
    clause = re.split(r"[.;:,!?(\u2014]| - ", line[end:], maxsplit=1)[0]
    return len(_WORDS.findall(clause)) > 2


def _printable_words(text: str) -> bool:
    if not text or sum(c.isprintable() or c in "\n\t" for c in text) < 0.95 * len(text):
        return False
    return len(_WORDS.findall(text)) >= 4 and " " in text


def _decode_b64(token: str) -> str:
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=False)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return ""


def _decode_hex(token: str) -> str:
    try:
        raw = bytes.fromhex(token.replace("\\x", ""))
        return raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""


def _encoded_hits(line: Line) -> Iterator[Hit]:
    text = line.text
    if "base64," not in text:
        for m in _B64.finditer(text):
            decoded = _decode_b64(m.group())
            if _printable_words(decoded):
                found = signals(decoded)
                yield Hit(
                    "AIM518",
                    line.number,
                    f"base64 text decodes to {shorten(decoded, 80)!r}"
                    + (f" ({', '.join(found)})" if found else ""),
                    match=decoded,
                    column=m.start() + 1,
                    evidence=f"decoded: {shorten(decoded)}",
                    properties={"decoded": decoded, "signals": found},
                )
    for m in _HEX.finditer(text):
        decoded = _decode_hex(m.group())
        if _printable_words(decoded):
            found = signals(decoded)
            yield Hit(
                "AIM519",
                line.number,
                f"hex text decodes to {shorten(decoded, 80)!r}"
                + (f" ({', '.join(found)})" if found else ""),
                match=decoded,
                column=m.start() + 1,
                evidence=f"decoded: {shorten(decoded)}",
                properties={"decoded": decoded, "signals": found},
            )
    for m in _PCT.finditer(text):
        decoded = unquote(m.group())
        found = signals(decoded)
        if found:
            yield Hit(
                "AIM520",
                line.number,
                f"URL-encoded text decodes to {shorten(decoded, 80)!r} ({', '.join(found)})",
                match=decoded,
                column=m.start() + 1,
                evidence=f"decoded: {shorten(decoded)}",
                properties={"decoded": decoded, "signals": found},
            )
    for m in _SPACED.finditer(text):
        collapsed = re.sub(r"[ .\-_]", "", m.group())
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", collapsed)
        found = signals(spaced) or signals(_resegment(collapsed))
        if found:
            yield Hit(
                "AIM521",
                line.number,
                f"spaced-out letters read {collapsed!r} ({', '.join(found)})",
                match=collapsed.lower(),
                column=m.start() + 1,
                evidence=shorten(text),
                properties={"decoded": collapsed, "signals": found},
            )


_SEGMENT_WORDS = (
    "ignore",
    "disregard",
    "forget",
    "all",
    "previous",
    "prior",
    "above",
    "instructions",
    "rules",
    "system",
    "prompt",
    "do",
    "not",
    "tell",
    "the",
    "user",
    "never",
    "reveal",
    "secret",
    "curl",
    "sh",
    "bash",
    "send",
    "env",
    "to",
    "your",
)


def _resegment(letters: str) -> str:
    """Greedy longest-match split of run-together letters into known words."""
    low = letters.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        for word in sorted(_SEGMENT_WORDS, key=len, reverse=True):
            if low.startswith(word, i):
                out.append(word)
                i += len(word)
                break
        else:
            out.append(low[i])
            i += 1
    return " ".join(out)


def _markup_hits(text: str) -> Iterator[Hit]:
    for m in HTML_COMMENT.finditer(text):
        body = m.group(1).strip()
        if body.lower().startswith("aims:") or _TOOL_COMMENT.match(body):
            continue  # a directive for a tool (suppressions, linters, generators), not prose
        if len(_PROSE_WORD.findall(body)) >= 4:
            line, col = line_col(text, m.start())
            yield Hit(
                "AIM509",
                line,
                f"HTML comment hides text from the rendered view: {shorten(body, 80)!r}",
                match=body,
                column=col,
                evidence=shorten(body),
            )
    for m in DETAILS.finditer(text):
        body = re.sub(r"<summary>.*?</summary>", "", m.group(1), flags=re.DOTALL | re.IGNORECASE)
        if signals(body) or len(_WORDS.findall(body)) >= 12:
            line, col = line_col(text, m.start())
            yield Hit(
                "AIM511",
                line,
                f"collapsed <details> block holds instructions: {shorten(body.strip(), 80)!r}",
                match=body.strip(),
                column=col,
                evidence=shorten(body),
            )
    for m in CSS_HIDDEN.finditer(text):
        body = (m.group(2) or m.group(4) or "").strip()
        if _WORDS.search(body):
            line, col = line_col(text, m.start())
            yield Hit(
                "AIM512",
                line,
                f"text hidden by styling: {shorten(body, 80)!r}",
                match=body,
                column=col,
                evidence=shorten(body),
            )


def prose_hits(text: str, *, fmt: str) -> list[Hit]:
    """Every text rule for instruction prose (Markdown or plain text)."""
    hits: list[Hit] = list(_markup_hits(text)) if fmt in PROSE_FORMATS else []
    lines = split_lines(text)
    directives: dict[str, tuple[str, int]] = {}
    seen_lines: dict[str, int] = {}
    reported: set[str] = set()
    for line in lines:
        t = line.text
        if not t.strip():
            continue
        if fmt in PROSE_FORMATS:
            m = REF_COMMENT.match(t)
            if m and _WORDS.search(m.group(1)):
                hits.append(
                    Hit(
                        "AIM510",
                        line.number,
                        f"Markdown reference comment hides text: {shorten(m.group(1), 80)!r}",
                        match=m.group(1),
                        column=1,
                        evidence=shorten(t),
                    )
                )
        hits.extend(_phrase_hits(line, "override", "AIM514", "instruction-override phrase"))
        hits.extend(_phrase_hits(line, "secrecy", "AIM515", "secrecy directive"))
        for m in ROLE_TAG.finditer(t):
            if not _quoted(t, m.start(), m.end()):
                hits.append(
                    Hit(
                        "AIM516",
                        line.number,
                        f"fake role or chat-template tag {m.group().strip()!r}",
                        match=m.group().strip().lower(),
                        column=m.start() + 1,
                        evidence=shorten(t),
                    )
                )
                break
        for m in IMPORTANT_TAG.finditer(t):
            if not _quoted(t, m.start(), m.end()):
                hits.append(
                    Hit(
                        "AIM517",
                        line.number,
                        f"{m.group()} block used to make text look authoritative",
                        match=m.group().lower(),
                        column=m.start() + 1,
                        evidence=shorten(t),
                    )
                )
                break
        hits.extend(_encoded_hits(line))
        for m in IMAGE_BEACON.finditer(t):
            query = m.group(1).split("?", 1)[1]
            if _BEACON_PARAM.search("?" + query):
                hits.append(
                    Hit(
                        "AIM522",
                        line.number,
                        f"Markdown image sends data in its query string to {cmd.url_host(m.group(1)) or 'a remote host'}",
                        match=m.group(1),
                        column=m.start() + 1,
                        evidence=shorten(m.group()),
                    )
                )
        for start, url, host in cmd.exfil_urls(t):
            hits.append(
                Hit(
                    "AIM523",
                    line.number,
                    f"URL to a request-capture, webhook or tunnel host: {host}",
                    match=host,
                    column=start + 1,
                    evidence=shorten(url),
                )
            )
            break
        hits.extend(_command_hits(line.number, t))
        m = REMOTE_INSTRUCTIONS.search(t)
        if m and not cmd.negated(t, m.start()):
            hits.append(
                Hit(
                    "AIM525",
                    line.number,
                    "tells the agent to fetch instructions from a URL and follow them",
                    match=m.group().lower(),
                    column=m.start() + 1,
                    evidence=shorten(t),
                )
            )
        m = CONFIRM_BYPASS.search(t)
        if m and not _quoted(t, m.start(), m.end()):
            hits.append(
                Hit(
                    "AIM532",
                    line.number,
                    f"tells the agent to act without confirmation: {shorten(m.group(), 80)!r}",
                    match=m.group().lower(),
                    column=m.start() + 1,
                    evidence=shorten(t),
                )
            )
        m = FAKE_RESULTS.search(t)
        if m and not _quoted(t, m.start(), m.end()):
            hits.append(
                Hit(
                    "AIM533",
                    line.number,
                    f"tells the agent to misreport test results: {shorten(m.group(), 80)!r}",
                    match=m.group().lower(),
                    column=m.start() + 1,
                    evidence=shorten(t),
                )
            )
        if fmt not in PROSE_FORMATS or line.in_code:
            continue
        m = VAGUE.search(t)
        if m and len(_WORDS.findall(t)) <= 12:
            hits.append(
                Hit(
                    "AIM548",
                    line.number,
                    f"vague directive {m.group()!r} gives the agent nothing to check",
                    match=t.strip().lower(),
                    column=m.start() + 1,
                    evidence=shorten(t),
                )
            )
        for d in _DIRECTIVE.finditer(t):
            if _qualified(t, d.end()):
                continue
            pol = d.group("pol").lower()
            positive = pol in ("always", "must")
            obj = " ".join(d.group("obj").lower().split())
            other = directives.get(obj)
            if other is not None and other[0] != ("+" if positive else "-"):
                hits.append(
                    Hit(
                        "AIM549",
                        line.number,
                        f"contradicts line {other[1]}: {pol!r} {obj!r}",
                        match=obj,
                        column=d.start() + 1,
                        evidence=shorten(t),
                        properties={"other_line": other[1]},
                    )
                )
            directives.setdefault(obj, ("+" if positive else "-", line.number))
        norm = " ".join(_WORDS.findall(t.lower()))
        if len(norm.split()) >= 6 and not t.lstrip().startswith(("#", "|")):
            if norm in seen_lines and norm not in reported:
                reported.add(norm)
                hits.append(
                    Hit(
                        "AIM550",
                        line.number,
                        f"repeats line {seen_lines[norm]} word for word",
                        match=norm,
                        column=1,
                        evidence=shorten(t),
                        properties={"other_line": seen_lines[norm]},
                    )
                )
            else:
                seen_lines.setdefault(norm, line.number)
    if fmt in PROSE_FORMATS and len(text) / 4 > TOKEN_BUDGET:
        hits.append(
            Hit(
                "AIM551",
                1,
                f"about {len(text) // 4} tokens, over the {TOKEN_BUDGET}-token budget: every session pays for it",
                match="token-budget",
                column=1,
            )
        )
    return hits


def _command_hits(number: int, t: str) -> Iterator[Hit]:
    checks = (
        (cmd.PIPE_TO_SHELL, "AIM526", "downloads a script and runs it unchecked"),
        (cmd.RM_HOME_OR_ROOT, "AIM527", "recursively deletes the home or root directory"),
        (cmd.CHMOD_777, "AIM528", "makes files writable by every user"),
        (cmd.SUDO, "AIM529", "runs a command as root"),
        (cmd.FORCE_PUSH, "AIM530", "force-pushes, rewriting shared history"),
        (cmd.TLS_OFF, "AIM531", "turns off TLS certificate verification"),
        (
            cmd.ENV_EXFIL,
            "AIM524",
            "sends environment variables or credential files to a remote host",
        ),
        (cmd.SKIP_PERMISSIONS, "AIM538", "runs an agent with its permission prompts turned off"),
    )
    for pattern, rule_id, label in checks:
        m = pattern.search(t)
        if m and not cmd.negated(t, m.start()):
            yield Hit(
                rule_id,
                number,
                f"{label}: {shorten(m.group().strip(), 80)!r}",
                match=m.group().strip().lower(),
                column=m.start() + len(m.group()) - len(m.group().lstrip()) + 1,
                evidence=shorten(t),
            )


def script_hits(text: str) -> list[Hit]:
    """Command rules for hook and helper scripts (no prose rules)."""
    hits: list[Hit] = []
    for number, t in enumerate(text.split("\n"), start=1):
        if t.lstrip().startswith("#") and not t.startswith("#!"):
            continue
        hits.extend(_command_hits(number, t))
        for start, url, host in cmd.exfil_urls(t):
            hits.append(
                Hit(
                    "AIM523",
                    number,
                    f"URL to a request-capture, webhook or tunnel host: {host}",
                    match=host,
                    column=start + 1,
                    evidence=shorten(url),
                )
            )
            break
    return hits


@dataclass(frozen=True, slots=True)
class ProseIndex:
    """Directives and long lines of one instruction file, for comparisons across files."""

    directives: dict[str, tuple[str, int, str]]
    """Normalised action and object -> (`+` or `-`, line, the polarity word as written)."""
    lines: dict[str, int]
    """Normalised text of lines of six words or more -> first line number."""


def prose_index(text: str) -> ProseIndex:
    """Index the directives and long lines of an instruction file (code blocks excluded)."""
    directives: dict[str, tuple[str, int, str]] = {}
    lines: dict[str, int] = {}
    for line in split_lines(text):
        t = line.text
        if line.in_code or not t.strip():
            continue
        for d in _DIRECTIVE.finditer(t):
            if _qualified(t, d.end()):
                continue
            pol = d.group("pol").lower()
            sign = "+" if pol in ("always", "must") else "-"
            directives.setdefault(
                " ".join(d.group("obj").lower().split()), (sign, line.number, pol)
            )
        norm = " ".join(_WORDS.findall(t.lower()))
        if len(norm.split()) >= 6 and not t.lstrip().startswith(("#", "|")):
            lines.setdefault(norm, line.number)
    return ProseIndex(directives, lines)
