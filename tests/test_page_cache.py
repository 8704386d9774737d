"""The page cache: its cap counts the bytes sent, and /healthz counts hits and misses."""

from portal.public.page_cache import PageCache


def test_the_cap_counts_encoded_bytes_not_characters():
    cache = PageCache(seconds=60, max_bytes=8000)
    body = ("中" * 300).encode()  # 300 characters, 900 bytes
    for number in range(9):
        cache.put(number, body)
    stats = cache.stats()
    # Eight fit in 8,000 bytes; counted in characters, all nine (2,700) would.
    assert stats["pages"] == 8 and stats["bytes"] == 8 * 900 <= stats["max_bytes"]
    assert cache.get(0) is None and cache.get(8) == body


def test_a_body_too_big_for_an_eighth_of_the_cache_is_not_kept():
    cache = PageCache(seconds=60, max_bytes=8000)
    cache.put("big", b"x" * 1000)
    assert cache.get("big") is None and cache.stats()["bytes"] == 0


def test_healthz_counts_this_workers_hits_misses_and_bytes(make_app):
    client = make_app(PAGE_CACHE_SECONDS=60).test_client()
    first = client.get("/ur/hubs/brinnington")
    second = client.get("/ur/hubs/brinnington")
    assert first.data == second.data
    cache = client.get("/healthz").get_json()["page_cache"]
    assert cache == {"pages": 1, "bytes": len(first.data), "max_bytes": 20 * 1024 * 1024,
                     "hits": 1, "misses": 1}
