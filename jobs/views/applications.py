"""TEMPORARY PLACEHOLDER — replace every function in this module."""


def applicant_list(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def applicant_export(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def applicant_detail(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def applicant_move(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def profile_edit(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def apply(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def my_applications(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError


def application_withdraw(request, **kwargs):  # PLACEHOLDER
    raise NotImplementedError
