"""The OpenAPI schema class of the REST API: drf-spectacular's, plus the error responses
every operation may give (the `{"code", "detail"}` body of core.api_errors)."""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for machines: not_found, invalid, not_authenticated…")
    detail = serializers.CharField(help_text="A translated sentence for people.")


class InvalidSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text="Messages by field name (`non_field_errors` for the whole request).",
    )


ERRORS = {
    "400": OpenApiResponse(InvalidSerializer, description="Invalid input (code `invalid`) or unreadable JSON."),
    "401": OpenApiResponse(ErrorSerializer, description="No or a wrong token / session."),
    "403": OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    "404": OpenApiResponse(ErrorSerializer, description="Not there, or not one of your clients'."),
}


class RelevoAutoSchema(AutoSchema):
    """Adds the error responses the exception handler may give to every operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for status_code, error in ERRORS.items():
            responses.setdefault(status_code, self._get_response_for_code(error, status_code))
        return responses
