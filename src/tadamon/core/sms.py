"""Text messages (SMS) through a pluggable backend, like Django's e-mail backends.

``TADAMON_SMS_BACKEND`` names a class with ``send_messages(messages)``; the default console
backend prints them (real gateways plug in later with the same interface). ``outbox`` collects
messages under the locmem backend, for tests.
"""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

outbox = []


@dataclass
class TextMessage:
    to: str
    body: str


class ConsoleBackend:
    def send_messages(self, messages):
        for message in messages:
            sys.stdout.write(f"SMS to {message.to}: {message.body}\n")
        return len(messages)


class LocmemBackend:
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def send_sms(to, body):
    """Send one text message; an empty number sends nothing. Returns the number sent."""
    if not to:
        return 0
    backend = import_string(getattr(settings, "TADAMON_SMS_BACKEND", "tadamon.core.sms.ConsoleBackend"))()
    return backend.send_messages([TextMessage(to=to, body=body)])
