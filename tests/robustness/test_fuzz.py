"""No input gives a 500: Hypothesis sends malformed requests to every route of the app (from
``app.url_map``) through the test client, as a visitor, a staff member and a partner, with the
real field names of the site's forms, and fails on any 5xx.

Bounded for CI: ``FUZZ_EXAMPLES`` requests per kind of visitor (150 by default), no deadline.
"""

from __future__ import annotations

import io
import os
import re
from urllib.parse import quote, quote_from_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter, Rule

from tests.conftest import csrf_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
#: routes a fuzzed request must not take: logging out would end the visitor's session
SKIPPED = {"accounts.logout", "static"}

#: values that broke pages before: NUL, control characters, huge numbers, long and odd text
NASTY = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\x01\x1f\x7f",
        "2147483648",
        "9" * 40,
        "-1",
        "0",
        "",
        " ",
        "é" * 300,
        "x" * 5000,
        "<script>",
        "%00",
        "../..",
        "\ud7ff\ue000\uffff",
        "日本語",
        "1e309",
        "NaN",
        "null",
        "[]",
        "{}",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=40), st.integers().map(str))


def url_for_rule(rule: Rule, draw, known: dict[str, list[str]]) -> str:
    parts = []
    for is_argument, piece in rule._trace:  # the rule's text, with its arguments in place
        if not is_argument:
            parts.append(piece)
            continue
        if isinstance(rule._converters[piece], IntegerConverter):
            number = draw(
                st.one_of(st.integers(0, 50), st.integers(2**31 - 2, 2**31 + 2), st.integers(0, 2**80))
            )
            parts.append(str(number))
        else:
            value = draw(st.one_of(st.sampled_from(known.get(piece) or ["x"]), TEXT))
            parts.append(quote(value, safe=""))
    path = "".join(parts).split("|", 1)[-1]
    return path if path.startswith("/") else "/" + path


def query_string(draw, fields: list[str]) -> str:
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(["ref", "q", "lang", "page", *fields]), TEXT), max_size=3)
    )
    raw = draw(st.one_of(st.just(b""), st.binary(max_size=8)))  # malformed UTF-8 too
    query = "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)
    return query + (f"&x={quote_from_bytes(raw)}" if raw else "")


@pytest.fixture
def visitors(app: Flask, campaign, create_user, login) -> dict[str, FlaskClient]:
    app.config["RATELIMIT_ENABLED"] = False
    staff, partner = app.test_client(), app.test_client()
    login(create_user("fuzz-staff@example.org", role="admin"), http=staff)
    login(create_user("fuzz-partner@example.org", org="Fuzz Org"), http=partner)
    return {"visitor": app.test_client(), "staff": staff, "partner": partner}


def form_fields(client: FlaskClient, app: Flask) -> list[str]:
    """The field names of every form on the pages this visitor can open without arguments."""
    names = set()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and set(rule.arguments) <= {"lang"} and rule.endpoint not in SKIPPED:
            html = client.get(rule.rule.replace("<lang>", "en")).get_data(as_text=True)
            names.update(re.findall(r'name="([^"]+)"', html))
    return sorted(names - {"csrf_token"})


@pytest.mark.parametrize("who", ["visitor", "staff", "partner"])
def test_no_request_gets_a_5xx(app, campaign, visitors, who):
    client = visitors[who]
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED),
        key=lambda rule: rule.rule,
    )
    fields = form_fields(client, app)
    token = csrf_token(client, "/en/account/login" if who == "visitor" else "/en/account/")
    known = {
        "lang": ["en", "ru", "ka"],
        "slug": [campaign.slug],
        "org": ["fuzz-org"],
        "text_lang": ["en", "ru"],
    }

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def request_does_not_fail(data):
        rule = data.draw(st.sampled_from(rules))
        method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
        url = url_for_rule(rule, data.draw, known)
        query = query_string(data.draw, fields)
        form = dict(data.draw(st.lists(st.tuples(st.sampled_from(fields or ["name"]), TEXT), max_size=6)))
        if data.draw(st.booleans()):
            form["csrf_token"] = token
        kind = data.draw(st.sampled_from(["form", "file", "json"]))
        options = {}
        if method != "GET":
            if kind == "file":
                form[data.draw(st.sampled_from(fields or ["name"]))] = (
                    io.BytesIO(b"%PDF\x00\xff"),
                    "a\x00.pdf",
                )
                options = {"data": form, "content_type": "multipart/form-data"}
            elif kind == "json":
                options = {"json": form}
            else:
                options = {"data": form}
        response = client.open(f"{url}?{query}", method=method, **options)
        assert response.status_code < 500, f"{method} {url}?{query} {options}"

    request_does_not_fail()


def probes(rule: Rule, known: dict[str, list[str]]) -> list[str]:
    """The rule's URL with each argument in turn replaced by what broke pages before."""

    def build(replace: str | None, value: str) -> str:
        parts = []
        for is_argument, piece in rule._trace:
            if not is_argument:
                parts.append(piece)
            elif piece == replace:
                parts.append(quote(value, safe=""))
            elif isinstance(rule._converters[piece], IntegerConverter):
                parts.append("1")
            else:
                parts.append(quote((known.get(piece) or ["x"])[0], safe=""))
        path = "".join(parts).split("|", 1)[-1]
        return path if path.startswith("/") else "/" + path

    urls = [build(None, "") + "?ref=%00&q=%ff%fe&page=99999999999999999999"]
    for argument, converter in rule._converters.items():
        values = (
            ["2147483648", "9223372036854775808"]
            if isinstance(converter, IntegerConverter)
            else ["\x00", "a\x00b", "\x7f"]
        )
        urls += [build(argument, value) for value in values]
    return urls


@pytest.mark.parametrize("who", ["visitor", "staff", "partner"])
def test_nul_huge_ids_malformed_utf8_and_uploads_get_a_4xx_on_every_route(app, campaign, visitors, who):
    client = visitors[who]
    token = csrf_token(client, "/en/account/login" if who == "visitor" else "/en/account/")
    known = {"lang": ["en"], "slug": [campaign.slug], "org": ["fuzz-org"], "text_lang": ["en"]}
    fields = form_fields(client, app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for url in probes(rule, known):
                response = client.open(
                    url, method=method, data={"csrf_token": token} if method == "POST" else None
                )
                assert response.status_code < 500, f"{method} {url}"
            if method == "POST":  # every field of the site's forms at once: text with a NUL, then a file
                url = probes(rule, known)[0].split("?")[0]
                for value in ("a\x00b", b"%PDF-1.7\x00\xff"):
                    data = {
                        field: (io.BytesIO(value), "x.pdf") if isinstance(value, bytes) else value
                        for field in fields
                    }
                    response = client.post(
                        url, data={**data, "csrf_token": token}, content_type="multipart/form-data"
                    )
                    assert response.status_code < 500, f"POST {url} {value!r} in every field"
