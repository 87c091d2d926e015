"""Dangerous shell patterns and exfiltration commands, shared by instruction text, hooks and MCP.

Each check takes one line (or one command string) and returns the matches it finds. Patterns
describe how the tools really behave (curl/wget piped into an interpreter, PowerShell
download-and-execute, recursive deletes of home or root, ...), not fixture text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from aims.agents.knowledge import host_in, load_knowledge

_INTERPRETER = r"(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z|da|k|fi|c|tc)?sh|python[23]?|node|perl|ruby|php|pwsh|powershell"
PIPE_TO_SHELL = re.compile(
    r"\b(?:curl|wget|fetch|http|iwr|irm)\b[^\n|;]*\|\s*(?:" + _INTERPRETER + r")\b"
    r"|\b(?:ba|z)?sh\s+(?:-c\s+)?[\"']?\s*(?:<\(|\$\()\s*(?:curl|wget)\b"
    r"|\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b[^\n]*\|\s*(?:iex|Invoke-Expression)\b"
    r"|\b(?:iex|Invoke-Expression)\s*\(?\s*\(?\s*(?:New-Object\s+(?:System\.)?Net\.WebClient\)?\.DownloadString|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b"
    r"|\bsource\s+<\(\s*(?:curl|wget)\b",
    re.IGNORECASE,
)
RM_HOME_OR_ROOT = re.compile(
    r"\brm\s+(?:-[a-zA-Z]*(?:rf|fr)[a-zA-Z]*|-[a-zA-Z]*r[a-zA-Z]*\s+-[a-zA-Z]*f[a-zA-Z]*|"
    r"-[a-zA-Z]*f[a-zA-Z]*\s+-[a-zA-Z]*r[a-zA-Z]*|--recursive\s+--force|--force\s+--recursive)"
    r"\s+(?:--no-preserve-root\s+)?[\"']?(?:/|/\*|~|~/|~/\*|\$HOME|\$\{HOME\}|\$HOME/\*|/home|/Users)[\"']?(?=\s|$|;|&|\))"
)
CHMOD_777 = re.compile(r"\bchmod\s+(?:-[a-zA-Z]+\s+)*(?:0?777|a\+rwx|ugo\+rwx|o\+w)\b")
SUDO = re.compile(r"(?:^|[\s;&|`(]|\$\()sudo\s+(?!-[lvkK]\b)[\w/.-]+")
FORCE_PUSH = re.compile(
    r"\bgit\s+push\b[^\n;&|]*?(?:\s--force(?![-\w])|\s-f\b|\s-[a-eg-zA-Z]*f[a-zA-Z]*\b)"
)
TLS_OFF = re.compile(
    r"\bcurl\b[^\n|;]*\s(?:-k|--insecure)\b"
    r"|\bwget\b[^\n|;]*\s--no-check-certificate\b"
    r"|\bverify\s*=\s*False\b"
    r"|\bNODE_TLS_REJECT_UNAUTHORIZED\s*[=:]\s*[\"']?0\b"
    r"|\bGIT_SSL_NO_VERIFY\s*[=:]\s*[\"']?(?:1|true)\b"
    r"|\bPYTHONHTTPSVERIFY\s*[=:]\s*[\"']?0\b"
    r"|\bhttp\.sslVerify\s+false\b"
    r"|\bstrict-ssl\s+false\b"
    r"|--ignore-certificate-errors\b"
    r"|\bInsecureSkipVerify\s*:\s*true\b",
    re.IGNORECASE,
)
_SENSITIVE = r"(?:~|\$HOME|\$\{HOME\})/\.(?:ssh|aws|gnupg|kube|docker|netrc|npmrc|pypirc|config/gcloud)\S*|\bid_(?:rsa|ed25519|ecdsa)\b|\.env\b|/etc/(?:passwd|shadow)\b|\.git-credentials\b|credentials\.json\b"
ENV_EXFIL = re.compile(
    r"\b(?:env|printenv|set|export\s+-p|cat\s+[^\n|;]*(?:" + _SENSITIVE + r"))\s*\|\s*"
    r"(?:base64\s*\|\s*)?(?:curl|wget|nc|ncat|netcat|socat|http|telnet)\b"
    r"|\b(?:curl|wget|http)\b[^\n;]*(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file|--post-file(?:=|\s))\s*[\"']?@?[^\s\"']*(?:"
    + _SENSITIVE
    + r")"
    r"|\b(?:curl|wget)\b[^\n;]*\$\(\s*(?:env|printenv|cat\s+[^)]*(?:" + _SENSITIVE + r"))"
    r"|\bscp\b[^\n;]*(?:" + _SENSITIVE + r")[^\n;]*\s\S+@\S+:",
    re.IGNORECASE,
)
POSTS_DATA = re.compile(
    r"\b(?:curl|wget|http|nc|ncat)\b[^\n;]*(?:-d\s|--data|-F\s|--form|-T\s|--upload-file|-X\s*POST|--post-data|--post-file|\s@-)",
    re.IGNORECASE,
)
SKIP_PERMISSIONS = re.compile(
    r"--dangerously-skip-permissions\b|--dangerously-bypass-approvals-and-sandbox\b"
    r"|\bgemini\b[^\n]*\s(?:--yolo|-y)\b|\bcodex\b[^\n]*\s--full-auto\b|\baider\b[^\n]*\s--yes-always\b"
)
URL = re.compile(r"\b(?:https?|wss?)://[^\s<>\"'`)\]}]+", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:never|don't|do\s+not|must\s+not|mustn't|should\s+not|shouldn't|avoid|without|no|forbidden|prohibited|not\s+allowed)\b[^.!?]*$",
    re.IGNORECASE,
)


def negated(line: str, start: int) -> bool:
    """True when the words before `start` in the same sentence forbid what follows."""
    return bool(_NEGATION.search(line[max(0, start - 80) : start]))


def url_host(url: str) -> str:
    """The lower-cased host of a URL, or '' when it has none."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def exfil_urls(line: str) -> Iterator[tuple[int, str, str]]:
    """(offset, url, host) of every URL on the line whose host is a bin, webhook or tunnel."""
    hosts = load_knowledge().exfil_hosts
    for match in URL.finditer(line):
        host = url_host(match.group())
        if host and host_in(host, hosts):
            yield match.start(), match.group(), host
        elif (
            "discord.com/api/webhooks" in match.group()
            or "discordapp.com/api/webhooks" in match.group()
        ):
            yield match.start(), match.group(), host
