"""The OpenAPI schema class of the REST API: drf-spectacular's, plus the error responses
every operation may give (the `{"code", "detail"}` body of core.api_errors)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stable, for machines: not_found, invalid, not_authenticated…")
    detail = serializers.CharField(help_text="A translated sentence for people.")


class InvalidSerializer(ErrorSerializer):
    # A field named "fields": DRF's serializer metaclass takes declared fields out of the class body,
    # so Serializer.fields (the bound fields) is not replaced, whatever the stubs see.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        required=False,
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

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for status_code, error in ERRORS.items():
            # drf-spectacular leaves this helper unannotated (it returns the schema of one response)
            responses.setdefault(status_code, self._get_response_for_code(error, status_code))  # type: ignore[no-untyped-call]
        return responses
