"""The code keeps one place per concept (issue 20): the namespaces every module needs are spelled out
once, in odmld/vocab/namespaces.py, and every IRI under the base URI is built by odmld/vocab, one
function per URI pattern of docs/modelling.md."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "odmld"
MODELLING = PACKAGE.parent / "docs" / "modelling.md"
BASE_NAMES = {"base", "base_uri", "new_base"}  # what a module calls the base URI it builds on
# how the path of an IRI under the base begins (docs/modelling.md)
SEGMENTS = ("id/", "graph/", "ns/odm", "doc/", "dump/", "csv/", "feed?", ".well-known/")


def outside_vocab() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] != "vocab"
                  and path.name != "vocab.py")


def names_the_base(node: ast.expr) -> bool:
    """`base`, `store.base_uri`, `config["ODMLD"].base_uri`, `base_uri()` (the value itself, not a
    call that is given it)."""
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        node = node.func
    return (isinstance(node, ast.Name) and node.id in BASE_NAMES) or \
        (isinstance(node, ast.Attribute) and node.attr in BASE_NAMES)


def starts_a_path(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(SEGMENTS)


def builds_an_iri(node: ast.AST) -> bool:
    """An f-string, concatenation, format or replace that makes an IRI under the base (or under an IRI
    of ours, `f"{iri.value}/plan"`), or a path of one (`"id/organisatie/" + code`)."""
    if isinstance(node, ast.JoinedStr) and node.values:
        first, rest = node.values[0], node.values[1:]
        if isinstance(first, ast.FormattedValue) and names_the_base(first.value):
            return True
        if isinstance(first, ast.FormattedValue) and isinstance(first.value, ast.Attribute) \
                and first.value.attr == "value" and rest and isinstance(rest[0], ast.Constant) \
                and str(rest[0].value).startswith(("/", "#")):
            return True
        return starts_a_path(first)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return names_the_base(node.left) or starts_a_path(node.left) or \
            (isinstance(node.left, ast.Name) and node.left.id == "odm")  # odm = the ns/odm# namespace
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        if node.func.attr == "format" and starts_a_path(node.func.value):
            return True
        if node.func.attr == "replace" and isinstance(node.args[0], ast.Constant) \
                and "/id/" in str(node.args[0].value):
            return True
    return False


def test_no_module_outside_vocab_builds_an_iri_under_the_base():
    built = [f"{path.relative_to(PACKAGE)}:{node.lineno}: {ast.unparse(node)[:90]}"
             for path in outside_vocab() for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if builds_an_iri(node)]
    assert built == [], "\n".join(built)


@pytest.mark.parametrize("spelling", ['"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"',
                                      '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
                                      '"http://www.w3.org/2001/XMLSchema#"'])
def test_a_namespace_every_module_needs_is_spelled_out_in_vocab_only(spelling):
    spelt = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                   if spelling in path.read_text(encoding="utf-8"))
    assert spelt in ([], ["vocab/namespaces.py"]), spelt


def test_rdf_type_is_spelled_out_once_and_not_pieced_together():
    pieced = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path in PACKAGE.rglob("*.py")
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.BinOp) and isinstance(node.right, ast.Constant) and node.right.value == "type"
              and isinstance(node.left, ast.Name) and node.left.id == "RDF"]
    assert pieced == ["vocab/namespaces.py:10"], pieced


B = "https://example.org/odmld/"
A = ox.NamedNode(B + "id/inschatting/24062/2024-05-01/v2")  # an assessment
O = ox.NamedNode(B + "id/organisatie/24062")  # noqa: E741 an organisation
C = ox.NamedNode(B + "id/catalogus/inschatting/24062/2024-05-01/v2")  # a catalogue dataset
REF = "24062/2024-05-01/v2"
EXAMPLES = {  # a documented pattern: what its function is called with
    "ns/odm#Term": (B, "Assessment"), "ns/odm": (B,), "ns/odm/{version}": (B, "1.0.0"),
    "ns/odm-shapes#ShapeName": (B, "AssessmentShape"), "id/maturiteitsdomein/{n}": (B, 4),
    "id/maturiteitsniveau/{niet-aanwezig,opgestart,gevorderd,verworven}": (B, "gevorderd"),
    "id/noodniveau/{geen-nood,redelijke-nood,sterke-nood}": (B, "sterke-nood"), "id/charterprincipe/{n}": (B, 7),
    "id/gebruikersprofiel/{stadsmedewerker,beleidsmedewerker,data-expert,data-manager,aankoopdienst}":
        (B, "data-expert"),
    "id/actie/{domain}-{n}": (B, 4, 2), "id/methode/{zelfevaluatie,bevraging,interview}": (B, "bevraging"),
    "id/metriek/maturiteit-{n}": (B, 4), "id/metriek/nood-{n}": (B, 4), "id/conceptschema/{name}": (B, "charter"),
    "id/organisatie/{NIS code}": (B, "24062"), "id/smartportrait/2017/...": (B, "vraag/3"),
    "id/bevraging/opendata-awareness-2019/...": (B, "vraag/6b"), "id/checklist/{area}": (B, "data"),
    "id/checklistitem/{area}-{n}": (B, "data", 3), "id/ster/{1..5}": (B, 3), "id/bron/{seed-stem}": (B, "charter"),
    "id/inschatting/{organisation}/{date}/v{n}": (B, "24062", "2024-05-01", 2),
    "graph/inschatting/{organisation}/{date}/v{n}": (B, "24062", "2024-05-01", 2),
    "id/inschatting/{ref}": (B, REF), "id/inschatting/concept": (B,),
    "{assessment}/domein-{n}": (A, "4"), "{assessment}/dataset-{n}": (A, 2),
    "{thing}/meting/{name}": (A, "gemiddelde-maturiteit"), "{assessment}/plan": (A,),
    "{plan}/domein-{n}": (ox.NamedNode(A.value + "/plan"), "4"),
    "{dataset}/sterren": (ox.NamedNode(A.value + "/dataset-2"),),
    "{dataset}/ster-{1..5}": (ox.NamedNode(A.value + "/dataset-2"), 3), "id/metriek/{name}": (B, "vijf-sterren"),
    "id/bevraging/{organisation}/{date}": (B, "24062", "2024-05-01"),
    "graph/bevraging/{organisation}/{date}": (B, "24062", "2024-05-01"),
    "{survey}/{segment}/{question}/{answer}": (ox.NamedNode(B + "id/bevraging/24062/2024-05-01"), "all", "6b", "ja"),
    "graph/statistiek": (B,), "id/statistiek/actueel/{data set}": (B, "versies"),
    "id/statistiek/actueel/{slice}/{key}": (B, "rangschikking", "2.91"),
    "graph/plaatsvolgorde/{slice}/{key}": (ox.NamedNode(B + "id/statistiek/actueel/rangschikking/2.91"),),
    "graph/laatste/{organisation}": (B, O), "graph/laatste/{organisation}/domeinen": (B, O, "/domeinen"),
    "id/statistiek/laatste": (B,),
    "id/statistiek/laatste/{organisation}/{domain}": (B, O, B + "id/maturiteitsdomein/4"),
    "graph/register": (B,), "id/register": (B,), "id/register/sleutel/{key}": (B, "gen"),
    "id/register/soort/{kind}": (B, "gemeente"),
    "graph/feed": (B,), "id/feed/inschattingen": (B,), "id/gebeurtenis/{n}": (B, 7), "graph/gebeurtenis/{n}": (B, 7),
    "feed?page={n}": (B, 3), "feed?page={n}#volgende-{name}": (B, 3, "tijd"),
    "id/catalogus/odmld": (B,), "id/catalogus/{name}": (B, "sparql"), "id/catalogus/inschatting/{ref}": (B, REF),
    "catalog.{suffix}?page={n}": (B, "ttl", 2), "{dataset}/distributie/{key}": (C, "ttl"),
    "{distribution}/checksum": (ox.NamedNode(C.value + "/distributie/dump"),), "{dataset}/periode": (C,),
    "{dataset}/record": (C,), "graph/{path}": (B, "data/catalog"), "graph/{folder}/{path}": (B, "data", "charter"),
    "graph/file/{stem}": (B, "mine"), "graph/{path}.{suffix}": (B, "inschatting/" + REF, "ttl"),
    "csv/{path}.csv": (B, "inschatting/" + REF), "dump/{path}.ttl.gz": (B, "data/charter"),
    "dump/odmld.nq.gz": (B,), "graph/dumps": (B,), ".well-known/void": (B,), "graph/void": (B,),
    "id/void/{klasse,eigenschap}/{hash}": (B, "klasse", "0123456789abcdef"), "sparql": (B,),
    "id/{ref}": (B, "maturiteitsdomein/4"),
}


def documented_patterns() -> list[str]:
    """The backticked patterns in the pattern column of docs/modelling.md's two URI tables."""
    text = MODELLING.read_text(encoding="utf-8")
    found = []
    for heading in ("## URI patterns", "## IRIs minted at run time"):
        table = text.split(heading, 1)[1].split("\n## ", 1)[0]
        for line in table.splitlines():
            cells = line.split("|")
            if len(cells) >= 4 and "`" in cells[-2]:
                found += re.findall(r"`([^`]+)`", cells[-2])
    return found


def minting_functions() -> dict[str, object]:
    from odmld import vocab
    return {name: value for name, value in vars(vocab).items()
            if inspect.isfunction(getattr(value, "__wrapped__", value))  # lru_cache keeps the function there
            and inspect.signature(value).return_annotation == "ox.NamedNode"}


def named_patterns(function: object) -> set[str]:
    return set(re.findall(r"`([^`]+)`", inspect.getdoc(function) or ""))


def pattern_regex(pattern: str) -> str:
    """`id/actie/{domain}-{n}` -> `id/actie/.+-.+`; `{a,b}` -> either; `{1..5}` -> digits; `...` and the
    local name after a `#` (`ns/odm#Term`) -> anything."""
    parts = re.split(r"(\{[^}]*\}|\.\.\.|(?<=#)[A-Z]\w*$)", pattern)
    return "".join(".+" if part == "..." or part[:1].isupper() or (part.startswith("{") and "," not in part
                                                                    and ".." not in part)
                   else "[0-9]+" if part.startswith("{") and ".." in part
                   else "(" + "|".join(map(re.escape, part[1:-1].split(","))) + ")" if part.startswith("{")
                   else re.escape(part) for part in parts)


def test_the_modelling_document_lists_the_patterns_the_examples_cover():
    assert sorted(documented_patterns()) == sorted(EXAMPLES)


