"""TEMPORARY PLACEHOLDER — replace every function in this module."""


def partner_list(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def partner_create(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def partner_update(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def fair_list(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def fair_create(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def fair_detail(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def fair_update(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError
