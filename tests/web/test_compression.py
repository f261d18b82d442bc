"""Responses of more than a little text go out compressed when the client accepts it (br, gzip), with
Vary: Accept-Encoding, their own entity tag, and kept compressed by the whole-response cache."""

from __future__ import annotations

import gzip
import time

import brotli
import pytest

from odmld.web.compression import chosen_encoding


@pytest.mark.parametrize("header, chosen", [
    (None, None), ("", None), ("identity", None), ("gzip", "gzip"), ("gzip, br", "br"),
    ("br;q=0.5, gzip", "gzip"), ("br;q=0, gzip;q=0", None), ("*", "br"), ("*;q=0.1, br;q=0", "gzip"),
    ("GZIP", "gzip"), ("deflate, x-nonsense;q=abc", None), ("gzip;q=1.0x", None)])
def test_the_encoding_follows_the_weights_of_accept_encoding(header, chosen):
    assert chosen_encoding(header) == chosen


def test_a_catalogue_page_goes_out_compressed_with_its_own_etag(client):
    plain = client.get("/catalog?page=1", headers={"Accept": "text/turtle"})
    assert plain.headers.get("Content-Encoding") is None and "Accept-Encoding" in plain.headers["Vary"]
    for encoding, decompress in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        packed = client.get("/catalog?page=1", headers={"Accept": "text/turtle", "Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert decompress(packed.get_data()) == plain.get_data()
        assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(plain.get_data()) / 3


DOCUMENT = "/doc/maturiteitsdomein/4"


def test_a_compressed_document_has_its_own_etag(client):
    plain = client.get(DOCUMENT, headers={"Accept": "text/turtle"})
    assert len(plain.get_data()) > 1024 and plain.headers["ETag"].endswith('"')
    for encoding in ("gzip", "br"):
        packed = client.get(DOCUMENT, headers={"Accept": "text/turtle", "Accept-Encoding": encoding})
        assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + f'-{encoding}"'
        assert packed.headers["Vary"].count("Accept-Encoding") == 1 and "Accept" in packed.headers["Vary"]


def test_a_conditional_request_with_the_encoded_tag_is_answered_304_with_it(client):
    headers = {"Accept": "text/turtle", "Accept-Encoding": "br"}
    tag = client.get(DOCUMENT, headers=headers).headers["ETag"]
    again = client.get(DOCUMENT, headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag
    gzip_tag = tag[:-len('-br"')] + '-gzip"'  # another representation's tag does not match
    assert client.get(DOCUMENT, headers={**headers, "If-None-Match": gzip_tag}).status_code == 200
    plain_tag = client.get(DOCUMENT, headers={"Accept": "text/turtle"}).headers["ETag"]
    assert client.get(DOCUMENT, headers={"Accept": "text/turtle", "If-None-Match": tag}).status_code == 200
    assert client.get(DOCUMENT, headers={"Accept": "text/turtle", "If-None-Match": plain_tag}).status_code == 304


def test_small_and_binary_responses_go_out_as_they_are(client):
    small = client.get("/ns/context.jsonld", headers={"Accept-Encoding": "gzip"})
    if len(small.get_data()) < 1024:
        assert small.headers.get("Content-Encoding") is None
    icon = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
    assert icon.status_code == 200


def test_the_response_cache_keeps_each_encoding_apart(client):
    url = "/doc/maturiteitsdomein/4"
    for _ in range(2):  # the second of each is answered by the whole-response cache
        for encoding in ("br", "gzip", None):
            headers = {"Accept": "text/html", **({"Accept-Encoding": encoding} if encoding else {})}
            response = client.get(url, headers=headers)
            assert response.headers.get("Content-Encoding") == encoding
            body = response.get_data()
            text = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)
            assert b"<html" in text


def test_the_whole_response_cache_keeps_the_compressed_bytes(app):
    from test_caches import whole_responses
    kept = whole_responses(app)
    client = app.test_client()
    url = "/doc/maturiteitsdomein/5"
    for _ in range(40):  # kept whole only once its Last-Modified is due (the second after the model's load)
        answer = client.get(url, headers={"Accept": "text/turtle", "Accept-Encoding": "br"})
        if "Last-Modified" in answer.headers:
            break
        time.sleep(0.05)
    sent = answer.get_data()
    entries = [value for _, value in kept._entries.values() if value[2] == sent]
    assert len(entries) == 1 and ("Content-Encoding", "br") in entries[0][1]
    assert client.get(url, headers={"Accept": "text/turtle", "Accept-Encoding": "br"}).get_data() == sent
