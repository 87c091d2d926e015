"""The key-format model and its loader: `catalog/data/keys.yaml` validated into `KeyFormat`s."""

from __future__ import annotations

import random
import re
from functools import cached_property, lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from aims.errors import ConfigError

Charset = Literal["hex", "lan", "alpha", "b62", "url", "b64", "uuid"]
"""Alphabet of a key's random body, used for the entropy check and by the generator."""

CHARSETS: dict[str, str] = {
    "hex": "0123456789abcdef",
    "lan": "abcdefghijklmnopqrstuvwxyz0123456789",
    "alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "b62": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "url": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    "b64": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "uuid": "0123456789abcdef-",
}
"""Characters of each charset (generator alphabets; `uuid` is hex plus dashes)."""

_SEGMENT = re.compile(r"\{([a-z0-9]+):(\d+)\}")


class KeyContext(BaseModel):
    """What must surround a key whose format has no distinctive prefix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: list[str] = Field(min_length=1)
    """Variable or setting names the key is conventionally assigned to (`MISTRAL_API_KEY`)."""
    terms: list[str] = Field(default_factory=list)
    """Provider hosts and SDK names; with a key-like variable name nearby they are context too."""
    keywords: list[str] = Field(default_factory=list)
    """Short lower-case words for the scan prefilter; every env name and term contains one.
    Empty means the env names and terms themselves."""

    @model_validator(mode="after")
    def _keywords_cover_context(self) -> KeyContext:
        for word in [*self.env, *self.terms]:
            if self.keywords and not any(k in word.lower() for k in self.keywords):
                raise ValueError(f"context word {word!r} contains none of the keywords")
        return self


class KeyExamples(BaseModel):
    """Positive templates (with `{key}`) and literal negative examples of a key format."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)

    @field_validator("positive")
    @classmethod
    def _has_placeholder(cls, value: list[str]) -> list[str]:
        for template in value:
            if template.count("{key}") != 1:
                raise ValueError(f"a positive example needs exactly one {{key}}: {template!r}")
        return value


class KeyFormat(BaseModel):
    """One provider key format, as data: how it looks, what context it needs, how to fake it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    provider: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    provider_name: str
    title: str
    prefix: str
    """Literal start of every key; the only part of a key besides its last 4 characters that
    output may show. Empty when the format has none."""
    pattern: str
    charset: Charset
    context: KeyContext | None = None
    confidence: Literal["high", "medium"] | None = None
    """Defaults to high for distinctive formats and medium for context-only ones."""
    generate: str
    examples: KeyExamples
    references: list[str] = Field(default_factory=list)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern does not compile: {exc}") from exc
        if compiled.groups:
            raise ValueError("use (?:...) groups only: the matcher names its own groups")
        return value

    @field_validator("generate")
    @classmethod
    def _generator(cls, value: str) -> str:
        for name, _length in _SEGMENT.findall(value):
            if name not in CHARSETS:
                raise ValueError(f"unknown generator charset {name!r}")
        return value

    @property
    def contextual(self) -> bool:
        """True when the format has no distinctive prefix and needs context to be reported."""
        return self.context is not None

    @property
    def effective_confidence(self) -> str:
        """The declared confidence, or the default for the kind of format."""
        return self.confidence or ("medium" if self.contextual else "high")

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The key pattern, anchored at both ends."""
        return re.compile(rf"(?:{self.pattern})\Z")

    @property
    def keywords(self) -> list[str]:
        """Lower-case strings one of which occurs in any text that holds a reportable key."""
        if self.context is not None:
            if self.context.keywords:
                return [k.lower() for k in self.context.keywords]
            return [e.lower() for e in self.context.env] + [t.lower() for t in self.context.terms]
        return [self.prefix.lower()]

    def generate_key(self, rng: random.Random) -> str:
        """Return a random, format-valid key built from `generate` (tests and corpus only).

        Such a key has never been issued by any provider: it is random text in the right shape.
        """
        return _SEGMENT.sub(
            lambda m: "".join(rng.choice(CHARSETS[m.group(1)]) for _ in range(int(m.group(2)))),
            self.generate,
        )


@lru_cache(maxsize=1)
def load_key_formats() -> tuple[KeyFormat, ...]:
    """Load and validate `catalog/data/keys.yaml`.

    Raises `ConfigError` when the file is unreadable or invalid, repeats an ID, or when a
    format's `generate` spec does not produce keys its own pattern accepts.
    """
    relpath = "keys.yaml"
    try:
        text = resources.files("aims.catalog").joinpath(f"data/{relpath}").read_text("utf-8")
        # NOTE: the C loader when libyaml is present: this file is read by every scan worker.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader either way
        formats = TypeAdapter(list[KeyFormat]).validate_python(data or [])
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"invalid key-format catalog: {exc}", path=relpath) from exc
    seen: set[str] = set()
    rng = random.Random(0)
    for fmt in formats:
        if fmt.id in seen:
            raise ConfigError(f"duplicate key format {fmt.id!r}", path=relpath)
        seen.add(fmt.id)
        if not fmt.regex.match(fmt.generate_key(rng)):
            raise ConfigError(f"format {fmt.id!r}: generated keys do not match its pattern")
        if fmt.prefix and not fmt.generate.startswith(fmt.prefix):
            raise ConfigError(f"format {fmt.id!r}: generator does not start with the prefix")
    return tuple(formats)
