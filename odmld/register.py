"""The organisation register: every organisation numbered in name order (overall and within its kind)
and findable by the start of the words of its names, so the pages that list organisations read a page
of them, or the few that match a search, instead of sorting all of them (0.7 s at 10,000).

It is the graph <graph/register>, set again by every write that touches a graph holding an
organisation (kept_write.py): loading organisations is rare and reads them all once, a publication
never touches it. What it holds:

    <org>  odm:registerPosition n    its place in name order (Dutch name, then IRI), from 1
           odm:kindPosition n        its place in name order among the organisations of its kind
    <id/register/sleutel/{key}>  odm:keyCount n   how many organisations have that key: the first one,
                                                  two or three letters of a word of one of their
                                                  names, lower case, without accents (a search looks
                                                  up its rarest word's key: the fewest rows to read)
                                 odm:holderPosition 3, 17, ...  the register positions of those
                                                  organisations: one range of the index, in name
                                                  order, so a search reads the names of only as many
                                                  as it shows (a word of any length has a key)
    <id/register>  odm:organisationCount N
    <id/register/soort/{kind notation}>  dcterms:type <kind> ; odm:organisationCount n
                                         (<id/register/soort/geen> for those without a kind)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

import pyoxigraph as ox

from . import place_order, vocab
from .sparql import library as queries
from .vocab import integer
from .store_api import GraphName, NamedGraph, Reader, Writer, operation

ORGANIZATION = "http://www.w3.org/ns/org#Organization"
KEY_LENGTH = 3
COMMON = 500  # a key more organisations share is searched in the register's order, at most this many
NO_KIND = "geen"


def name_keys(*names: str) -> set[str]:
    """The search keys of these names: the first one to KEY_LENGTH letters of each word, lower case,
    accents removed, so that a search word shorter than KEY_LENGTH ("17" in "bestuur 17") is a key too:
    without its own key it was left to the register's first COMMON, where at 10,000 organisations
    none of the 111 whose words start with "17" came."""
    keys = set()
    for name in names:
        for word in re.findall(r"\w+", fold(name)):
            keys.update(word[:length] for length in range(1, KEY_LENGTH + 1))
    return keys


def fold(text: str) -> str:
    """Lower case without accents ("Sint-Genesius-Rode" and "sint genesius rode" fold alike)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def kind_key(kind: str | None) -> str:
    return vocab.notation(kind) if kind else NO_KIND


def any_organisation_in(reader: Reader, graphs: Iterable[GraphName]) -> bool:
    named = [graph for graph in graphs if isinstance(graph, ox.NamedNode)]
    return bool(named) and bool(reader.query(queries.get("graphs-hold-organisations").text,
                                             bindings={"graph": named}))


def register_file(reader: Reader) -> NamedGraph:
    """The graph <graph/register> for the organisations the store holds now."""
    base, graph = reader.base_uri, vocab.register_graph(reader.base_uri)
    found: dict[ox.NamedNode, dict] = {}
    for row in reader.select(queries.get("register-sources").text):
        entry = found.setdefault(row["organisation"], {"names": set(), "kinds": set()})
        entry["names"] |= {row["name"].value} | ({row["english"].value} if "english" in row else set())
        entry.setdefault("name", row["name"].value)
        entry["name"] = min(entry["name"], row["name"].value)
        if "kind" in row:
            entry["kinds"].add(row["kind"].value)
    ordered = sorted(found.items(), key=lambda item: (fold(item[1]["name"]), item[1]["name"], item[0].value))
    if not ordered:  # no organisations: no register (a store of other data holds no graph of it)
        return NamedGraph(graph=graph, quads=[])
    triples, within, holders = [], Counter(), {}
    for position, (organisation, entry) in enumerate(ordered, start=1):
        kind = min(entry["kinds"]) if entry["kinds"] else None
        within[kind] += 1
        triples += [(organisation, vocab.odm(base, "registerPosition"), integer(position)),
                    (organisation, vocab.odm(base, "kindPosition"), integer(within[kind]))]
        for key in name_keys(*entry["names"]):
            holders.setdefault(key, []).append(position)
    for key, positions in sorted(holders.items()):
        node = vocab.register_key(base, key)
        triples.append((node, vocab.odm(base, "keyCount"), integer(len(positions))))
        triples += [(node, vocab.odm(base, "holderPosition"), integer(n)) for n in positions]
    triples.append((vocab.register(base), vocab.odm(base, "organisationCount"),
                    integer(len(ordered))))
    for kind, count in sorted(within.items(), key=lambda item: item[0] or ""):
        node = vocab.register_kind(base, kind_key(kind))
        triples.append((node, vocab.odm(base, "organisationCount"), integer(count)))
        if kind is not None:
            triples.append((node, ox.NamedNode("http://purl.org/dc/terms/type"), ox.NamedNode(kind)))
    return NamedGraph(graph=graph, quads=[ox.Quad(s, p, o, graph) for s, p, o in triples])


