"""/api/v1/openapi.json describes every route of the API and every field its responses carry."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def api_rules(app) -> set[str]:
    return {
        re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref, and pick the object (or array) branch of a nullable oneOf."""
    while True:
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif "oneOf" in schema:
            schema = next(branch for branch in schema["oneOf"] if branch.get("type") != "null")
        else:
            return schema


def undescribed(value: Any, schema: dict[str, Any], document: dict[str, Any], where: str = "") -> list[str]:
    """Paths of the fields in ``value`` that ``schema`` does not describe."""
    schema = resolve(schema, document)
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            described = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if not isinstance(described, dict):
                found.append(f"{where}.{key}")
            else:
                found += undescribed(item, described, document, f"{where}.{key}")
        return found
    if isinstance(value, list):
        return [path for item in value for path in undescribed(item, schema["items"], document, f"{where}[]")]
    return []


def response_schema(document: dict[str, Any], path: str, status: str = "200") -> dict[str, Any]:
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_the_document_describes_every_api_route_and_no_other(app, client):
    document = client.get("/api/v1/openapi.json").get_json()

    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == api_rules(app)


def served_responses(client) -> list[tuple[str, str, Any]]:
    """(described path, URL, body) of every list and of the first item of each, on the demo data."""
    document = client.get("/api/v1/openapi.json").get_json()
    served = []
    for path in document["paths"]:
        if "{" in path or path.endswith("openapi.json"):
            continue
        noun = path.rsplit("/", 1)[1]
        body = client.get(path).get_json()
        served.append((path, path, body))
        for item in body[noun][:3]:
            url = f"{path}/{item['slug']}"
            served.append((f"{path}/{{slug}}", url, client.get(url).get_json()))
    return served


def test_every_field_the_api_serves_is_described(client, demo):
    document = client.get("/api/v1/openapi.json").get_json()

    missing = {
        url: undescribed(body, response_schema(document, path), document)
        for path, url, body in served_responses(client)
    }

    assert len(missing) >= 4
    assert {url: fields for url, fields in missing.items() if fields} == {}


def test_every_response_on_demo_data_is_valid_against_the_document(client, demo):
    document = client.get("/api/v1/openapi.json").get_json()

    errors = {}
    for path, url, body in served_responses(client):
        schema = {**response_schema(document, path), "components": document["components"]}
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        if found := [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(body)
        ]:
            errors[url] = found

    assert errors == {}


def test_an_unknown_slug_gives_the_described_404(client):
    document = client.get("/api/v1/openapi.json").get_json()

    response = client.get("/api/v1/campaigns/no-such-campaign")

    schema = {
        **response_schema(document, "/api/v1/campaigns/{slug}", "404"),
        "components": document["components"],
    }
    assert response.status_code == 404
    jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("path", ["/api/v1/campaigns", "/api/v1/defenders/{slug}", "/api/v1/openapi.json"])
def test_a_control_character_in_the_query_gives_the_described_400(client, path):
    document = client.get("/api/v1/openapi.json").get_json()

    response = client.get(path.replace("{slug}", "anyone"), query_string={"lang": "ru\x06"})

    schema = {**response_schema(document, path, "400"), "components": document["components"]}
    assert response.status_code == 400
    jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator)
