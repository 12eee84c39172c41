"""The OpenAPI 3.1 description of the public JSON API (DESIGN.md section 4), served at
``/api/v1/openapi.json``.

Written by hand, beside the views, because the fields are a contract other tools depend on:
``tests/api/test_openapi.py`` checks that every API route is described here and that every
field a response carries is described, and ``.ci/run`` runs schemathesis against the running
app with this document. Fields the design lists that some responses leave out (a letter under
embargo has no signatories) are described but not required.
"""

from __future__ import annotations

from typing import Any

JSONSchema = dict[str, Any]

STRING: JSONSchema = {"type": "string"}
COUNT: JSONSchema = {"type": "integer", "minimum": 0}
URL: JSONSchema = {"type": "string", "format": "uri"}
MOMENT: JSONSchema = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
MAYBE_MOMENT: JSONSchema = {"type": ["string", "null"], "format": "date-time", "description": "UTC, ISO 8601"}
COUNTRY: JSONSchema = {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"}
LANG: JSONSchema = {"type": "string", "description": "a locale code, as in /<lang>/ URLs"}


def _object(properties: dict[str, JSONSchema], required: tuple[str, ...] = (), **extra: Any) -> JSONSchema:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


def _list_of(name: str, item: JSONSchema) -> JSONSchema:
    return _object({name: {"type": "array", "items": item}}, (name,))


CAMPAIGN_STATUS: JSONSchema = {
    "type": "string",
    "description": "live, closed or won (drafts are never public)",
}
LETTER_STATUS: JSONSchema = {"type": "string", "description": "open (for sign-on), closed or delivered"}

#: a date known to a year, a month or a day, written at its precision; null: not known
PARTIAL_DATE = {
    "type": ["string", "null"],
    "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": "2011, 2011-12 or 2011-12-16: as precise as it is known",
}
#: the day the defender's present status was last checked against a source
VERIFIED_ON = {"type": ["string", "null"], "format": "date"}

SCHEMAS: dict[str, JSONSchema] = {
    "Error": _object({"error": STRING, "status": {"type": "integer"}}, ("error", "status")),
    "CampaignSummary": _object(
        {
            "slug": STRING,
            "title": STRING,
            "signature_count": {**COUNT, "description": "confirmed, valid online signatures"},
            "goal": COUNT,
            "url": URL,
        },
        ("slug", "title", "signature_count", "goal", "url"),
    ),
    "Campaign": _object(
        {
            "slug": STRING,
            "title": STRING,
            "status": CAMPAIGN_STATUS,
            "goal": COUNT,
            "signature_count": {
                **COUNT,
                "description": "confirmed, valid online signatures; moves within a second of a confirmation",
            },
            "signatures_by_country": {
                "type": "object",
                "description": "countries with fewer than COUNTRY_COUNT_MIN signatures are summed in 'other'",
                "properties": {"other": COUNT},
                "additionalProperties": COUNT,
                "required": ["other"],
            },
            "held_for_review": {**COUNT, "description": "signatures held for review, not counted"},
            "offline_signature_count": {**COUNT, "description": "paper signatures entered by staff"},
            "updated_at": MOMENT,
        },
        ("slug", "title", "status", "goal", "signature_count", "signatures_by_country", "updated_at"),
    ),
    "LetterSummary": _object(
        {"slug": STRING, "title": STRING, "status": LETTER_STATUS, "url": URL},
        ("slug", "title", "status", "url"),
    ),
    "Recipient": _object(
        {"name": STRING, "title": STRING, "country": COUNTRY, "lang": LANG},
        ("name", "title", "country"),
    ),
    "Signatory": _object(
        {"organisation": STRING, "representative": STRING, "signed_at": MAYBE_MOMENT},
        ("organisation", "representative", "signed_at"),
    ),
    "Outcome": _object(
        {
            "status": {
                "type": "string",
                "enum": ["awaiting", "acknowledged", "replied", "refused", "no_answer", "overdue"],
                "description": "what the recipient did; overdue: still no answer after the deadline",
            },
            "delivered_at": {**MAYBE_MOMENT, "description": "when the letter reached the office (UTC)"},
            "due_at": {**MAYBE_MOMENT, "description": "the deadline the law gives the office to answer"},
            "days_overdue": {**COUNT, "description": "whole days since the deadline passed with no answer"},
            "acknowledged_at": MAYBE_MOMENT,
            "registration_number": {
                "type": ["string", "null"],
                "description": "the office's registration number, if the coordinator publishes it",
            },
            "responded_at": MAYBE_MOMENT,
            "response": {
                "type": ["string", "null"],
                "description": "the answer's text, once the coordinator publishes it",
            },
        },
        ("status", "due_at", "acknowledged_at", "responded_at", "response"),
    ),
    "Delivery": _object(
        {
            "recipient": STRING,
            "status": {"type": "string", "description": "queued, sent or failed"},
            "sent_at": MAYBE_MOMENT,
            "channel": STRING,
            "lang": LANG,
            "outcome": {"oneOf": [{"$ref": "#/components/schemas/Outcome"}, {"type": "null"}]},
        },
        ("recipient", "status", "sent_at"),
    ),
    "Evidence": _object(
        {"merkle_root": STRING, "signature_count": COUNT, "computed_at": MAYBE_MOMENT},
        ("merkle_root", "signature_count"),
    ),
    "Letter": _object(
        {
            "slug": STRING,
            "title": STRING,
            "status": LETTER_STATUS,
            "embargoed": {"type": "boolean", "description": "while true: no signatories and no text"},
            "recipients": {"type": "array", "items": {"$ref": "#/components/schemas/Recipient"}},
            "signatories": {"type": "array", "items": {"$ref": "#/components/schemas/Signatory"}},
            "deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
            "evidence": {
                "description": "only once delivered and tied to a campaign",
                "oneOf": [{"$ref": "#/components/schemas/Evidence"}, {"type": "null"}],
            },
        },
        ("slug", "title", "status", "recipients", "deliveries"),
    ),
    "DefenderSummary": _object(
        {
            "slug": STRING,
            "name": STRING,
            "country": COUNTRY,
            "status": STRING,
            "status_verified_on": VERIFIED_ON,
            "url": URL,
        },
        ("slug", "name", "country", "status", "url"),
    ),
    "Defender": _object(
        {
            "slug": STRING,
            "name": STRING,
            "country": COUNTRY,
            "occupation": {"type": ["string", "null"]},
            "status": STRING,
            "status_verified_on": VERIFIED_ON,
            "status_history": {
                "type": "array",
                "description": "oldest first",
                "items": _object({"status": STRING, "date": PARTIAL_DATE}, ("status", "date")),
            },
            "campaigns": {"type": "array", "items": STRING, "description": "slugs of public campaigns"},
            "url": URL,
        },
        ("slug", "name", "country", "status", "url"),
    ),
}


def _ref(name: str) -> JSONSchema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: JSONSchema, links: dict[str, Any] | None = None) -> JSONSchema:
    response: JSONSchema = {"description": description, "content": {"application/json": {"schema": schema}}}
    if links:
        response["links"] = links
    return response


