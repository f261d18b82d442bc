"""What a setting's text may be: each function parses the text of one kind of setting (an
environment variable or a flag) into its value, or raises ValueError saying what was expected.
`odmld.config.SETTINGS` names one of these for each setting."""

from __future__ import annotations


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError(f"expected a positive whole number, got {value!r}")
    return number


def whole_number(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(f"expected a whole number, 0 or more, got {value!r}")
    return number


def _at_most(most: int, number: int, value: str) -> int:
    if number > most:
        raise ValueError(f"expected at most {most}, got {value!r}")
    return number


def at_most_32(value: str) -> int:
    """1 to 32."""
    return _at_most(32, positive_int(value), value)


def queue_places(value: str) -> int:
    """0 to 32."""
    return _at_most(32, whole_number(value), value)


def positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"expected a positive number, got {value!r}")
    return number


def base_uri(value: str) -> str:
    value = value.strip()
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"expected an http(s) URI, got {value!r}")
    return value if value.endswith("/") else value + "/"


def http_iri(value: str) -> str:
    value = value.strip()
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"expected an http(s) IRI, got {value!r}")
    return value


def sandbox_mode(value: str) -> str:
    value = value.strip().lower()
    if value not in {"required", "off"}:
        raise ValueError(f"expected required or off, got {value!r}")
    return value


def niceness(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 19:
        raise ValueError(f"expected a nice value from 0 to 19, got {value!r}")
    return number


def language(value: str) -> str:
    if value not in {"nl", "en"}:
        raise ValueError(f"expected nl or en, got {value!r}")
    return value
