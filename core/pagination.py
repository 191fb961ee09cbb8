"""Pagination of every REST API list: `?page=` and `?page_size=` (50 by default, at most 200)."""

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """Pages of 50; a client may ask for up to 200 with `page_size`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
