"""``GET /metrics``: Prometheus' text format, for loopback or the bearer of METRICS_TOKEN only,
counting requests and signatures, reading the outbox and RQ when scraped, never naming anyone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from campaign import create_app
from campaign.extensions import db
from campaign.outbox import OutboxMessage
from campaign.signatures.models import Signature
from tests.campaigns.test_overload import database_down_for
from tests.signatures.test_signing import confirm
from tests.smtp import free_port

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}
TOKEN = "metrics-token-for-the-tests-0123456789"


def scrape(client, environ: dict[str, str] = LOCAL, **kwargs: Any) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, parsed as Prometheus parses it: {(name, labels): value}."""
    response = client.get("/metrics", environ_base=environ, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return parse(response.get_data(as_text=True))


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_loopback_reads_the_metrics_in_prometheus_text_format_without_a_cookie(client):
    response = client.get("/metrics", environ_base=LOCAL)

    assert response.status_code == 200
    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    samples = parse(response.get_data(as_text=True))
    assert value(samples, "campaign_database_up") == 1
    assert value(samples, "campaign_redis_up") == 1


def test_ipv6_loopback_reads_them_too(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_from_elsewhere_without_a_token_the_metrics_are_the_sites_ordinary_404(client):
    refused = client.get("/metrics", environ_base=ELSEWHERE)
    missing = client.get("/nothing/here/at/all", environ_base=ELSEWHERE)

    assert refused.status_code == 404
    assert refused.get_data() == missing.get_data()
    assert "Set-Cookie" not in refused.headers


def test_a_loopback_request_that_came_through_a_proxy_is_refused(client):
    """A proxy on the same host, with PROXY_FIX_X_FOR unset, makes every visitor look local."""
    response = client.get("/metrics", environ_base=LOCAL, headers={"X-Forwarded-For": "203.0.113.9"})

    assert response.status_code == 404


def test_the_right_token_opens_the_metrics_from_elsewhere(app, client):
    app.config["METRICS_TOKEN"] = TOKEN

    response = client.get("/metrics", environ_base=ELSEWHERE, headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert value(parse(response.get_data(as_text=True)), "campaign_database_up") == 1
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "authorization",
    [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer ", "Bearer Ω"],
)
def test_a_wrong_token_is_a_404(app, client, authorization):
    app.config["METRICS_TOKEN"] = TOKEN

    response = client.get("/metrics", environ_base=ELSEWHERE, headers={"Authorization": authorization})

    assert response.status_code == 404


def test_without_metrics_token_no_bearer_opens_them(client):
    response = client.get("/metrics", environ_base=ELSEWHERE, headers={"Authorization": "Bearer "})

    assert response.status_code == 404


def test_a_signature_and_its_confirmation_move_the_counters_and_leave_no_trace_in_them(
    client, campaign, sign, drain, smtp_server
):
    before = scrape(client)
    assert value(before, "campaign_signatures_accepted_total") == 0

    sign(campaign.slug, ip="198.51.100.7", email="aigerim@example.org")
    drain()
    [mail] = smtp_server.to("aigerim@example.org")
    link = re.search(r"/\S*/verify/(\S+)", mail.text())
    assert link
    assert confirm(client, mail).status_code == 200
    response = client.get("/metrics", environ_base=LOCAL)
    text = response.get_data(as_text=True)

    samples = parse(text)
    assert value(samples, "campaign_signatures_accepted_total") == 1
    assert value(samples, "campaign_signatures_confirmed_total", result="counted") == 1
    assert value(samples, "campaign_signatures_confirmed_total", result="held") == 0
    # the signing POST, by its endpoint and status class; its latency observed once
    assert value(samples, "campaign_http_requests_total", endpoint="campaigns.show", status="3xx") == 1
    assert (
        value(samples, "campaign_http_requests_total", endpoint="signatures.verify_post", status="2xx") == 1
    )
    assert (
        value(samples, "campaign_http_request_duration_seconds_count", endpoint="signatures.verify_post") == 1
    )
    signature = db.session.scalar(select(Signature))
    for trace in (
        "198.51.100.7",
        "127.0.0.1",
        "aigerim",
        "example.org",
        campaign.slug,
        link.group(1),
        "/en/",
    ):
        assert trace not in text
    assert signature.ip_hash not in text and signature.email_hash not in text


def test_a_held_confirmation_is_counted_as_held(app, client, campaign, sign, drain, smtp_server):
    app.config["FRAUD_SIGNATURES_PER_IP_HOUR"] = 0
    sign(campaign.slug, email="held@example.org")
    drain()
    [mail] = smtp_server.to("held@example.org")
    confirm(client, mail)

    samples = scrape(client)

    assert value(samples, "campaign_signatures_confirmed_total", result="held") == 1
    assert value(samples, "campaign_signatures_confirmed_total", result="counted") == 0


def test_the_outbox_and_the_queues_are_read_when_scraped(client, campaign, sign):
    sign(campaign.slug, email="waiting@example.org")

    samples = scrape(client)
    assert value(samples, "campaign_outbox_pending", queue="mail") == 1
    assert value(samples, "campaign_outbox_pending", queue="bulk") == 0
    assert value(samples, "campaign_outbox_oldest_pending_seconds", queue="mail") >= 0
    assert value(samples, "campaign_rq_queue_length", queue="mail") == 1  # the flush job, not yet run
    assert value(samples, "campaign_rq_workers") == 0

    db.session.execute(update(OutboxMessage).values(status="failed"))
    db.session.commit()
    samples = scrape(client)
    assert value(samples, "campaign_outbox_pending", queue="mail") == 0
    assert value(samples, "campaign_outbox_failed", queue="mail", status="failed") == 1
    assert value(samples, "campaign_outbox_failed", queue="mail", status="expired") == 0


def test_the_oldest_waiting_mail_gives_its_age(client, campaign, sign):
    from datetime import timedelta

    from campaign.models_base import utcnow

    sign(campaign.slug, email="old@example.org")
    db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()

    age = value(scrape(client), "campaign_outbox_oldest_pending_seconds", queue="mail")

    assert 600 <= age < 700


def test_while_the_database_is_down_the_scrape_answers_and_says_so(app, client):
    with database_down_for(app):
        samples = scrape(client)

    assert value(samples, "campaign_database_up") == 0
    assert value(samples, "campaign_redis_up") == 1
    assert ("campaign_outbox_pending", frozenset({("queue", "mail")})) not in samples


def test_while_redis_is_down_the_scrape_answers_and_says_so(app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"

    samples = scrape(client)

    assert value(samples, "campaign_redis_up") == 0
    assert value(samples, "campaign_database_up") == 1
    assert ("campaign_rq_queue_length", frozenset({("queue", "mail")})) not in samples


def test_public_pages_count_cache_hits_and_each_answer_by_its_final_status(app, client, campaign):
    app.extensions["page_cache"].seconds = 60
    url = f"/en/campaigns/{campaign.slug}"
    first = client.get(url)
    client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    samples = scrape(client)

    assert value(samples, "campaign_page_cache_requests_total", result="miss") == 1
    assert value(samples, "campaign_page_cache_requests_total", result="hit") == 2
    assert value(samples, "campaign_http_requests_total", endpoint="campaigns.show", status="2xx") == 2
    assert value(samples, "campaign_http_requests_total", endpoint="campaigns.show", status="3xx") == 1


def test_an_unknown_url_is_counted_without_its_path(client):
    client.get("/nothing/here/secret-looking-segment")

    response = client.get("/metrics", environ_base=LOCAL)

    assert (
        value(
            parse(response.get_data(as_text=True)),
            "campaign_http_requests_total",
            endpoint="none",
            status="4xx",
        )
        == 1
    )
    assert "secret-looking-segment" not in response.get_data(as_text=True)


def test_a_multiprocess_directory_that_does_not_exist_stops_the_start(base_config, monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "missing"))

    with pytest.raises(RuntimeError, match="PROMETHEUS_MULTIPROC_DIR"):
        create_app(base_config)


#: two "gunicorn workers" answer a request each, then a third process is scraped: it reports both
PROCESSES = textwrap.dedent(
    """
    import json, os, sys
    from campaign import create_app

    config = json.loads(os.environ["TEST_APP_CONFIG"])
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            response = create_app(config).test_client().get("/healthz")
            os._exit(0 if response.status_code == 200 else 1)
        children.append(pid)
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    response = create_app(config).test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    sys.stdout.write(response.get_data(as_text=True))
    """
)


def test_with_a_multiprocess_directory_a_scrape_of_one_process_sums_every_process(app, base_config, tmp_path):
    directory = tmp_path / "prometheus"
    directory.mkdir()
    config = base_config | {"REDIS_URL": app.config["REDIS_URL"]}
    environment = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "TEST_APP_CONFIG": json.dumps(config),
    }

    done = subprocess.run(
        [sys.executable, "-c", PROCESSES],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    samples = parse(done.stdout)
    assert value(samples, "campaign_http_requests_total", endpoint="health.healthz", status="2xx") == 2
    assert value(samples, "campaign_http_request_duration_seconds_count", endpoint="health.healthz") == 2
    assert value(samples, "campaign_database_up") == 1
