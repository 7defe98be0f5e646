"""Mail through real parts: aiosmtpd (PyPI) as the SMTP server on loopback, msmtp (Debian) as
the sendmail command that relays to it, and the real `lethe serve` in between.

The receipt arrives with a link that opens the receipt page; while the SMTP server is down the
message waits, survives a SIGKILL of the server, and arrives once both are back; a name that
tries to inject a header is refused at the form and nothing is queued. A lost link is replaced
by mail; `lethe purge --as-of` queues the reminder before erasure; a panel message reaches the
applicant, the answer reaches the panel, and erasure leaves no byte of the thread."""
import datetime
import email
import email.policy
import os
import re
import subprocess
import time

import pytest
from aiosmtpd.controller import Controller

from lethe_server import DEMO_PANEL, ROOT, Client, LetheServer, free_port


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


def wait_until_recorded(server, timeout=30):
    """The delivery records a message's outcome once the SMTP server has answered, a moment
    after that server has the message: wait for it, rather than read the outbox too early."""
    deadline = time.time() + timeout
    while time.time() < deadline and server.sql("SELECT count(*) FROM outbox_message WHERE status IN ('pending', 'sending')")[0][0]:
        time.sleep(0.1)


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
    wait_until_recorded(server)
    assert server.sql("SELECT kind, status, recipient, body FROM outbox_message") == [("receipt", "delivered", None, None)]
    assert "aase@example.dk" not in server.log()


def test_mail_waits_while_the_smtp_server_is_down_and_survives_a_sigkill(mail):
    smtp, server = mail
    smtp.stop()
    status, _, _ = Client(server).apply(1, [("name", "Bo Bakke"), ("email", "bo@example.dk"), ("privacy_ack", "yes")])
    assert status == 303
    # Killed while a delivery holds the message, it would wait out that delivery's lease (five
    # minutes) before another takes it: kill between attempts, the next one at least a second away.
    deadline = time.time() + 30
    while time.time() < deadline and not server.sql(
            "SELECT attempts >= 2 AND status = 'pending' AND (julianday(next_attempt_at) - julianday('now')) * 86400 >= 1 FROM outbox_message")[0][0]:
        time.sleep(0.05)
    row = server.sql("SELECT status, attempts, last_error FROM outbox_message")[0]
    assert row[0] in ("pending", "sending") and row[1] >= 2, row
    assert "bo@example.dk" not in (row[2] or "")
    # The server dies between the commit and the delivery; the message is still delivered.
    server.kill()
    smtp.start()
    server.start()
    (recipients, message), = smtp.wait_for(1)
    assert recipients == ["bo@example.dk"]
    assert "Arkivmedarbejder" in message["Subject"]
    wait_until_recorded(server)
    assert server.sql("SELECT status FROM outbox_message") == [("delivered",)]


def test_a_name_that_tries_to_inject_a_header_is_refused_and_nothing_is_queued(mail):
    smtp, server = mail
    status, _, page = Client(server).apply(1, [("name", "Eve\r\nBcc: victim@example.com"), ("email", "eve@example.com"), ("privacy_ack", "yes")])
    assert status == 422
    assert b"This must be one line" in page
    assert server.sql("SELECT count(*) FROM outbox_message") == [(0,)]
    time.sleep(3)
    assert smtp.inbox.messages == []


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def link_in(server, message, suffix=""):
    match = re.search(re.escape(server.url("")) + r"(/[A-Za-z0-9/_?=.-]+)" + re.escape(suffix), body_of(message))
    assert match, body_of(message)
    return match.group(1)


def test_a_lost_link_is_replaced_through_the_relay_and_the_old_one_stops_working(mail):
    smtp, server = mail
    status, location, _ = Client(server).apply(1, [("name", "Cai Clausen"), ("email", "cai@example.dk"), ("privacy_ack", "yes")])
    assert status == 303
    smtp.wait_for(1)
    old = location.split("?")[0]
    status, _, headers = Client(server).post_form("/me", {"email": "Cai@Example.dk"})
    assert status == 303 and headers["Location"] == "/me?sent=1"
    recipients, message = smtp.wait_for(2)[1]
    assert recipients == ["cai@example.dk"]
    assert message["Subject"] == "Your new private link: Arkivmedarbejder"
    new = link_in(server, message)
    assert new != old
    assert Client(server).request(new)[0] == 200
    assert Client(server).request(old)[0] == 404
    assert "cai@example.dk" not in server.log().lower()


