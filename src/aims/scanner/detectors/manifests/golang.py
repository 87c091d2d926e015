"""Go modules: go.mod `require` (single lines and blocks, `// indirect`) and `replace`."""

from __future__ import annotations

from aims.scanner.detectors.manifests._common import Dep, Parsed


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in '"`':
        return token[1:-1]
    return token


def _split_comment(line: str) -> tuple[str, str]:
    index = line.find("//")
    if index < 0:
        return line.strip(), ""
    return line[:index].strip(), line[index + 2 :].strip()


def parse_go_mod(text: str) -> Parsed:
    """Parse go.mod: each required module, `// indirect` ones as transitive, with replacements.

    go.mod (since Go 1.17) lists every module the build needs, so indirect requirements are
    reported as transitive dependencies; a `replace` is attached to the module it replaces.
    """
    deps: list[Dep] = []
    replaces: dict[str, str] = {}
    replace_any: dict[str, str] = {}
    block: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        code, comment = _split_comment(raw)
        if not code:
            continue
        if block is not None:
            if code == ")":
                block = None
                continue
            body = code
            verb = block
        else:
            verb, _, body = code.partition(" ")
            body = body.strip()
            if body == "(":
                block = verb
                continue
            if body.startswith("(") and body.endswith(")"):
                body = body[1:-1].strip()
        if verb == "require":
            parts = body.split()
            if len(parts) < 2:
                continue
            module, version = _unquote(parts[0]), parts[1]
            indirect = "indirect" in [w.strip(";") for w in comment.split()]
            deps.append(
                Dep(
                    name=module,
                    line=number,
                    specifier=version,
                    version=version,
                    direct=not indirect,
                )
            )
        elif verb == "replace" and "=>" in body:
            left, right = (side.split() for side in body.split("=>", 1))
            if not left or not right:
                continue
            target = " ".join(_unquote(t) for t in right)
            if len(left) >= 2:
                replaces[f"{_unquote(left[0])} {left[1]}"] = target
            else:
                replace_any[_unquote(left[0])] = target
    for dep in deps:
        replacement = replaces.get(f"{dep.name} {dep.version}") or replace_any.get(dep.name)
        if replacement:
            dep.properties["replaced_by"] = replacement
    return Parsed(deps=deps)