@operation
def set_again(writer: Writer) -> int:
    """Set the register again from the organisations the store holds, and with it the rankings' place
    order graphs, which number organisations by it (`odmld statistics`: a register written by an
    earlier odmld may hold keys of another form, and no order graphs); returns the register's quads."""
    file = register_file(writer)
    writer.replace_graphs([file])
    writer.replace_graphs(place_order.every_file(writer))
    return len(file.quads)


def page(reader: Reader, number: int, size: int, lang: str, kind: ox.NamedNode | None = None) -> list[dict]:
    """Page `number` (from 1) of `size` organisations in name order, of every kind or of `kind`: looked
    up by their places in the register (organisations-page.rq, organisations-of-kind-page.rq)."""
    positions = [integer(n) for n in range((number - 1) * size + 1, number * size + 1)]
    if kind is None:
        return reader.select(queries.get("organisations-page").text, position=positions, lang=ox.Literal(lang))
    return reader.select(queries.get("organisations-of-kind-page").text, position=positions, kind=kind,
                         lang=ox.Literal(lang))


def counts(reader: Reader, lang: str) -> list[dict]:
    """How many organisations the register holds, in all and per kind (organisation-counts.rq), each
    kind with its label in `lang`, in the order of group and label."""
    rows = [row for row in reader.select(queries.get("organisation-counts").text)
            if row.get("label") is None or row["label"].language == lang]
    return sorted(rows, key=lambda row: (row["group"].value, row["label"].value if row.get("label") else ""))


def rarest_key(reader: Reader, keys: set[str]) -> str | None:
    """Of these search keys, the one the fewest organisations have (organisation-key-counts.rq); None
    when one of them no organisation has (then nothing matches every word)."""
    found = _rarest(reader, keys)
    return None if found is None else found[0]


def _rarest(reader: Reader, keys: set[str]) -> tuple[str, int] | None:
    nodes = {vocab.register_key(reader.base_uri, key): key for key in keys}
    counted = {row["key"]: int(row["organisations"].value)
               for row in reader.select(queries.get("organisation-key-counts").text, key=list(nodes))}
    if len(counted) < len(nodes):
        return None
    rarest = min(counted, key=lambda node: (counted[node], node.value))
    return nodes[rarest], counted[rarest]


def _matches(words: list[str], *names: str) -> bool:
    named = set(re.findall(r"\w+", fold(" ".join(names))))
    return all(any(word.startswith(w) for word in named) for w in words)


def _common_search(reader: Reader, words: list[str], lang: str, most: int) -> list[dict]:
    """A search whose every key many organisations share: the register read in name order, a page of
    100 at a time, at most COMMON of them (a key at least that common matches often among them)."""
    found = []
    for number in range(1, COMMON // 100 + 1):
        rows = page(reader, number, 100, lang)
        found += [row for row in rows if _matches(words, row["name"].value)]
        if len(found) >= most or len(rows) < 100:
            break
    return found[:most]


def search(reader: Reader, text: str, lang: str, most: int = 50) -> list[dict]:
    """The first `most` organisations (in name order) each of whose search words starts a word of one of
    their names; reads the register positions of those sharing the rarest word's key
    (organisation-key-holders.rq), then the names of `most` of them at a time (organisation-search.rq),
    or where more than COMMON share it, the first COMMON of the register (their names in `lang`).
    Nothing for a search without a word."""
    words = re.findall(r"\w+", fold(text))
    if not words:
        return []
    rarest = _rarest(reader, {word[:KEY_LENGTH] for word in words})
    if rarest is None:
        return []
    key, holders = rarest
    if holders > COMMON:  # reading them all would grow with the organisations (1.1 s at 10,000)
        return _common_search(reader, words, lang, most)
    positions = [row["position"] for row in reader.select(
        queries.get("organisation-key-holders").text, key=vocab.register_key(reader.base_uri, key))]
    if not positions:  # a register of an earlier form, until odmld statistics sets it again
        return _common_search(reader, words, lang, most)
    found = []
    for start in range(0, len(positions), most):  # the names of as many as are shown, then more
        for row in reader.select(queries.get("organisation-search").text,
                                 position=positions[start:start + most], lang=ox.Literal(lang)):
            if _matches(words, *(row[n].value for n in ("dutch", "english") if n in row)):
                found.append(row)
                if len(found) == most:
                    return found
    return found
