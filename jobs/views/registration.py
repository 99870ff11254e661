from django.views.decorators.debug import sensitive_post_parameters

from jobs import services
from jobs.forms.employers import EmployerForm
from laborbrand.accounts.views import organisation_registration


@sensitive_post_parameters("account-password1", "account-password2")
def employer_register(request):
    return organisation_registration(
        request,
        org_form_class=EmployerForm,
        register=services.employer_register,
        template="jobs/employer_register.html",
    )
