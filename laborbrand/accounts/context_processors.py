from laborbrand.accounts.models import User


def navigation(request):
    """The role and unread-notification count the navigation bar shows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "Role": User.Role,
        "unread_notification_count": user.notifications.unread().count(),
    }