LANG_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "the language of titles and names (an unsupported one gives the default, English)",
    "schema": {"type": "string"},
}
NOT_FOUND = {"404": _json("No public item has this slug", _ref("Error"))}
#: every route's request guard refuses a path or query with a control character (campaign.request_guards)
BAD_REQUEST = {"400": _json("The path or query holds a control character", _ref("Error"))}


def _collection(noun: str, summary: str, item: str, one: str) -> dict[str, Any]:
    """A list endpoint and its one-item endpoint, linked so that a client (or schemathesis) can
    follow a listed slug to its details."""
    link = {
        f"get_{one}": {
            "operationId": f"get_{one}",
            "parameters": {"slug": f"$response.body#/{noun}/0/slug"},
        }
    }
    return {
        f"/api/v1/{noun}": {
            "get": {
                "operationId": f"list_{noun}",
                "summary": summary,
                "parameters": [LANG_PARAMETER],
                "responses": {"200": _json(summary, _list_of(noun, _ref(item)), link), **BAD_REQUEST},
            }
        },
        f"/api/v1/{noun}/{{slug}}": {
            "get": {
                "operationId": f"get_{one}",
                "summary": f"One public {one}",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                    LANG_PARAMETER,
                ],
                "responses": {"200": _json(f"The {one}", _ref(one.capitalize())), **NOT_FOUND, **BAD_REQUEST},
            }
        },
    }


#: the collections the API serves: (URL noun, summary, list item schema, one item's schema)
COLLECTIONS = (
    ("campaigns", "Public campaigns with their live counts", "CampaignSummary", "campaign"),
    ("letters", "Public letters (open for sign-on, closed, delivered)", "LetterSummary", "letter"),
    ("defenders", "Defenders with a public page", "DefenderSummary", "defender"),
)


def document(served: set[str], base_url: str) -> dict[str, Any]:
    """The OpenAPI document of the collections whose routes the app serves (``served``: rules)."""
    paths: dict[str, Any] = {}
    for noun, summary, item, one in COLLECTIONS:
        if f"/api/v1/{noun}" in served:
            paths |= _collection(noun, summary, item, one)
    paths["/api/v1/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "This description",
            "responses": {"200": _json("The OpenAPI 3.1 document", {"type": "object"}), **BAD_REQUEST},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "campaign public API",
            "version": "1",
            "description": "Read-only, public and cacheable. Counts may be a few seconds stale.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
