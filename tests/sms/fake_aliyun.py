"""A local stand-in for Alibaba Cloud SMS (dysmsapi.aliyuncs.com, Dysmsapi 2017-05-25, SendSms), on 127.0.0.1
at a random port, in a thread: it checks each request as Alibaba's server does — the parameters it requires,
the access key, the timestamp, a nonce used once, and the signature recomputed here with the secret (written
apart from laborbrand/sms/backends/aliyun.py, and checked against Alibaba's documented example in
test_aliyun.py) — records it, and answers like Alibaba: {"Code": "OK", "BizId": ...}, the error code a test
asks for, HTTP 500, or nothing until the test ends (a provider that hangs)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

REQUIRED = (
    "AccessKeyId",
    "Action",
    "Format",
    "PhoneNumbers",
    "RegionId",
    "SignName",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "TemplateCode",
    "Timestamp",
    "Version",
)


def alibaba_signature(method: str, params: dict[str, str], secret: str) -> str:
    """The server's side of signature version 1.0: every parameter but Signature, sorted by name, each name
    and value percent-encoded (RFC 3986: only A-Z a-z 0-9 - _ . ~ kept), joined with = and &, then
    METHOD&%2F&<that query, percent-encoded again>, HMAC-SHA1 keyed with secret + "&", Base64."""

    def encode(text: str) -> str:
        return "".join(
            char
            if char.isascii() and (char.isalnum() or char in "-_.~")
            else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
            for char in text
        )

    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()) if k != "Signature")
    to_sign = f"{method}&{encode('/')}&{encode(query)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeAliyun:
    def __init__(self, *, key_id: str, secret: str):
        self.key_id = key_id
        self.secret = secret
        self.requests: list[dict] = []  # every request that reached the server, checked or not
        self.accepted: list[dict[str, str]] = []  # the parameters of the messages "sent"
        self.nonces: set[str] = set()
        self.code = "OK"
        self.message = ""
        self.status = 200
        self.hang = False
        self.released = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def answer(self, code: str = "OK", *, status: int = 200, hang: bool = False, message: str = "") -> None:
        """How the next requests are answered (once the request itself passes the checks)."""
        self.code, self.status, self.hang, self.message = code, status, hang, message

    def start(self) -> FakeAliyun:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def check(self, method: str, params: dict[str, str]) -> tuple[int, str, str]:
        """(HTTP status, Code, Message) of Alibaba's refusal, or (200, "", "") for a good request."""
        for name in REQUIRED:
            if not params.get(name):
                return 400, f"Missing{name}", f"{name} is mandatory for this action."
        if params["AccessKeyId"] != self.key_id:
            return 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
        if params["Action"] != "SendSms":
            return (
                404,
                "InvalidAction.NotFound",
                "Specified api is not found.",
            )
        if params["Version"] != "2017-05-25":
            return 400, "InvalidVersion", "Specified parameter Version is not valid."
        if (params["SignatureMethod"], params["SignatureVersion"]) != ("HMAC-SHA1", "1.0"):
            return 400, "InvalidSignatureMethod", "Specified signature method is not supported."
        if params["Format"] != "JSON":
            return 400, "InvalidParameter.Format", "The response format this test expects is JSON."
        try:
            stamp = datetime.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.UTC
            )
        except ValueError:
            return 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
        if abs(datetime.datetime.now(datetime.UTC) - stamp) > datetime.timedelta(minutes=15):
            return 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."
        if params["SignatureNonce"] in self.nonces:
            return 400, "SignatureNonceUsed", "Specified signature nonce was used already."
        self.nonces.add(params["SignatureNonce"])
        if not hmac.compare_digest(params["Signature"], alibaba_signature(method, params, self.secret)):
            return 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
        phone = params["PhoneNumbers"]
        if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            return 200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"
        if "TemplateParam" in params:
            try:
                if not isinstance(json.loads(params["TemplateParam"]), dict):
                    raise ValueError
            except ValueError:
                return 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值"
        return 200, "", ""

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                split = urlsplit(self.path)
                params = dict(parse_qsl(split.query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                if body:
                    params.update(parse_qsl(body, keep_blank_values=True))
                record = {
                    "method": self.command,
                    "path": split.path,
                    "content_type": self.headers.get("Content-Type", ""),
                    "query": split.query,
                    "params": params,
                }
                fake.requests.append(record)
                if fake.hang:
                    fake.released.wait(10)
                    return
                status, code, text = fake.check(self.command, params)
                if not code:
                    status, code = fake.status, fake.code
                    text = "OK" if code == "OK" else (fake.message or f"scripted {code}")
                if status >= 500 and code == "OK":
                    self._reply(status, b"<html><body>502 Bad Gateway</body></html>", "text/html")
                    return
                answer = {"RequestId": str(uuid.uuid4()).upper(), "Code": code, "Message": text}
                if status == 200 and code == "OK":
                    answer["BizId"] = f"{len(fake.accepted) + 1:06d}^{uuid.uuid4().int % 10**10}"
                    fake.accepted.append(params)
                self._reply(status, json.dumps(answer, ensure_ascii=False).encode(), "application/json")

            def _reply(self, status, payload, content_type):
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type};charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _serve
            do_POST = _serve

        return Handler


def closed_port_url() -> str:
    """An address on this machine where nothing listens: connecting is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