@pytest.mark.parametrize("pattern", sorted(EXAMPLES))
def test_each_documented_uri_pattern_has_one_vocab_function_that_builds_it(pattern):
    naming = [name for name, function in minting_functions().items() if pattern in named_patterns(function)]
    assert len(naming) == 1, f"{pattern}: named by {naming}"
    iri = minting_functions()[naming[0]](*EXAMPLES[pattern])
    expected = pattern_regex(pattern) if pattern.startswith("{") else re.escape(B) + pattern_regex(pattern)
    assert isinstance(iri, ox.NamedNode) and re.fullmatch(expected, iri.value), (naming[0], iri)


CONVERTERS = {"resolve", "graph_of_assessment"}  # turn a path or one IRI into another: no pattern of their own


def test_every_vocab_function_that_mints_an_iri_names_a_documented_pattern():
    documented = set(documented_patterns())
    unnamed = sorted(name for name, function in minting_functions().items()
                     if not named_patterns(function) & documented and name not in CONVERTERS)
    assert unnamed == [], unnamed


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The odmld modules `path` imports, at its top or inside a function (a lazy import is still a
    cycle): `from . import x` counts module x, not the package it is in."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                origin = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            named = {f"{origin}.{alias.name}" for alias in node.names} & modules
            found |= named if named else ({origin} & modules)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & modules
    return found - {here}


def test_no_two_modules_of_odmld_import_each_other_even_through_others():
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    imports = {name: imported_modules(path, set(paths)) for name, path in paths.items()}

    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(imports[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(imports[name])
        return seen

    cycles = sorted(name for name in imports if name in reaches(name))
    assert not cycles, cycles


def test_every_module_of_odmld_reads_in_one_sitting_at_most_300_lines():
    longer = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
              if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 300}
    assert not longer, longer
