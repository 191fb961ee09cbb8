"""Self-service password reset: Django's views, throttled, with emails in the user's language.

The answer is the same whether or not the address belongs to someone (no user
enumeration), and the per-address limit counts unknown addresses too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from core import limits
from core.errors import RateLimited


def language_of(user) -> str | None:
    """A client user's chosen language; None (the request's) for everyone else."""
    representative = getattr(user, "representative", None)
    return representative.language if representative is not None else None


class LocalizedPasswordResetForm(PasswordResetForm):
    """Sends each reset email in its recipient's language."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        with translation.override(language_of(context["user"]) or translation.get_language()):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )


class PasswordResetView(auth_views.PasswordResetView):
    """`/accounts/password_reset/`: at most so many requests per IP and per address an hour."""

    form_class = LocalizedPasswordResetForm
    template_name = "agency/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        try:
            limits.check_hourly(
                [
                    (
                        f"password-reset:ip:{self.request.META.get('REMOTE_ADDR', '')}",
                        settings.PASSWORD_RESETS_PER_IP_PER_HOUR,
                    ),
                    (f"password-reset:email:{email}", settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR),
                ]
            )
        except RateLimited as error:
            form.add_error(None, error.detail)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
        self.extra_email_context = {"base_url": settings.RELEVO_BASE_URL.rstrip("/")}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="agency/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(template_name="agency/password_reset_confirm.html")
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="agency/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(template_name="agency/password_change_form.html")
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="agency/password_change_done.html")
