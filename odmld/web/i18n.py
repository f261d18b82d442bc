"""Dutch and English for the HTML pages: the language choice and the interface's own words."""

from __future__ import annotations

from flask import request

LANGUAGES = ("nl", "en")

MESSAGES = {
    "nl": {
        "site": "Open data maturiteit", "home": "Start", "model": "Maturiteitsmodel",
        "charter": "Open Data Charter", "organisations": "Organisaties", "sparql": "SPARQL",
        "ontology": "Ontologie", "domains": "Maturiteitsdomeinen", "principles": "Charterprincipes",
        "levels": "Maturiteitsniveaus", "needs": "Noodniveaus", "actions": "Acties",
        "audience": "Doelpubliek", "definition": "Definitie", "properties": "Eigenschappen",
        "alternates": "Ook beschikbaar als", "served_by": "Gediend door de domeinen",
        "portrait": "Smart Portrait 2017", "yes": "ja", "no": "nee", "rank": "rang",
        "coordinator": "Smart City-coördinator", "steering_group": "Geformaliseerde stuurgroep",
        "ad_hoc": "Ad-hocbijeenkomsten", "clauses": "Dataclausules in contracten",
        "architect": "Enterprise architect", "inventory": "Inventarisatie data(sets)",
        "portal": "Open data portaal", "interview": "Interview", "classes": "Klassen",
        "object_properties": "Eigenschappen", "query": "Vraag", "run": "Uitvoeren",
        "examples": "Voorbeeldvragen", "intro": "odmld publiceert de open data maturiteit van lokale besturen als Linked Open Data: het Maturiteitsmodel Open Data Awareness, het Smart Flanders Open Data Charter, de Smart Portrait maturiteitscheck en de bevraging open data awareness.",
        "language": "English", "not_found": "Niet gevonden",
        "maturity": "maturiteit", "need": "nood", "radar_title": "Maturiteit en nood per domein",
        "plan": "Remediëringsplan", "gap": "kloof", "priority": "prioriteit", "totals": "Totalen",
        "history": "Geschiedenis", "latest": "Laatste inschatting", "version": "versie",
        "withdrawn": "ingetrokken", "no_changes": "geen wijzigingen", "first_version": "eerste inschatting",
        "catalogue": "Catalogus (DCAT-AP Vlaanderen)", "whole": "volledig",
        "compare": "Vergelijken", "heatmap": "Maturiteit per organisatie en domein",
        "radars": "Per organisatie", "per_domain": "Per domein",
        "datasets": "Open datasets van de organisatie", "dataset": "dataset", "stars": "sterren",
        "why_not": "waarom niet meer sterren",
        "form_title": "Zelfevaluatie open data maturiteit", "form_about": "De inschatting",
        "form_intro": "Schat per domein de maturiteit en de nood van uw bestuur in; een leeg domein wordt niet gescoord.",
        "token": "Schrijfsleutel (eenmaal per sessie)", "date": "Datum", "method": "Methode",
        "publish": "Publiceren", "bad_token": "Deze schrijfsleutel is onbekend, fout of ingetrokken.",
        "read_only": "Deze server heeft een alleen-lezen store gekregen en aanvaardt geen publicaties.",
        "too_large": "De inhoud is groter dan 1 MiB ({limit} bytes); stuur minder.",
        "bad_length": "Content-Length is geen aantal bytes.",
        "bad_csrf": "Dit formulier is verlopen of kwam niet van deze site; open het formulier opnieuw en verstuur het nog eens.",
        "survey_title": "Bevraging opladen", "survey_file": "Antwoorden (CSV, sjabloon survey-responses.csv)",
        "survey_intro": "Stuur de individuele antwoorden van de bevraging open data awareness; odmld telt ze per profiel en publiceert de inschatting die eruit volgt. Zelf inschatten kan met het formulier:",
        "survey_missing": "Kies het CSV-bestand met de antwoorden.",
        "survey_not_utf8": "Het bestand is geen UTF-8-tekst.",
        "evidence": "onderbouwing", "priority_rule": "Prioriteit = kloof tot 'verworven' × (rang van de nood + 1), van 0 tot 9.",
    },
    "en": {
        "site": "Open data maturity", "home": "Home", "model": "Maturity model",
        "charter": "Open Data Charter", "organisations": "Organisations", "sparql": "SPARQL",
        "ontology": "Ontology", "domains": "Maturity domains", "principles": "Charter principles",
        "levels": "Maturity levels", "needs": "Need levels", "actions": "Actions",
        "audience": "Target audience", "definition": "Definition", "properties": "Properties",
        "alternates": "Also available as", "served_by": "Served by the domains",
        "portrait": "Smart Portrait 2017", "yes": "yes", "no": "no", "rank": "rank",
        "coordinator": "Smart City coordinator", "steering_group": "Formalised steering group",
        "ad_hoc": "Ad hoc meetings", "clauses": "Data clauses in contracts",
        "architect": "Enterprise architect", "inventory": "Inventory of data(sets)",
        "portal": "Open data portal", "interview": "Interview", "classes": "Classes",
        "object_properties": "Properties", "query": "Query", "run": "Run",
        "examples": "Example queries", "intro": "odmld publishes the open data maturity of local governments as Linked Open Data: the Open Data Awareness maturity model, the Smart Flanders Open Data Charter, the Smart Portrait maturity check and the open data awareness survey.",
        "language": "Nederlands", "not_found": "Not found",
        "maturity": "maturity", "need": "need", "radar_title": "Maturity and need per domain",
        "plan": "Remediation plan", "gap": "gap", "priority": "priority", "totals": "Totals",
        "history": "History", "latest": "Latest assessment", "version": "version",
        "withdrawn": "withdrawn", "no_changes": "no changes", "first_version": "first assessment",
        "catalogue": "Catalogue (DCAT-AP Vlaanderen)", "whole": "whole",
        "compare": "Compare", "heatmap": "Maturity per organisation and domain",
        "radars": "Per organisation", "per_domain": "Per domain",
        "datasets": "The organisation's open datasets", "dataset": "dataset", "stars": "stars",
        "why_not": "why not more stars",
        "form_title": "Open data maturity self-assessment", "form_about": "The assessment",
        "form_intro": "Assess your government's maturity and need per domain; an empty domain is not scored.",
        "token": "Write token (once per session)", "date": "Date", "method": "Method",
        "publish": "Publish", "bad_token": "This write token is unknown, wrong or revoked.",
        "read_only": "This server was given a read-only store and accepts no publications.",
        "too_large": "The body is larger than 1 MiB ({limit} bytes); send less.",
        "bad_length": "Content-Length is not a number of bytes.",
        "bad_csrf": "This form has expired or did not come from this site; open the form again and send it once more.",
        "survey_title": "Upload a survey", "survey_file": "Responses (CSV, template survey-responses.csv)",
        "survey_intro": "Send the individual responses of the open data awareness survey; odmld counts them per profile and publishes the assessment they give. To assess yourself, use the form:",
        "survey_missing": "Choose the CSV file with the responses.",
        "survey_not_utf8": "The file is not UTF-8 text.",
        "evidence": "evidence", "priority_rule": "Priority = gap to 'acquired' × (need rank + 1), from 0 to 9.",
    },
}


