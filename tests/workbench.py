"""Opening the workbench and picking out one panel, for the tests of every app's panels."""

from django.urls import reverse

WORKBENCH = reverse("accounts:workbench")


def open_workbench(client, user, **extra):
    client.force_login(user)
    response = client.get(WORKBENCH, **extra)
    assert response.status_code == 200
    return response


def panel_context(response, template):
    (found,) = [p.context for p in response.context["panels"] if p.template == template]
    return found


def panel_html(response, heading_id):
    """The rendered panel section with the given heading id."""
    content = response.content.decode()
    start = content.index(f'aria-labelledby="{heading_id}"')
    return content[start : content.index("</section>", start)]
