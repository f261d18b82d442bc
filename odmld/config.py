"""Every setting of odmld, declared once.

`SETTINGS` is the single table of what can be configured: its name, the `ODMLD_` environment variable
that sets it, its default and what it means. The table of docs/settings.md is tested against it. A value
comes from, in order of precedence: a command-line flag, the environment, the default. Nothing is read at
import time: `load_config` reads the environment when it is called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from . import config_values as parse

ENV_PREFIX = "ODMLD_"


def default_store_path() -> str:
    """A per-user data folder (XDG), so a fresh checkout needs no configuration."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "odmld" / "store")


def is_remote(store: str) -> bool:
    """A store setting that is a SPARQL server's URL rather than a folder."""
    return store.startswith(("http://", "https://"))


def beside_store(store: str, name: str) -> Path:
    """Where a file that every odmld process of one deployment shares lives (write tokens, the write
    lock, form sessions, ...): `{store}-{name}` beside an embedded store, and in the per-user data
    folder (`$XDG_DATA_HOME/odmld/{name}`) when the store is a server. Never in one process's memory."""
    if is_remote(store):
        return Path(default_store_path()).parent / name
    return Path(f"{store.rstrip('/')}-{name}")


def default_tokens_path(store: str) -> str:
    """Beside an embedded store; in the per-user data folder when the store is a server."""
    return str(beside_store(store, "tokens.sqlite3"))


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", None, str,
            "Path of the embedded Oxigraph store (default: `$XDG_DATA_HOME/odmld/store`), or the query URL "
            "of a SPARQL 1.1 server (Query, Update, Graph Store Protocol) that queries the union of its "
            "named graphs by default."),
    Setting("store_update", None, parse.http_iri,
            "Update URL of a remote store; default: from the query URL (Oxigraph `/query` -> `/update`, "
            "Virtuoso `/sparql` -> itself, Fuseki `/{ds}/sparql` -> `/{ds}/update`, GraphDB "
            "`/repositories/{id}` -> `.../statements`, else the same URL)."),
    Setting("store_graphs", None, parse.http_iri,
            "Graph Store Protocol URL of a remote store; default: from the query URL (Oxigraph "
            "`/query` -> `/store`, Virtuoso `/sparql` -> `/sparql-graph-crud`, Fuseki `/{ds}/sparql` -> "
            "`/{ds}/data`, GraphDB `/repositories/{id}` -> `.../rdf-graphs/service`, else the same URL)."),
    Setting("store_timeout", 60.0, parse.positive_float,
            "Seconds odmld waits for the store to answer one of its own requests: a remote store, or "
            "the process writing the embedded store when another write is under way."),
    Setting("store_lease", 30.0, parse.positive_float,
            "Seconds a remote store's write lease lasts unless its holder renews it (every third of "
            "it, while it writes): how long the writes of every process wait after a writer died."),
    Setting("tokens", None, str,
            "Path of the write-token database; default: beside an embedded store "
            "(`{store}-tokens.sqlite3`), or `$XDG_DATA_HOME/odmld/tokens.sqlite3` with a remote one."),
    Setting("base_uri", None, parse.base_uri,
            "Base of every URI odmld mints; default: the server's own address, `http://HOST:PORT/`."),
    Setting("host", "127.0.0.1", str, "Address the web server listens on."),
    Setting("port", 5000, parse.positive_int, "Port the web server listens on."),
    Setting("workers", None, parse.positive_int,
            "Worker processes of the production server (`odmld serve`); default: one per core."),
    Setting("threads", 4, parse.positive_int,
            "Threads per worker process of the production server, so that one process serves other "
            "requests while one waits on a query."),
    Setting("lang", "nl", parse.language, "Language of command-line reports: `nl` or `en`."),
    Setting("query_timeout", 10.0, parse.positive_float,
            "Seconds a public SPARQL query may run before it is stopped."),
    Setting("result_limit", 10000, parse.positive_int,
            "Most rows (or triples) a public SPARQL query may return."),
    Setting("result_mb", 16, parse.positive_int,
            "Most megabytes the answer to a public SPARQL query may have (a single row can be large)."),
    Setting("sparql_workers", 2, parse.positive_int,
            "Worker processes that answer public SPARQL queries (each runs one query at a time)."),
    Setting("client_queries", 2, parse.at_most_32,
            "Public SPARQL queries one client (address; an IPv6 /64) may have running at once, across "
            "every server process."),
    Setting("client_queue", 4, parse.queue_places,
            "Queries of one client that may wait for a running place (up to ODMLD_QUERY_TIMEOUT); "
            "past them a query is answered 503 with Retry-After."),
    Setting("heavy_query_seconds", 2.0, parse.positive_float,
            "CPU seconds of a client's recent queries (decaying by half in about 7 s) past which its "
            "queries run in the heavy lane (ODMLD_HEAVY_WORKERS)."),
    Setting("heavy_workers", 1, parse.whole_number,
            "Query processes per server process for the heavy lane, beside ODMLD_SPARQL_WORKERS, at "
            "nice 19; 0: no heavy lane (heavy clients are bounded per client only)."),
    Setting("query_memory_mb", 1024, parse.positive_int,
            "Most megabytes of data (heap; RLIMIT_DATA) each query process may use, the store's own "
            "included; a query that needs more is stopped and answered 400, and its process replaced."),
    Setting("query_sandbox", "required", parse.sandbox_mode,
            "`required`: public SPARQL queries run only in processes barred from the network (a "
            "seccomp filter; Linux with libseccomp2), else they are answered 503; `off`: run them "
            "without the restriction where it cannot be installed (logged)."),
    Setting("query_nice", 5, parse.niceness,
            "Nice value (0-19) of the query processes, so the processes that serve pages keep their "
            "share of the CPU while queries run."),
    Setting("store_open_timeout", 120.0, parse.positive_float,
            "Seconds a query process may take to open the store (at start and after a write), not "
            "counted in ODMLD_QUERY_TIMEOUT; past it the request is answered 503."),
    Setting("cache_mb", 32, parse.whole_number,
            "Megabytes each server process keeps of finished public SPARQL answers, /doc/ pages and "
            "whole responses to repeated GETs (a third each), to answer the same request again without "
            "running it while the store is unchanged; 0 turns the caches off. Embedded store only."),
    Setting("page_size", 50, parse.positive_int,
            "Items per page of the paged catalogue (/catalog) and the change feed (/feed)."),
    Setting("whole_catalogue_limit", 1000, parse.positive_int,
            "Most datasets the whole catalogue may list, each with its dump's checksum: past it "
            "/catalog/volledig and the /doc/ pages of computed catalogue resources (distributions, "
            "records) are refused (they would dump every graph), and it is harvested page by page "
            "from /catalog."),
    Setting("licence", "https://creativecommons.org/licenses/by/4.0/", parse.http_iri,
            "Licence of the model's datasets, and of an assessment whose city names none."),
    Setting("secret_key", None, str,
            "Key for the form's CSRF tokens; unset, a key made once into `{store}-secret.key` (mode 600) "
            "that every process of the deployment reads."),
    Setting("idempotency_hours", 24.0, parse.positive_float,
            "Hours the write API keeps the answer to a request sent with an Idempotency-Key, so that a "
            "retry with the same key gets the same answer."),
    Setting("session_hours", 8.0, parse.positive_float,
            "Hours a form session lasts after the write token is given (it ends at once when the token "
            "is revoked)."),
    Setting("union_default_graph", True, parse.boolean,
            "Queries see the union of all named graphs as their default graph."),
    Setting("trust_proxy", False, parse.boolean,
            "A reverse proxy in front sets X-Forwarded-For, -Proto, -Host, -Port and -Prefix, and "
            "they are taken as the URL a request came to (the service description's sd:endpoint); "
            "only behind such a proxy, as anyone can send these headers."),
)

SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


class ConfigError(ValueError):
    """A setting has a value odmld cannot use; the message names the setting."""


@dataclass(frozen=True)
class Config:
    store: str
    store_update: str | None
    store_graphs: str | None
    store_timeout: float
    store_lease: float
    tokens: str
    base_uri: str
    host: str
    port: int
    workers: int
    threads: int
    lang: str
    query_timeout: float
    result_limit: int
    result_mb: int
    sparql_workers: int
    client_queries: int
    client_queue: int
    heavy_query_seconds: float
    heavy_workers: int
    query_memory_mb: int
    query_sandbox: str
    query_nice: int
    store_open_timeout: float
    cache_mb: int
    page_size: int
    whole_catalogue_limit: int
    licence: str
    secret_key: str | None
    idempotency_hours: float
    session_hours: float
    union_default_graph: bool
    trust_proxy: bool
    extra: Mapping[str, Any] = field(default_factory=dict)


def load_config(overrides: Mapping[str, Any] | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    """Resolve every setting: flag (a non-None override) over environment over default."""
    overrides = overrides or {}
    environ = os.environ if environ is None else environ
    unknown = set(overrides) - set(SETTINGS_BY_NAME)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        override = overrides.get(setting.name)
        raw = environ.get(setting.env)
        try:
            if override is not None:
                value = setting.parse(str(override)) if isinstance(override, str) else override
            elif raw is not None and raw != "":
                value = setting.parse(raw)
            else:
                value = setting.default
        except ValueError as error:
            source = "flag" if override is not None else setting.env
            raise ConfigError(f"{setting.name} ({source}): {error}") from None
        values[setting.name] = value
    if values["store"] is None:
        values["store"] = default_store_path()
    if values["tokens"] is None:
        values["tokens"] = default_tokens_path(values["store"])
    if values["workers"] is None:
        values["workers"] = os.cpu_count() or 1
    if values["base_uri"] is None:
        values["base_uri"] = f"http://{_display_host(values['host'])}:{values['port']}/"
    return Config(**values)


def _display_host(host: str) -> str:
    """The address a browser can use for a server that listens on `host`."""
    if host in {"0.0.0.0", "::", ""}:
        return "localhost"
    return f"[{host}]" if ":" in host else host
