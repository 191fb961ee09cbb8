"""The endpoint form of the portal and the admin: events as checkboxes, rules from services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models.webhooks import WebhookEndpoint, WebhookEventType
from clients.webhooks import services


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=254, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "events", "description", "is_enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = services.endpoint_url_rule()  # says what check_endpoint_url allows

    def clean(self) -> dict:
        """The service's rule on addresses, as a form error (the admin and the portal save through it)."""
        cleaned = super().clean()
        if cleaned.get("url"):
            services.check_endpoint_url(cleaned["url"])
        return cleaned
