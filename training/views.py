from django.views.decorators.debug import sensitive_post_parameters

from laborbrand.accounts.views import organisation_registration
from training import services
from training.forms import InstitutionForm


@sensitive_post_parameters("account-password1", "account-password2")
def institution_register(request):
    return organisation_registration(
        request,
        org_form_class=InstitutionForm,
        register=services.institution_register,
        template="training/institution_register.html",
    )
