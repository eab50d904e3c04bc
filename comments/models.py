import hashlib
from contextlib import suppress

from django.core.validators import MaxValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from newsroom.fetch_modes import reader_fetch_mode
from newsroom.fields import staff_member
from richtext.plain import fold

# Top-level comments are depth 0; replies may go two levels below them.
MAX_DEPTH = 2


def normalise_email(email):
    """Return an email address as comments, commenters and notes store and compare it."""
    return email.strip().lower()


def body_fingerprint(text):
    """Return what identifies a comment's text for the duplicate rule: a hash of its words,
    without case, accents or spacing."""
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Return the comments readers may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def shown_to(self, pending_ids):
        """Return the approved comments plus the given pending ones (the reader's own)."""
        visible = Q(status=Comment.Status.APPROVED)
        if pending_ids:
            visible |= Q(pk__in=list(pending_ids), status=Comment.Status.PENDING)
        return self.filter(visible).fetch_mode(reader_fetch_mode())

    def by_email(self, email):
        return self.filter(email_normalised=normalise_email(email))

    def featured(self):
        """Return the comments a moderator picked to show first: approved ones only."""
        return self.approved().filter(featured_at__isnull=False)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    # No index of its own: comment_thread_idx starts with the article. With a second one the
    # planner may pick it and sift through every spam comment on a flooded article.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread, so a page of threads loads in one query.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254)
    email_normalised = models.EmailField(max_length=254, editable=False, db_index=True)
    website = models.URLField(max_length=200, blank=True)
    body = models.TextField(max_length=5000)
    body_fingerprint = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # The moderation policy's verdict when the comment came in (policy.py), and its findings.
    policy_status = models.CharField(
        "policy's verdict", max_length=10, choices=Status, editable=False, blank=True
    )
    policy_reasons = models.JSONField("policy's reasons", default=list, blank=True, editable=False)
    decided_by = staff_member(editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised by every decision, so a moderator acting on a stale page is caught (services.py).
    version = models.PositiveIntegerField(default=0, editable=False)
    is_newsroom = models.BooleanField(
        default=False, editable=False, help_text="Written by the newsroom, not a reader."
    )
    report_count = models.PositiveIntegerField(default=0, editable=False)
    # True from a reader's first report until a moderator decides: the Reported queue.
    is_reported = models.BooleanField(default=False, editable=False)
    # Picked by a moderator to show first, under "Featured"; only while approved (services.py).
    featured_at = models.DateTimeField(null=True, blank=True, editable=False)
    featured_by = staff_member(editable=False)
    # Stops a double-clicked or resent form from storing the same comment twice. NULL, not "",
    # for comments that came another way (the seed), so they do not collide with each other.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            # The posting policy looks at every recent comment from the poster's address.
            models.Index(fields=["ip_address"], name="comment_ip_idx"),
            models.Index(
                fields=["-created_at"],
                condition=Q(is_reported=True),
                name="comment_reported_idx",
            ),
            # The article page reads its featured comments with its threads (thread.py).
            models.Index(
                fields=["article", "created_at"],
                condition=Q(featured_at__isnull=False),
                name="comment_featured_idx",
            ),
        ]
        permissions = [("moderate_comment", "Can approve, reject and mark comments as spam")]

    def __str__(self):
        return f"{self.name} on {self.article}"

    def save(self, *args, **kwargs):
        self.email_normalised = normalise_email(self.email)
        self.body_fingerprint = body_fingerprint(self.body)
        if self.parent_id:
            self.depth = self.parent.depth + 1
            self.root_id = self.parent.root_id or self.parent_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def can_be_featured(self):
        return self.status == self.Status.APPROVED

    @property
    def can_be_replied_to(self):
        return self.status == self.Status.APPROVED and self.depth < MAX_DEPTH


# The moderators' words for what they can do to a comment: the name the desk's buttons and the
# admin's actions send, and the status each leaves the comment in.
MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
}
# How the desk and the admin say a decision left a comment, for each status.
STATUS_DONE = {
    Comment.Status.PENDING: "put back in Pending",
    Comment.Status.APPROVED: "approved",
    Comment.Status.REJECTED: "rejected",
    Comment.Status.SPAM: "marked as spam",
}


class DecisionReason(models.TextChoices):
    """Why a comment was refused: the EU Digital Services Act's statement-of-reasons
    categories, as a moderator would pick them for a news site's comments."""

    ILLEGAL_SPEECH = "illegal_or_harmful_speech", "Illegal or harmful speech (hate, threats)"
    CIVIC_DISCOURSE = (
        "negative_effects_on_civic_discourse_or_elections",
        "Disinformation or harm to elections",
    )
    NON_CONSENSUAL = "non_consensual_behaviour", "Harassment or non-consensual behaviour"
    PRIVACY = "data_protection_and_privacy_violations", "Personal data or privacy violation"
    VIOLENCE = "violence", "Violence or incitement"
    PUBLIC_SECURITY = "risk_for_public_security", "Risk for public security"
    MINORS = "protection_of_minors", "Protection of minors"
    SELF_HARM = "self_harm", "Self-harm"
    SEXUAL = "pornography_or_sexualized_content", "Sexual content"
    SCAMS = "scams_and_fraud", "Scams and fraud"
    IP = "intellectual_property_infringements", "Copyright or other IP infringement"
    SCOPE = "scope_of_platform_service", "Off-topic or against the house rules"
    OTHER = "other", "Other (explain below)"


class CommentDecisionQuerySet(models.QuerySet):
    def decisions(self):
        """Return the steps that set the comment's status: the ones an undo can reverse."""
        return self.filter(kind__in=[CommentDecision.Kind.DECISION, CommentDecision.Kind.REVIEW])


class CommentDecision(models.Model):
    """One step in a comment's life: the audit trail, newest last. Most steps are a change of
    status; the others record what the commenter was told and what they asked (``kind``).

    The trail outlives the comment: erasing a comment at its author's request (privacy.py)
    leaves its decisions with no comment, but with the comment's number and its article.
    """

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        TOLD = "told", "Commenter emailed"
        REVIEW_ASKED = "review_asked", "Commenter asked for a review"
        REVIEW = "review", "Decision on review"

    comment = models.ForeignKey(
        Comment, null=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    # Copied from the comment when the decision is made, so they stay once it is gone.
    comment_number = models.PositiveBigIntegerField("comment", null=True, editable=False)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_decisions",
        editable=False,
    )
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.DECISION)
    moderator = staff_member(help_text="Empty when the moderation policy decided.")
    from_status = models.CharField(max_length=10, choices=Comment.Status, blank=True)
    to_status = models.CharField(max_length=10, choices=Comment.Status)
    reason = models.CharField(max_length=60, choices=DecisionReason, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # Written for the commenter, and emailed to them: the internal note above is not.
    note_to_reader = models.CharField(max_length=1000, blank=True)
    # The decision took the comment out of the Reported queue; undoing it puts it back.
    cleared_report = models.BooleanField("took it out of Reported", default=False, editable=False)
    # Set on the decision that an undo reversed, pointing at the undoing decision.
    undone_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undoes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["moderator", "-created_at"], name="decision_moderator_idx")]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.comment_id is not None and self.comment_number is None:
            self.comment_number = self.comment_id
            self.article_id = self.comment.article_id
        super().save(*args, **kwargs)


class CommentReport(models.Model):
    """A reader's report that a public comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSIVE = "abusive", "Abusive or hateful"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=Reason)
    text = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class Commenter(models.Model):
    """What moderators decided about a commenter, known by email address."""

    class Standing(models.TextChoices):
        NORMAL = "normal", "Normal"
        PREMODERATED = "premoderated", "Always pre-moderate"
        SUSPENDED = "suspended", "Suspended"
        BANNED = "banned", "Banned"

    email = models.EmailField(max_length=254, unique=True, help_text="Stored in lower case.")
    standing = models.CharField(max_length=12, choices=Standing, default=Standing.NORMAL)
    suspended_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = staff_member()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email


class CommenterNote(models.Model):
    """A moderator's note about a commenter, shown beside their comments."""

    email = models.EmailField(max_length=254, db_index=True)
    author = staff_member(blank=False)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note on {self.email}"


class DigestLog(models.Model):
    """A moderation digest that was sent; the next one covers what came after it."""

    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipients = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Digest of {self.sent_at:%Y-%m-%d %H:%M}"


