"""Mail through real parts: aiosmtpd (PyPI) as the SMTP server on loopback, msmtp (Debian) as
the sendmail command that relays to it, and the real `lethe serve` in between.

The receipt arrives with a link that opens the receipt page; while the SMTP server is down the
message waits, survives a SIGKILL of the server, and arrives once both are back; a name that
tries to inject a header is refused at the form and nothing is queued."""
import email
import email.policy
import os
import re
import time

import pytest
from aiosmtpd.controller import Controller

from lethe_server import Client, LetheServer, free_port


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


class SMTPServer:
    def __init__(self, port):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def wait_for(self, count, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.inbox.messages) < count:
            time.sleep(0.2)
        assert len(self.inbox.messages) >= count, f"{len(self.inbox.messages)} of {count} messages arrived"
        return self.inbox.messages


@pytest.fixture()
def mail(tmp_path):
    smtp = SMTPServer(free_port())
    smtp.start()
    config = tmp_path / "msmtprc"
    config.write_text(f"account default\nhost 127.0.0.1\nport {smtp.port}\nfrom no-reply@lethe.example\nauth off\ntls off\n")
    os.chmod(config, 0o600)
    server = LetheServer(extra=[
        "--mail-transport", "sendmail", "--sendmail-command", f"/usr/bin/msmtp -C {config} -t",
        "--mail-from", "Lethe Rekruttering <no-reply@lethe.example>", "--mail-retry", "1",
    ])
    server.extra += ["--public-url", server.url("")]
    server.restart()
    yield smtp, server
    server.stop()
    if smtp.controller:
        try:
            smtp.stop()
        except Exception:
            pass


def body_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_receipt_arrives_through_msmtp_and_its_link_opens_the_receipt(mail):
    smtp, server = mail
    applicant = Client(server)
    status, _, _ = applicant.apply(2, [("name", "Åse Ørsted"), ("email", "aase@example.dk"), ("privacy_ack", "yes"), ("transfer_ack", "yes")])
    assert status == 303
    (recipients, message), = smtp.wait_for(1)
    assert recipients == ["aase@example.dk"]
    assert message["To"] == "Åse Ørsted <aase@example.dk>"
    assert message["Subject"] == "We received your application: Partnerships Coordinator (international)"
    assert message["From"] == "Lethe Rekruttering <no-reply@lethe.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<[A-Za-z0-9_-]+\.lethe@lethe\.example>", message["Message-ID"])
    link = re.search(re.escape(server.url("")) + r"(/me/[A-Za-z0-9_-]{43})", body_of(message)).group(1)
    status, page, _ = Client(server).request(link)
    assert status == 200
    assert "Åse Ørsted".encode() in page
    # Delivered: the outbox keeps its kind, times and status, and no address or text.
    assert server.sql("SELECT kind, status, recipient, body FROM outbox_message") == [("receipt", "delivered", None, None)]
    assert "aase@example.dk" not in server.log()


def test_mail_waits_while_the_smtp_server_is_down_and_survives_a_sigkill(mail):
    smtp, server = mail
    smtp.stop()
    status, _, _ = Client(server).apply(1, [("name", "Bo Bakke"), ("email", "bo@example.dk"), ("privacy_ack", "yes")])
    assert status == 303
    deadline = time.time() + 30
    while time.time() < deadline and server.sql("SELECT attempts FROM outbox_message")[0][0] < 2:
        time.sleep(0.2)
    row = server.sql("SELECT status, attempts, last_error FROM outbox_message")[0]
    assert row[0] in ("pending", "sending") and row[1] >= 2, row
    assert "bo@example.dk" not in (row[2] or "")
    # The server dies between the commit and the delivery; the message is still delivered.
    server.kill()
    smtp.start()
    server.start()
    (recipients, message), = smtp.wait_for(1)
    assert recipients == ["bo@example.dk"]
    assert "Records Officer" in message["Subject"]
    assert server.sql("SELECT status FROM outbox_message") == [("delivered",)]


def test_a_name_that_tries_to_inject_a_header_is_refused_and_nothing_is_queued(mail):
    smtp, server = mail
    status, _, page = Client(server).apply(1, [("name", "Eve\r\nBcc: victim@example.com"), ("email", "eve@example.com"), ("privacy_ack", "yes")])
    assert status == 422
    assert b"This must be one line" in page
    assert server.sql("SELECT count(*) FROM outbox_message") == [(0,)]
    time.sleep(3)
    assert smtp.inbox.messages == []
