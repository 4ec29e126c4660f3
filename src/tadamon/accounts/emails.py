"""E-mails to users, in each user's preferred language, through Django's mail framework."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .tokens import make_token


def send_templated(user, template, context, request=None):
    with translation.override(user.preferred_language):
        context = {"user": user, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
        html = render_to_string(f"accounts/email/{template}.html", context)
        message = EmailMultiAlternatives(subject, body, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.send()


def send_verification(user, request):
    with translation.override(user.preferred_language):
        link = request.build_absolute_uri(reverse("accounts:verify", args=[make_token(user)]))
    send_templated(user, "verify", {"link": link}, request)
