"""TEMPORARY PLACEHOLDER — replace every function in this module."""


def posting_manage_list(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_create(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_manage_detail(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_update(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_publish(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_set_status(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def posting_take_down(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError
