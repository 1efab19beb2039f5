"""The emulator verifies OAuth 1.0a signatures exactly as oauthlib does.

The emulator builds the signature base string itself (oauthlib's request
object and second header parse cost more than the rest of a request); these
property tests hold it to oauthlib's base string, signature and verdict.
"""

from __future__ import annotations

import oauthlib.oauth1
from hypothesis import example, given, settings
from hypothesis import strategies as st
from oauthlib.common import Request as OAuthRequest
from oauthlib.common import urlencode
from oauthlib.oauth1.rfc5849 import signature, utils

from tests.client.test_oauth1 import (
    KEYS,
    NONCE,
    TEXT,
    TIMESTAMP,
    VALUES,
    methods,
    prepared_url,
    urls,
)
from tests.helpers import examples
from tweepy_dm.emulator import _auth

query_params = st.lists(
    st.tuples(st.one_of(st.sampled_from(["max_results", "oauth_x", "realm", "a"]), VALUES), VALUES),
    max_size=5,
)
# oauthlib writes the realm unescaped: a quote or backslash would break its own header.
realms = st.one_of(
    st.none(),
    st.just(""),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters='"\\'), max_size=12),
)
hashes = st.sampled_from([("HMAC-SHA1", "SHA-1"), ("HMAC-SHA256", "SHA-256")])


def oauthlib_verdict(method, url, authorization, form_body, secrets, verifier):
    """What the emulator decided before: oauthlib's own request and verifier."""
    request = OAuthRequest(url, http_method=method, headers={"Authorization": authorization})
    request.params = signature.collect_parameters(
        uri_query=url.partition("?")[2].partition("#")[0],
        body=form_body.decode("utf-8", "replace") if form_body else None,
        headers={"Authorization": authorization},
        exclude_oauth_signature=True,
    )
    request.signature = dict(
        (key, utils.unescape(value))
        for key, value in utils.parse_authorization_header(authorization)
    )["oauth_signature"]
    return request, verifier(request, *secrets)


@settings(max_examples=examples(400), deadline=None)
@given(
    st.tuples(TEXT, TEXT, TEXT, TEXT),
    methods,
    urls,
    query_params,
    st.one_of(st.none(), query_params),
    realms,
    hashes,
    st.booleans(),
)
@example(KEYS, "GET", "http://127.0.0.1:8080/2/dm_events", [("max_results", "100")], None, None,
         ("HMAC-SHA1", "SHA-1"), False)  # fmt: skip
@example(KEYS, "POST", "https://api.x.com/1.1/statuses/update.json", [("include_entities", "true")],
         [("status", "Hello Ladies + Gentlemen, a signed OAuth request!")], "x",
         ("HMAC-SHA1", "SHA-1"), True)  # fmt: skip
def test_base_string_signature_and_verdict_match_oauthlib(
    keys, method, url, query, form, realm, hash_names, tamper
):
    method_name, hash_name = hash_names
    url = prepared_url(url, query)
    headers = {}
    if form is not None:
        if method.upper() in ("GET", "HEAD"):
            method = "POST"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    client = oauthlib.oauth1.Client(
        keys[0],
        client_secret=keys[1],
        resource_owner_key=keys[2],
        resource_owner_secret=keys[3],
        signature_method=method_name,
        nonce=NONCE,
        timestamp=TIMESTAMP,
        realm=realm,
    )
    url, signed, body = client.sign(url, method, form, headers)
    authorization = signed["Authorization"]
    if tamper:
        authorization = authorization.replace('oauth_signature="', 'oauth_signature="A', 1)
    if body is not None and not isinstance(body, (str, bytes)):
        body = urlencode(list(body.items()) if isinstance(body, dict) else body)
    form_body = body.encode("utf-8") if isinstance(body, str) else body
    verifier = {"SHA-1": signature.verify_hmac_sha1, "SHA-256": signature.verify_hmac_sha256}
    request, expected_valid = oauthlib_verdict(
        method, url, authorization, form_body, keys[1::2], verifier[hash_name]
    )
    header_params = utils.parse_authorization_header(authorization)
    base = _auth.signature_base_string(method, url, header_params, form_body)
    assert base == signature.signature_base_string(
        method, signature.base_string_uri(url), signature.normalize_parameters(request.params)
    )
    ours = _auth._signature(_auth._HASHES[method_name], base, keys[1], keys[3])
    assert ours == signature._sign_hmac(hash_name, base, keys[1], keys[3])
    assert (ours == request.signature) is expected_valid is (not tamper)
