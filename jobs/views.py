from jobs import services
from jobs.forms import EmployerForm
from laborbrand.accounts.views import organisation_registration


def employer_register(request):
    return organisation_registration(
        request,
        org_form_class=EmployerForm,
        register=services.employer_register,
        template="jobs/employer_register.html",
    )
