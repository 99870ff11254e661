"""TEMPORARY PLACEHOLDER — replace every function in this module."""


def search(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_detail(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError
