from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedJSONField
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
    # When the owner proved the number is theirs with a code sent to it (laborbrand/accounts/codes.py): only a
    # verified number signs in or receives notifications by SMS.
    phone_verified_at = models.DateTimeField(_("mobile number verified at"), null=True, blank=True)
    # False for a worker known from a list kept by staff (a county's practitioner register, a class roster,
    # a certificate list: laborbrand/accounts/records.py) who has not registered: the record has a name and
    # an ID number, no password and no phone, so nobody signs in with it until its owner claims it by
    # registering.
    registered = models.BooleanField(_("registered"), default=True)

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

    @property
    def phone_verified(self) -> bool:
        return bool(self.phone) and self.phone_verified_at is not None


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        """What a notification is about. The kinds a worker must not miss may also go out by SMS and e-mail,
        as the worker chooses (NotificationPreference); every other notification is in the site and, when
        the sender asks, by e-mail."""

        GENERAL = "general", _("Other messages")
        INVITED_TO_INTERVIEW = "interview", _("Invited to an interview")
        OFFERED = "offered", _("Offered a job")
        HIRED = "hired", _("Hired")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        INVITED_TO_APPLY = "invited_to_apply", _("An employer invites you to apply")
        JOB_ALERT = "job_alert", _("New jobs for a saved search")

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)

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


# The kinds a worker chooses channels for, and what each channel does when the worker has not chosen.
WORKER_KINDS = [kind for kind in Notification.Kind if kind != Notification.Kind.GENERAL]
DEFAULT_SMS = {kind: kind != Notification.Kind.JOB_ALERT for kind in WORKER_KINDS}


class NotificationPreference(models.Model):
    """A worker's choice of channels for one kind of notification; it is always shown in the site. No row:
    the defaults (SMS for everything but job alerts, e-mail for all, when the worker has a verified number or
    an address)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=20, choices=Notification.Kind.choices)
    sms = models.BooleanField(_("by SMS"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} · {self.kind}"


class SmsMessage(models.Model):
    """One text message the portal sends, from queueing to the provider's answer: the log of what was sent,
    the queue of what waits for the morning (quiet hours) and the count the daily budget reads."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        HELD = "held", _("Held until the morning")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        OVER_BUDGET = "over_budget", _("Not sent: over the daily budget")

    recipient = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="sms_messages"
    )
    phone = EncryptedCharField(_("mobile number"), max_length=11)
    template = models.CharField(_("template"), max_length=20)
    # The template's parameters, encrypted: a code is cleared once sent.
    params = EncryptedJSONField(default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["status", "not_before"], name="sms_due_idx"),
            models.Index(fields=["created"], name="sms_created_idx"),
        ]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")

    def __str__(self):
        return f"{self.template} → {pii.mask_phone(self.phone)} ({self.status})"


class PhoneCode(models.Model):
    """A one-time code sent to a phone for one purpose (laborbrand/accounts/codes.py). Only its keyed hash is
    stored; the phone and the requesting address are kept as keyed hashes too (look-up and caps)."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("Sign in")
        RESET = "reset", _("Reset the password")
        REGISTER = "register", _("Verify the number at registration")
        CHANGE_PHONE = "change_phone", _("Change the mobile number")
        COUNTER = "counter", _("Consent at the service counter")
        ON_BEHALF = "on_behalf", _("Consent to an act on the worker's behalf")

    phone_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # What the code consents to, when it is narrower than the purpose (e.g. "apply:123"): a code for one act
    # never confirms another.
    subject = models.CharField(max_length=100, blank=True)
    code_hash = models.CharField(max_length=64)
    address_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["phone_hash", "purpose", "-created"], name="phonecode_latest_idx"),
            models.Index(fields=["address_hash", "created"], name="phonecode_address_idx"),
            models.Index(fields=["created"], name="phonecode_created_idx"),
        ]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self):
        return f"{self.purpose} {self.created:%Y-%m-%d %H:%M}"
