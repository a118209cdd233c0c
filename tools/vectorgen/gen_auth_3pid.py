"""Third-party-invite keys and signed blocks for the auth suite (python3-signedjson/nacl)."""
import mxcore as m

IDSRV = "id.example.net"


def _key_with(pred, prefix):
    for i in range(1000):
        k = m.derived_key(IDSRV, "ed25519:%s%d" % (prefix, i))
        if pred(k):
            return k
    raise AssertionError("no key found")


# KEY1: an ordinary identity-server key; KEY2: a second key; KEYURL: a key whose standard base64 form
# contains '+' or '/', so that its URL-safe form differs (deterministic search over derived keys).
KEY1 = m.derived_key(IDSRV, "ed25519:0")
KEY2 = m.derived_key(IDSRV, "ed25519:1")
KEYURL = _key_with(lambda k: "+" in k.public and "/" in k.public, "u")
OTHER = m.derived_key("evil.example.com", "ed25519:0")


def url_safe(pub):
    return pub.replace("+", "-").replace("/", "_")


def tpi_content(key, public_keys=None, public_key=None):
    return {"display_name": "e...@example.com", "key_validity_url": "https://id.example.net/_matrix/identity/v2/pubkey/isvalid",
            "public_key": public_key if public_key is not None else key.public,
            "public_keys": public_keys if public_keys is not None else [
                {"key_validity_url": "https://id.example.net/_matrix/identity/v2/pubkey/isvalid", "public_key": key.public}]}


def signed_block(mxid, token, sender, key=KEY1, drop=()):
    obj = {"mxid": mxid, "token": token, "sender": sender}
    for d in drop:
        obj.pop(d)
    return m.sign_json(obj, key)
