from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from laborbrand.accounts import pii


class UserQuerySet(models.QuerySet):
    def with_role(self, role: str) -> UserQuerySet:
        return self.filter(role=role)

    def officials(self) -> UserQuerySet:
        return self.filter(role=User.Role.COUNTY_OFFICIAL)

    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)

    def by_phone(self, phone: str) -> UserQuerySet:
        return self.filter(phone_hash=pii.pii_hash(pii.normalize_phone(phone)))

    def by_id_number(self, number: str) -> UserQuerySet:
        return self.filter(id_number_hash=pii.pii_hash(pii.normalize_id_number(number)))

    def by_id_or_phone(self, identifier: str) -> UserQuerySet:
        """The account with this mobile number or ID number, however either is written."""
        return self.by_phone(identifier) if pii.is_mobile(identifier) else self.by_id_number(identifier)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", _("City administrator")
        COUNTY_OFFICIAL = "county_official", _("County official")
        INSTITUTION_STAFF = "institution_staff", _("Training institution staff")
        EMPLOYER = "employer", _("Employer staff")
        WORKER = "worker", _("Worker")
        # A member of the programme's leading group from another department (财政局, 教育局 …): reads the
        # dashboards, their records and the reports, and changes nothing.
        LEADING_GROUP = "leading_group", _("Leading group member")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("county/district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        help_text=_("The county or district a county official works for."),
    )
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    department = models.CharField(
        _("department"),
        max_length=60,
        blank=True,
        help_text=_("The department a leading-group member comes from, e.g. 市财政局."),
    )
    # Personal identifiers: encrypted at rest; *_hash is an HMAC for uniqueness and look-up.
    id_number = EncryptedCharField(
        _("national ID number"), max_length=18, null=True, blank=True
    )  # "" is stored as NULL
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone = EncryptedCharField(_("mobile number"), max_length=11, null=True, blank=True)
    phone_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)

    objects = PortalUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="county_official") | models.Q(county__isnull=False),
                name="county_official_has_county",
            ),
            models.CheckConstraint(
                condition=models.Q(role="county_official") | models.Q(county__isnull=True),
                name="only_officials_have_county",
            ),
        ]
        # The staff roles are a handful among the city's workers: the officials' list and the city admins
        # told of a submission find them without reading every account.
        indexes = [models.Index(fields=["role"], name="user_role_idx")]

    def __str__(self):
        return self.real_name or self.username

    def save(self, *args, **kwargs):
        # Keep the look-up hashes in step with the encrypted values they index.
        self.id_number_hash = pii.pii_hash(self.id_number) if self.id_number else None
        self.phone_hash = pii.pii_hash(self.phone) if self.phone else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"id_number": "id_number_hash", "phone": "phone_hash"}
            kwargs["update_fields"] = set(update_fields) | {extra[f] for f in update_fields if f in extra}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def masked_id_number(self) -> str:
        return pii.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return pii.mask_phone(self.phone)


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # A user's notifications, newest first (the list's order).
            models.Index(fields=["recipient", "-created", "-id"], name="notification_newest_idx"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
