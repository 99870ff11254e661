"""TEMPORARY PLACEHOLDER — replace every function in this module."""


def employer_edit(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def employer_queue(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def employer_verify(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def employer_refuse(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError
