"""The official Python client (9.x, and 8.x in a second environment) against `esql serve`:
product check, JSON, CSV, Arrow, params, filter, async with polling, errors, warnings,
`helpers.bulk` into an empty directory, and HTTPS with the certificate checked."""
import time
import warnings

import pytest
from elasticsearch import helpers
from elasticsearch import AuthenticationException, BadRequestError, Elasticsearch, ElasticsearchWarning

COUNT = "FROM logs-azure.signinlogs-default | STATS n = COUNT(*) BY event.outcome | SORT event.outcome | LIMIT 10"


@pytest.fixture()
def es(url):
    return Elasticsearch(url)


def test_ping_and_info(es):
    assert es.ping()
    assert es.info()["tagline"] == "You Know, for Search"


def test_json(es):
    r = es.esql.query(query=COUNT)
    assert [c["name"] for c in r["columns"]] == ["n", "event.outcome"]
    assert r["values"] == [[82, "failure"], [553, "success"]]


def test_csv(es):
    r = es.esql.query(query=COUNT, format="csv")
    assert str(r.body).replace("\r\n", "\n") == "n,event.outcome\n82,failure\n553,success\n"


def test_arrow(es):
    pyarrow = pytest.importorskip("pyarrow")
    r = es.esql.query(query=COUNT, format="arrow")
    table = r.body
    assert isinstance(table, pyarrow.Table)
    assert table.column("n").to_pylist() == [82, 553]


def test_params_named_and_positional(es):
    q = "FROM logs-azure.signinlogs-default | WHERE event.outcome == ?o | STATS n = COUNT(*) | LIMIT 1"
    assert es.esql.query(query=q, params=[{"o": "failure"}])["values"] == [[82]]
    q = "FROM logs-azure.signinlogs-default | WHERE event.outcome == ? | STATS n = COUNT(*) | LIMIT 1"
    assert es.esql.query(query=q, params=["success"])["values"] == [[553]]


def test_filter(es):
    window = {"range": {"@timestamp": {"gte": "2025-07-30T11:00:00.000Z", "lte": "2025-07-30T12:00:00.000Z"}}}
    r = es.esql.query(query="FROM logs-azure.signinlogs-default | STATS n = COUNT(*) | LIMIT 1", filter=window)
    assert r["values"] == [[29]]


def test_async_with_polling(es):
    slow = ("ROW a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25] | EVAL b = a, c = a, d = a, e = a"
            " | MV_EXPAND a | MV_EXPAND b | MV_EXPAND c | MV_EXPAND d | MV_EXPAND e | STATS n = COUNT(*) | LIMIT 1")
    r = es.esql.async_query(query=slow, wait_for_completion_timeout="1ms")
    assert r["is_running"] is True
    query_id = r["id"]
    for _ in range(200):
        r = es.esql.async_query_get(id=query_id, wait_for_completion_timeout="100ms")
        if not r["is_running"]:
            break
        time.sleep(0.05)
    assert r["values"] == [[9765625]]
    assert es.esql.async_query_delete(id=query_id)["acknowledged"] is True


def test_an_error(es):
    with pytest.raises(BadRequestError) as caught:
        es.esql.query(query="FROM logs-* | KEEP nope | LIMIT 1")
    assert caught.value.error == "verification_exception"
    assert "Unknown column [nope]" in str(caught.value.message) or "Unknown column [nope]" in str(caught.value)


def test_warnings_are_surfaced(es):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        es.esql.query(query="FROM logs-azure.signinlogs-default | KEEP user.name")
    texts = [str(w.message) for w in seen if issubclass(w.category, ElasticsearchWarning)]
    assert "No limit defined, adding default limit of [1000]" in texts


def test_api_key(secured_url):
    with pytest.raises(AuthenticationException):
        Elasticsearch(secured_url).esql.query(query="ROW a = 1 | LIMIT 1")
    es = Elasticsearch(secured_url, api_key=("id", "secret"))
    assert es.esql.query(query="ROW a = 1 | LIMIT 1")["values"] == [[1]]


def test_bulk_helper_then_query(empty_url):
    es = Elasticsearch(empty_url)
    docs = [{"_index": "notes", "_id": str(k), "_source": {"n": k, "tag": "even" if k % 2 == 0 else "odd"}} for k in range(1000)]
    ok, errors = helpers.bulk(es, docs, chunk_size=300)
    assert (ok, errors) == (1000, [])
    stream = [{"_op_type": "create", "_index": "logs-app-default", "_source": {"@timestamp": "2025-07-30T10:00:00Z", "message": "up"}}]
    assert helpers.bulk(es, stream) == (1, [])
    with pytest.raises(helpers.BulkIndexError):
        helpers.bulk(es, [{"_op_type": "index", "_index": "logs-app-default", "_source": {"@timestamp": "2025-07-30T10:00:00Z"}}])
    r = es.esql.query(query="FROM notes | STATS n = COUNT(*) BY tag | SORT tag | LIMIT 2")
    assert r["values"] == [[500, "even"], [500, "odd"]]


def test_https(tls):
    address, cert = tls
    es = Elasticsearch(address, ca_certs=cert)
    assert es.info()["tagline"] == "You Know, for Search"
    r = es.esql.query(query=COUNT)
    assert r["values"] == [[82, "failure"], [553, "success"]]
