#!/usr/bin/env python3
"""Writes the seed inputs of each fuzz target from tests/data/vectors.json.

Run from fuzz/: python3 seeds/make_seeds.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = json.load(open(os.path.join(HERE, "..", "..", "tests", "data", "vectors.json"), encoding="utf-8"))
CERTIFICATE_SERIAL = VECTORS["certificate_serial"]


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


def message(headers, body, now=None):
    lines = [] if now is None else [f"now: {now}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return "\n".join(lines) + "\n\n" + body


def response(case, serial=None):
    return [
        ("Wechatpay-Timestamp", case["timestamp"]),
        ("Wechatpay-Nonce", case["nonce"]),
        ("Wechatpay-Serial", serial or case["serial"]),
        ("Wechatpay-Signature", case["signature"]),
    ]


# verify_response: every response vector; the valid one under the certificate's serial
# (same key), with a signature type, with a skewed clock, and with a header twice.
for case in VECTORS["response_verification"]:
    write("verify_response", case["name"], message(response(case), case["body"]))
valid = VECTORS["response_verification"][0]
write("verify_response", "valid_certificate_serial", message(response(valid, CERTIFICATE_SERIAL), valid["body"]))
write(
    "verify_response",
    "valid_with_type",
    message(response(valid) + [("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048")], valid["body"]),
)
write("verify_response", "skewed", message(response(valid), valid["body"], now=int(valid["timestamp"]) + 301))
write("verify_response", "repeated", message(response(valid) + [("Wechatpay-Nonce", "x")], valid["body"]))

# notification: the callback vector raw (`r`), its body re-signed (`s`), and each
# AES-GCM plaintext sealed into an envelope (`e`).
notification = VECTORS["notification"]
write(
    "notification",
    "r_callback",
    "r" + message(notification["headers"].items(), notification["body"], now=notification["clock_now"]),
)
write("notification", "s_callback", "s" + notification["body"])
write("notification", "s_empty_object", "s{}")
for i, case in enumerate(VECTORS["aes_256_gcm"]):
    if case["valid"]:
        write("notification", f"e_{i}", "e" + case["nonce"] + "\n" + case["associated_data"] + "\n" + case["plaintext"])
write("notification", "e_not_json", "e0123456789ab\n\nnot json")

# authorization: every request vector's header, and the same fields shuffled and spaced.
for i, case in enumerate(VECTORS["request_signing"]):
    write("authorization", f"vector_{i}", case["authorization"])
write(
    "authorization",
    "any_order",
    'WECHATPAY2-SHA256-RSA2048 serial_no="S", timestamp="1",signature="c2ln",nonce_str="N" , mchid="M"',
)

# template: the store association paths, edge cases the parser names.
for i, template in enumerate(
    [
        "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/associated-stores",
        "/v3/certificates",
        "<id>",
        "/<a>/b/<_c1>",
        "v3/a-b.c_d~e!$&'()*+,;=:@/%2F%e4",
        "v3/<a>/<a>//b c/<1>/x<y>/z/",
        "v3/{id}?x=1#top",
        "v3/中文/../%zz",
    ]
):
    write("template", f"t{i}", template)
