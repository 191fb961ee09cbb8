"""Test-only: the file backend, but each send first waits EMAIL_SLOW_SECONDS (a slow SMTP server).

It waits before the file is opened, so a worker killed during the wait leaves no file."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class EmailBackend(FileEmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("EMAIL_SLOW_SECONDS", "3")))
        return super().send_messages(email_messages)