def test_lethe_purge_as_of_queues_the_reminder_and_its_link_opens_the_consent_section(mail):
    smtp, server = mail
    status, _, _ = Client(server).apply(1, [("name", "Dina Dahl"), ("email", "dina@example.dk"), ("privacy_ack", "yes")])
    assert status == 303
    smtp.wait_for(1)
    erasure = datetime.datetime.fromisoformat(server.sql("SELECT retention_until FROM application")[0][0]).replace(tzinfo=datetime.timezone.utc)
    as_of = (erasure - datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = subprocess.run(
        [server.binary, "purge", "--as-of", as_of, "--database", server.db, "--uploads", server.uploads,
         "--templates", os.path.join(ROOT, "templates"), "--public-url", server.url(""), "--mail-transport", "sendmail"],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "erased 0 applications" in result.stdout
    assert "queued 1 reminder before erasure" in result.stdout
    recipients, message = smtp.wait_for(2)[1]
    assert recipients == ["dina@example.dk"]
    assert message["Subject"].startswith("Your application will be erased on ")
    page = link_in(server, message, "#consent")
    status, html, _ = Client(server).request(page)
    assert status == 200 and b'id="consent"' in html
    # Run again: one reminder per application and erasure date.
    again = subprocess.run(
        [server.binary, "purge", "--as-of", as_of, "--database", server.db, "--uploads", server.uploads,
         "--templates", os.path.join(ROOT, "templates"), "--mail-transport", "sendmail"],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "queued" not in again.stdout
    time.sleep(3)
    assert len(smtp.inbox.messages) == 2


def test_a_panel_message_reaches_the_applicant_the_answer_reaches_the_panel_and_erasure_leaves_no_byte(mail):
    smtp, server = mail
    marker = "Zq9Thread" + str(int(time.time()))
    applicant = Client(server)
    status, location, _ = applicant.apply(1, [("name", "Emil Egholm"), ("email", "emil@example.dk"), ("privacy_ack", "yes")])
    assert status == 303
    smtp.wait_for(1)
    application_id = server.sql("SELECT id FROM application")[0][0]
    panel = Client(server)
    panel.sign_in(*DEMO_PANEL)
    page = f"/staff/applications/{application_id}"
    status, _, _ = panel.post_form(page + "/messages", {"subject": "Samtale på tirsdag", "body": f"Kan du komme tirsdag kl. 10? {marker}"}, token_from=page)
    assert status == 303
    recipients, message = smtp.wait_for(2)[1]
    assert recipients == ["emil@example.dk"]
    assert message["Subject"] == "Samtale på tirsdag"
    assert message["Auto-Submitted"] is None
    assert f"Kan du komme tirsdag kl. 10? {marker}" in body_of(message)
    thread = link_in(server, message, "#messages")
    status, _, _ = Client(server).post_form(thread + "/messages", {"body": f"Ja, tirsdag passer. {marker}"}, token_from=thread)
    assert status == 303
    recipients, notice = smtp.wait_for(3)[2]
    assert recipients == ["panel@demo.lethe.example"]
    assert marker not in body_of(notice) and "Emil" not in body_of(notice) and "Emil" not in notice["Subject"]
    assert link_in(server, notice, "#messages") == page
    status, html, _ = panel.request(page)
    assert f"Ja, tirsdag passer. {marker}".encode() in html

    # The applicant withdraws: the erasure notice goes out, then nothing of the thread is left.
    withdraw = location.split("?")[0] + "/withdraw"
    status, _, _ = applicant.post_form(withdraw, {"confirm": "yes"}, token_from=withdraw)
    assert status == 303
    recipients, goodbye = smtp.wait_for(4)[3]
    assert recipients == ["emil@example.dk"]
    assert "erased" in goodbye["Subject"]
    deadline = time.time() + 30
    while time.time() < deadline and server.sql("SELECT count(*) FROM outbox_message WHERE application_id IS NULL")[0][0]:
        time.sleep(0.2)
    assert server.sql("SELECT count(*) FROM thread_message") == [(0,)]
    assert server.sql("SELECT count(*) FROM outbox_message WHERE kind IN ('message', 'reply_notice', 'erasure_notice')") == [(0,)]
    # The notice's row is deleted in one commit and the WAL moved into the file just after it,
    # so the files are read again until that checkpoint has run (or the deadline has passed).
    needles = (marker.encode(), b"emil@example.dk")
    deadline = time.time() + 10
    while True:
        left = [(path, needle) for path in (server.db, server.db + "-wal") if os.path.exists(path)
                for needle in needles if needle in read_bytes(path)]
        if not left or time.time() > deadline:
            break
        time.sleep(0.2)
    assert left == []