def current_language() -> str:
    """?lang= wins, then the cookie a previous switch set, then Accept-Language; Dutch by default."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def translator(lang: str):
    return lambda key: MESSAGES[lang].get(key, key)


# The SPARQL page, the library's forms and an answer's table (kept apart from the pages' words above).
SPARQL_WORDS = {
    "nl": {"answer": "Antwoord", "rows": "rijen", "download": "Downloaden als", "editor": "Editor",
           "open_in_editor": "Openen in de editor",
           "sparql_intro": "Stel vragen aan de gegevens in SPARQL. De bibliotheek hieronder bevat de "
                           "onderzoeksvragen, elk met een formulier voor de parameters; zonder JavaScript "
                           "krijgt u het antwoord als tabel, met links naar CSV, JSON en RDF.",
           "no_script": "Zonder JavaScript: schrijf de vraag hieronder; het antwoord komt als tabel.",
           "param_organisation": "Organisatie (NIS-code of vgc)", "param_domain": "Maturiteitsdomein",
           "param_principle": "Charterprincipe", "param_date": "Datum", "param_lang": "Taal",
           "param_assessment": "Inschatting (organisatie/datum/versie)", "param_kind": "Soort bevinding"},
    "en": {"answer": "Answer", "rows": "rows", "download": "Download as", "editor": "Editor",
           "open_in_editor": "Open in the editor",
           "sparql_intro": "Ask the data in SPARQL. The library below holds the research questions, each "
                           "with a form for its parameters; without JavaScript the answer comes as a table, "
                           "with links to CSV, JSON and RDF.",
           "no_script": "Without JavaScript: write the query below; the answer comes as a table.",
           "param_organisation": "Organisation (NIS code or vgc)", "param_domain": "Maturity domain",
           "param_principle": "Charter principle", "param_date": "Date", "param_lang": "Language",
           "param_assessment": "Assessment (organisation/date/version)", "param_kind": "Kind of finding"},
}
for _lang, _words in SPARQL_WORDS.items():
    MESSAGES[_lang].update(_words)
MESSAGES["nl"].update({"parameter": "Parameter", "description": "Beschrijving", "body": "Inhoud"})
MESSAGES["en"].update({"parameter": "Parameter", "description": "Description", "body": "Body"})