class DigestSchedule(models.Model):
    """The moderation digest's one row: its lock and its clock (digest_schedule.py).

    A digest holds this row's lock while it decides what to send, so two at once cannot both
    send; the row also names the worker's next run, so that only one ever waits.
    """

    ONLY = 1

    next_run_at = models.DateTimeField(null=True, blank=True)
    next_task_id = models.CharField(max_length=64, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Next digest at {self.next_run_at}" if self.next_run_at else "No digest waiting"

    @classmethod
    def lock(cls):
        """Return the row, locked until the current transaction ends (call it inside one).

        An UPDATE, not SELECT … FOR UPDATE alone: SQLite ignores that, and an UPDATE takes its
        write lock at once, so there too a second digest waits for the first to commit.
        """
        now = timezone.now()
        if not cls.objects.filter(pk=cls.ONLY).update(locked_at=now):
            # The first digest ever, or one beside it making the row at the same moment.
            with suppress(IntegrityError), transaction.atomic():
                cls.objects.create(pk=cls.ONLY, locked_at=now)
            cls.objects.filter(pk=cls.ONLY).update(locked_at=now)
        return cls.objects.get(pk=cls.ONLY)


class ReplyAddress(models.Model):
    """An address that asked to hear of replies: confirmed once by its owner (double opt-in),
    and able to stop them all with one click."""

    email = models.EmailField(max_length=254, unique=True, help_text="Stored in lower case.")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name_plural = "reply addresses"

    def __str__(self):
        return self.email

    @property
    def may_be_sent_replies(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ReplySubscription(models.Model):
    """The author of this comment ticked "Notify me of replies by email" when posting it."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="reply_subscription"
    )
    address = models.ForeignKey(
        ReplyAddress, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the email's "mute this conversation" link, on every subscription in the thread.
    muted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.address} on comment {self.comment_id}"


class ReplyNotice(models.Model):
    """An approved reply to tell a subscriber about. Notices of one thread wait to be gathered
    into one email, so an address gets at most one email per thread an hour."""

    address = models.ForeignKey(ReplyAddress, on_delete=models.CASCADE, related_name="notices")
    thread = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["address", "reply"], name="one_notice_per_reply")
        ]
        indexes = [models.Index(fields=["address", "thread", "sent_at"], name="notice_thread_idx")]

    def __str__(self):
        return f"Reply {self.reply_id} for {self.address}"


class ReviewRequest(models.Model):
    """A commenter's request that a refusal of their comment be looked at again."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "Decision kept"
        REVERSED = "reversed", "Decision reversed: published"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reviews")
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OPEN)
    decided_by = staff_member()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One request per comment: the answer to it is final.
            models.UniqueConstraint(fields=["comment"], name="one_review_per_comment")
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(outcome="open"),
                name="review_open_idx",
            )
        ]

    def __str__(self):
        return f"Review of comment {self.comment_id}"


class PolicyVersion(models.Model):
    """One saved version of the comment policy: every value, who saved it and when.

    The newest version is in force (comments/policy_store.py); with none saved yet, the
    settings give the values. Versions are only ever added, never changed or deleted, so the
    history says who changed what, and what it was before.
    """

    # Lists are kept as typed in the admin, one entry a line.
    moderation_words = models.TextField(
        "words to check",
        blank=True,
        help_text="One word or phrase a line. A comment with one waits for a moderator.",
    )
    block_words = models.TextField(
        "blocked words",
        blank=True,
        help_text="One word or phrase a line. A comment with one is filed as spam.",
    )
    max_links = models.PositiveSmallIntegerField(
        "most links",
        validators=[MaxValueValidator(100)],
        help_text="A comment with more links than this waits for a moderator (0 to 100).",
    )
    blocked_email_domains = models.TextField(
        blank=True,
        help_text="One domain a line. Comments from addresses there, or at their "
        "subdomains, are filed as spam.",
    )
    disposable_email_domains = models.TextField(
        blank=True,
        help_text="One domain a line: throwaway email services. Comments from addresses "
        "there are filed as spam.",
    )
    trusted_after = models.PositiveSmallIntegerField(
        "trusted after",
        validators=[MaxValueValidator(1000)],
        help_text="Approved comments after which an email address is published at once "
        "(0: never; at most 1,000).",
    )
    close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)",
        validators=[MaxValueValidator(3650)],
        help_text="Days after publication when comments close by themselves (0: never; at "
        "most 3,650).",
    )
    premoderate = models.BooleanField(
        "pre-moderate the whole site",
        help_text="Every comment waits for a moderator, unless its article says otherwise "
        "or the commenter is trusted.",
    )
    saved_by = staff_member(editable=False)
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Newest first: the first row is the one in force.
        ordering = ["-pk"]
        verbose_name = "comment policy"
        verbose_name_plural = "comment policy"

    def __str__(self):
        return "Comment policy"


def email_hash(email):
    """Return the SHA-256 of the address as comments store it: an audit record can say which
    address a request was about without keeping the address."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


class PrivacyRequest(models.Model):
    """A commenter's data exported or erased from the admin: who did it, when, and how much.

    The address is kept only as a hash, so the record of an erasure holds no personal data.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        ERASE = "erase", "Erasure"

    kind = models.CharField(max_length=10, choices=Kind)
    email_sha256 = models.CharField("address (SHA-256)", max_length=64, db_index=True)
    handled_by = staff_member()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # What was stored about the address at the time: comments, notes, standing, reply emails,
    # emails (the export), or what went (the erasure).
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Written by the privacy page, never by hand; whoever may handle requests may read
        # them (admin_privacy.py), so the one permission below is all a role needs.
        default_permissions = ()
        permissions = [
            ("handle_privacy_requests", "Can export and erase a commenter's data by address")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.email_sha256[:12]}…"
