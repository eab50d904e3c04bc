import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, CommentModeration
from comments import policy, policy_store
from comments.models import Comment, Commenter
from comments.policy import Submission, assess, find_words
from tests.factories import make_article, make_draft, make_scheduled
from tests.query_budgets import policy_cached_read

# tests/comments/conftest.py clears the (database) cache around every test, so all need the DB.
pytestmark = pytest.mark.django_db


def submission(article=None, **kwargs):
    """Return a clean submission; rules that don't query the DB get an unsaved article."""
    kwargs.setdefault("name", "Ada Reader")
    kwargs.setdefault("email", "ada@example.org")
    kwargs.setdefault("website", "")
    kwargs.setdefault("body", "A thoughtful remark about the story.")
    if article is None:
        article = Article(comment_moderation=CommentModeration.POST)
    return Submission(article=article, **kwargs)


def add_comment(article, *, email="ada@example.org", status=Comment.Status.APPROVED, **kwargs):
    kwargs.setdefault("name", "Ada Reader")
    kwargs.setdefault("body", f"An earlier comment {Comment.objects.count()}.")
    return Comment.objects.create(article=article, email=email, status=status, **kwargs)


def backdate(comment, **delta):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(**delta))


def rules(verdict):
    return [finding.rule for finding in verdict.findings]


NOW = timezone.now()


# find_words


def test_find_words_does_not_match_inside_a_word():
    assert find_words("Greetings from Scunthorpe", ["cunt"]) == []
    assert find_words("A first-class pass", ["ass"]) == []


@pytest.mark.parametrize("text", ["idiot!", "(idiot)", "You idiot, you.", "IDIOT", "Idiót"])
def test_find_words_matches_with_punctuation_case_and_accents(text):
    assert find_words(text, ["idiot"]) == ["idiot"]


def test_find_words_folds_accents_in_the_list_too():
    assert find_words("what an idiot", ["Idiót"]) == ["Idiót"]


def test_find_words_folds_case_fully_not_just_lower_case():
    assert find_words("DIE STRASSE", ["Straße"]) == ["Straße"]


def test_find_words_matches_a_phrase_across_any_whitespace():
    assert find_words("Get a CASINO  bonus\ttoday", ["casino bonus"]) == ["casino bonus"]
    assert find_words("casino\nbonus", ["casino bonus"]) == ["casino bonus"]


def test_find_words_does_not_match_part_of_a_phrase_or_a_longer_phrase():
    assert find_words("casino night", ["casino bonus"]) == []
    assert find_words("casino bonuses", ["casino bonus"]) == []


def test_find_words_does_not_match_a_plural_that_is_not_listed():
    assert find_words("idiots", ["idiot"]) == []
    assert find_words("idiots", ["idiot", "idiots"]) == ["idiots"]


def test_find_words_works_in_cyrillic_and_greek():
    assert find_words("Ты ИДИОТ!", ["идиот"]) == ["идиот"]
    assert find_words("идиотизм", ["идиот"]) == []
    assert find_words("ΒΛΆΚΑΣ", ["βλακας"]) == ["βλακας"]


def test_find_words_returns_entries_in_list_order_once_each():
    text = "idiot, moron, idiot"
    assert find_words(text, ["moron", "liar", "idiot", "idiot"]) == ["moron", "idiot"]


def test_find_words_ignores_empty_entries():
    assert find_words("anything at all", ["", "  "]) == []


# honeypot


def test_honeypot_fires_when_filled_in():
    finding = policy.rule_honeypot(submission(honeypot="http://bot.example"), NOW)
    assert (finding.rule, finding.status) == ("honeypot", "spam")


def test_honeypot_is_quiet_when_empty():
    assert policy.rule_honeypot(submission(), NOW) is None


# block_list


@pytest.mark.parametrize(
    "field",
    [
        {"body": "Cheap VIAGRA and a casino   bonus here"},
        {"name": "Viagra casino bonus"},
        {"website": "https://viagra.example/casino-bonus"},
    ],
)
def test_block_list_fires_on_body_name_or_website(settings, field):
    settings.COMMENTS_BLOCK_WORDS = ["viagra", "casino bonus"]
    finding = policy.rule_block_list(submission(**field), NOW)
    assert finding.status == "spam"
    assert finding.words[0] == "viagra"


def test_block_list_records_the_words_as_listed(settings):
    settings.COMMENTS_BLOCK_WORDS = ["viagra", "cialis", "payday loan"]
    finding = policy.rule_block_list(submission(body="Try CIALIS, or a Payday  loan"), NOW)
    assert finding.words == ("cialis", "payday loan")
    assert "cialis, payday loan" in finding.reason


def test_block_list_does_not_join_a_phrase_across_fields(settings):
    settings.COMMENTS_BLOCK_WORDS = ["casino bonus"]
    sub = submission(body="I never go to the casino", name="Bonus Hunter")
    assert policy.rule_block_list(sub, NOW) is None


def test_block_list_is_quiet_on_clean_text():
    assert policy.rule_block_list(submission(body="A casino opened in town."), NOW) is None


# email_domain


def test_email_domain_fires_on_a_blocked_domain(settings):
    settings.COMMENTS_BLOCKED_EMAIL_DOMAINS = ["Spam.example"]
    finding = policy.rule_email_domain(submission(email="Bob@SPAM.example "), NOW)
    assert finding.status == "spam"
    assert finding.words == ("Spam.example",)
    assert "blocked" in finding.reason


def test_email_domain_fires_on_a_subdomain_of_a_blocked_domain(settings):
    settings.COMMENTS_BLOCKED_EMAIL_DOMAINS = ["spam.example"]
    finding = policy.rule_email_domain(submission(email="bob@mail.spam.example"), NOW)
    assert finding.words == ("spam.example",)


def test_email_domain_does_not_match_a_lookalike_domain(settings):
    settings.COMMENTS_BLOCKED_EMAIL_DOMAINS = ["spam.example"]
    assert policy.rule_email_domain(submission(email="bob@notspam.example"), NOW) is None


def test_email_domain_uses_the_shipped_disposable_list_by_default(settings):
    settings.COMMENTS_DISPOSABLE_EMAIL_DOMAINS = None
    finding = policy.rule_email_domain(submission(email="x@Mailinator.com"), NOW)
    assert finding.words == ("mailinator.com",)
    assert "disposable" in finding.reason


def test_email_domain_disposable_list_from_settings_replaces_the_shipped_one(settings):
    settings.COMMENTS_DISPOSABLE_EMAIL_DOMAINS = ["throwaway.example"]
    assert policy.rule_email_domain(submission(email="x@mailinator.com"), NOW) is None
    finding = policy.rule_email_domain(submission(email="x@throwaway.example"), NOW)
    assert "disposable" in finding.reason


def test_email_domain_empty_disposable_list_from_settings_turns_it_off(settings):
    settings.COMMENTS_DISPOSABLE_EMAIL_DOMAINS = []
    assert policy.rule_email_domain(submission(email="x@mailinator.com"), NOW) is None


def test_email_domain_is_quiet_on_an_ordinary_domain():
    assert policy.rule_email_domain(submission(email="ada@example.org"), NOW) is None


def test_shipped_disposable_list_has_the_well_known_domains():
    shipped = policy_store.DISPOSABLE_EMAIL_DOMAINS
    assert {"mailinator.com", "guerrillamail.com", "yopmail.com"} <= shipped
    assert len(shipped) >= 30


# duplicate


def test_duplicate_fires_on_the_same_normalised_text_anywhere_by_anyone():
    add_comment(make_article(), email="other@example.org", body="Great   STORY, thanks!")
    sub = submission(make_article(), body="great story, thanks!")
    finding = policy.rule_duplicate(sub, timezone.now())
    assert (finding.rule, finding.status) == ("duplicate", "spam")


def test_duplicate_counts_comments_of_any_status():
    add_comment(make_article(), body="Same words.", status=Comment.Status.REJECTED)
    assert policy.rule_duplicate(submission(body="Same words."), timezone.now()) is not None


def test_duplicate_ignores_text_posted_before_the_window(settings):
    settings.COMMENTS_DUPLICATE_WINDOW_HOURS = 72
    old = add_comment(make_article(), body="Same words.")
    backdate(old, hours=73)
    assert policy.rule_duplicate(submission(body="Same words."), timezone.now()) is None
    backdate(old, hours=71)
    assert policy.rule_duplicate(submission(body="Same words."), timezone.now()) is not None


def test_duplicate_is_quiet_on_new_text():
    add_comment(make_article(), body="Same words.")
    assert policy.rule_duplicate(submission(body="Other words."), timezone.now()) is None


# links


def test_links_allows_exactly_the_maximum(settings):
    settings.COMMENTS_MAX_LINKS = 2
    body = "See https://a.example and http://b.example"
    assert policy.rule_links(submission(body=body), NOW) is None


def test_links_holds_one_more_than_the_maximum(settings):
    settings.COMMENTS_MAX_LINKS = 2
    body = "See https://a.example, http://b.example and WWW.c.example"
    finding = policy.rule_links(submission(body=body), NOW)
    assert finding.status == "pending"
    assert finding.reason == "Contains 3 links (more than 2 allowed)."


def test_links_counts_a_www_address_after_a_scheme_once(settings):
    settings.COMMENTS_MAX_LINKS = 1
    assert policy.rule_links(submission(body="https://www.a.example"), NOW) is None


def test_links_maximum_comes_from_settings(settings):
    settings.COMMENTS_MAX_LINKS = 0
    assert policy.rule_links(submission(body="www.a.example"), NOW) is not None


# moderation_list


def test_moderation_list_holds_and_records_words_from_body_and_name(settings):
    settings.COMMENTS_MODERATION_WORDS = ["idiot", "moron", "liar"]
    sub = submission(name="Big Liar", body="You absolute (idiot)!")
    finding = policy.rule_moderation_list(sub, NOW)
    assert finding.status == "pending"
    assert finding.words == ("idiot", "liar")


def test_moderation_list_does_not_look_at_the_website(settings):
    settings.COMMENTS_MODERATION_WORDS = ["idiot"]
    assert policy.rule_moderation_list(submission(website="https://idiot.example"), NOW) is None


def test_moderation_list_comes_from_settings(settings):
    settings.COMMENTS_MODERATION_WORDS = ["nitwit"]
    assert policy.rule_moderation_list(submission(body="idiot"), NOW) is None
    assert policy.rule_moderation_list(submission(body="Nitwit!"), NOW).words == ("nitwit",)


# rejection_history


def history(article, approved=0, rejected=0, spam=0, **kwargs):
    statuses = (
        [Comment.Status.APPROVED] * approved
        + [Comment.Status.REJECTED] * rejected
        + [Comment.Status.SPAM] * spam
    )
    return [add_comment(article, status=status, **kwargs) for status in statuses]


@pytest.fixture
def rejection_settings(settings):
    settings.COMMENTS_REJECTION_WINDOW_DAYS = 30
    settings.COMMENTS_REJECTION_MIN_DECIDED = 3
    settings.COMMENTS_REJECTION_RATIO = 0.5
    return settings


def test_rejection_history_holds_above_the_ratio(rejection_settings):
    history(make_article(), approved=1, rejected=3, spam=1)
    finding = policy.rule_rejection_history(submission(), timezone.now())
    assert finding.status == "pending"
    assert finding.reason == "4 of their last 5 decided comments were rejected or spam."


def test_rejection_history_does_not_hold_at_exactly_the_ratio(rejection_settings):
    history(make_article(), approved=2, rejected=2)
    assert policy.rule_rejection_history(submission(), timezone.now()) is None


def test_rejection_history_needs_enough_decided_comments(rejection_settings):
    history(make_article(), rejected=2)
    add_comment(make_article(), status=Comment.Status.PENDING)
    assert policy.rule_rejection_history(submission(), timezone.now()) is None
    history(make_article(), rejected=1)
    assert policy.rule_rejection_history(submission(), timezone.now()) is not None


def test_rejection_history_matches_the_normalised_email(rejection_settings):
    history(make_article(), rejected=3, email="ADA@example.org")
    sub = submission(email=" ada@EXAMPLE.org")
    assert policy.rule_rejection_history(sub, timezone.now()) is not None


def test_rejection_history_matches_the_ip_address(rejection_settings):
    history(make_article(), rejected=3, email="someone@example.org", ip_address="203.0.113.9")
    assert policy.rule_rejection_history(submission(), timezone.now()) is None
    sub = submission(ip_address="203.0.113.9")
    assert policy.rule_rejection_history(sub, timezone.now()) is not None


def test_rejection_history_ignores_comments_decided_before_the_window(rejection_settings):
    for comment in history(make_article(), rejected=3):
        backdate(comment, days=31)
    assert policy.rule_rejection_history(submission(), timezone.now()) is None


def test_rejection_history_counts_a_recent_moderator_decision_on_an_old_comment(
    rejection_settings,
):
    for comment in history(make_article(), rejected=3):
        backdate(comment, days=60)
    Comment.objects.update(decided_at=timezone.now() - timedelta(days=1))
    assert policy.rule_rejection_history(submission(), timezone.now()) is not None


# trusted


def test_trusted_needs_the_threshold_of_approved_comments(settings):
    settings.COMMENTS_TRUSTED_AFTER = 3
    history(make_article(), approved=2, rejected=1, email="Ada@Example.org")
    add_comment(make_article(), status=Comment.Status.PENDING)
    assert policy.rule_trusted(submission(), timezone.now()) is None
    history(make_article(), approved=1)
    finding = policy.rule_trusted(submission(), timezone.now())
    assert (finding.rule, finding.status) == ("trusted", "approved")


def test_trusted_after_zero_turns_the_rule_off(settings, django_assert_num_queries):
    settings.COMMENTS_TRUSTED_AFTER = 0
    history(make_article(), approved=5)
    values = policy_store.PolicyValues.from_settings()
    with django_assert_num_queries(0):
        assert policy.rule_trusted(submission(), timezone.now(), values) is None


# premoderation


@pytest.mark.parametrize(
    ("moderation", "site_setting", "fires"),
    [
        (CommentModeration.PRE, False, True),
        (CommentModeration.PRE, True, True),
        (CommentModeration.POST, True, False),
        (CommentModeration.POST, False, False),
        (CommentModeration.SITE, True, True),
        (CommentModeration.SITE, False, False),
    ],
)
def test_premoderation_follows_the_article_then_the_site(settings, moderation, site_setting, fires):
    settings.COMMENTS_PREMODERATE = site_setting
    sub = submission(Article(comment_moderation=moderation))
    finding = policy.rule_premoderation(sub, NOW)
    assert (finding is not None) == fires
    if fires:
        assert (finding.rule, finding.status) == ("premoderation", "pending")


def test_premoderation_reason_says_article_or_site(settings):
    settings.COMMENTS_PREMODERATE = True
    pre = policy.rule_premoderation(submission(Article(comment_moderation="pre")), NOW)
    site = policy.rule_premoderation(submission(Article(comment_moderation="site")), NOW)
    assert pre.reason == "Every comment waits for a moderator on this article."
    assert site.reason == "Every comment waits for a moderator on this site."


def test_rules_without_the_db_make_no_queries(django_assert_num_queries):
    sub = submission(honeypot="x", body="Viagra, idiot: www.a.example www.b.example www.c.example")
    no_db = [policy.rule_honeypot, policy.rule_block_list, policy.rule_email_domain]
    no_db += [policy.rule_links, policy.rule_moderation_list, policy.rule_premoderation]
    values = policy_store.PolicyValues.from_settings()  # as assess() passes the policy in force
    with django_assert_num_queries(0):
        fired = [rule.__name__ for rule in no_db if rule(sub, NOW, values)]
    assert fired == ["rule_honeypot", "rule_block_list", "rule_links", "rule_moderation_list"]


# decide


@pytest.fixture
def post_article(db):
    return make_article(comment_moderation=CommentModeration.POST)


@pytest.fixture
def trusted_ada(settings, post_article):
    settings.COMMENTS_TRUSTED_AFTER = 2
    history(post_article, approved=2)


def test_rules_run_in_the_documented_order():
    assert [rule.__name__ for rule in policy.RULES] == [
        "rule_honeypot",
        "rule_block_list",
        "rule_email_domain",
        "rule_duplicate",
        "rule_standing",
        "rule_links",
        "rule_moderation_list",
        "rule_rejection_history",
        "rule_trusted",
        "rule_premoderation",
    ]


def test_decide_approves_a_clean_comment_without_findings(post_article):
    verdict = assess(submission(post_article))
    assert verdict.status == Comment.Status.APPROVED
    assert verdict.findings == ()


def test_decide_spam_beats_hold_and_records_both(post_article):
    verdict = assess(submission(post_article, honeypot="x", body="You idiot."))
    assert verdict.status == Comment.Status.SPAM
    assert rules(verdict) == ["honeypot", "moderation_list"]


def test_decide_spam_beats_trust(post_article, trusted_ada):
    verdict = assess(submission(post_article, body="Buy viagra"))
    assert verdict.status == Comment.Status.SPAM
    assert rules(verdict) == ["block_list", "trusted"]


def test_decide_hold_beats_trust(post_article, trusted_ada):
    verdict = assess(submission(post_article, body="You idiot."))
    assert verdict.status == Comment.Status.PENDING
    assert rules(verdict) == ["moderation_list", "trusted"]


def test_decide_trust_beats_premoderation(post_article, trusted_ada):
    article = make_article(comment_moderation=CommentModeration.PRE)
    verdict = assess(submission(article))
    assert verdict.status == Comment.Status.APPROVED
    assert rules(verdict) == ["trusted", "premoderation"]


@pytest.mark.parametrize(
    ("moderation", "site_setting", "status"),
    [
        (CommentModeration.PRE, False, Comment.Status.PENDING),
        (CommentModeration.POST, True, Comment.Status.APPROVED),
        (CommentModeration.SITE, True, Comment.Status.PENDING),
        (CommentModeration.SITE, False, Comment.Status.APPROVED),
    ],
)
def test_decide_premoderation_by_article_and_site(settings, moderation, site_setting, status):
    settings.COMMENTS_PREMODERATE = site_setting
    verdict = assess(submission(make_article(comment_moderation=moderation)))
    assert verdict.status == status
    assert rules(verdict) == (["premoderation"] if status == Comment.Status.PENDING else [])


def test_decide_records_every_rule_that_fired(settings, rejection_settings):
    settings.COMMENTS_PREMODERATE = True
    settings.COMMENTS_TRUSTED_AFTER = 1
    settings.COMMENTS_BLOCKED_EMAIL_DOMAINS = ["example.org"]
    article = make_article(comment_moderation=CommentModeration.SITE)
    body = "Viagra for idiots like you, idiot: http://a.example http://b.example www.c.example"
    history(article, approved=1, rejected=3, body=body)
    Commenter.objects.create(email="ada@example.org", standing=Commenter.Standing.BANNED)
    sub = submission(article, honeypot="x", body=body)
    verdict = assess(sub)
    assert verdict.status == Comment.Status.SPAM
    assert rules(verdict) == [rule.__name__.removeprefix("rule_") for rule in policy.RULES]


def test_decide_makes_one_query_per_db_rule(settings, post_article, django_assert_num_queries):
    settings.COMMENTS_TRUSTED_AFTER = 3
    policy.current_policy()  # in the cache, as it is for every comment but the first
    with django_assert_num_queries(4 + policy_cached_read()):
        assess(submission(post_article, ip_address="203.0.113.9"))


def test_decide_reasons_are_json_ready(post_article):
    verdict = assess(submission(post_article, body="Cheap viagra, idiot"))
    reasons = verdict.reasons()
    assert json.loads(json.dumps(reasons)) == reasons
    assert reasons == [
        {
            "rule": "block_list",
            "status": "spam",
            "reason": "Contains blocked words: viagra.",
            "words": ["viagra"],
        },
        {
            "rule": "moderation_list",
            "status": "pending",
            "reason": "Contains words on the moderation list: idiot.",
            "words": ["idiot"],
        },
    ]


def test_decide_reasons_can_be_stored_on_a_comment(post_article):
    verdict = assess(submission(post_article, body="You idiot."))
    comment = add_comment(post_article, policy_reasons=verdict.reasons())
    comment.refresh_from_db()
    assert comment.policy_reasons[0]["words"] == ["idiot"]


# comments_closed_reason


def test_comments_are_open_on_a_fresh_article():
    assert not policy.comments_closed_reason(make_article())


def test_comments_closed_by_the_editors():
    reason = policy.comments_closed_reason(make_article(comments_open=False))
    assert reason == "The editors have closed comments on this article."


def test_comments_close_after_the_configured_days(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 10
    article = make_article(published_at=timezone.now() - timedelta(days=10, minutes=1))
    reason = policy.comments_closed_reason(article)
    assert reason == "Comments closed automatically 10 days after publication."
    almost = timezone.now() - timedelta(days=9, hours=23)
    assert not policy.comments_closed_reason(make_article(published_at=almost))


def test_comments_close_at_the_given_time(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 10
    article = make_article()
    later = article.published_at + timedelta(days=10)
    assert not policy.comments_closed_reason(article, now=later - timedelta(seconds=1))
    assert policy.comments_closed_reason(article, now=later)


def test_comments_never_close_when_days_is_zero(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    article = make_article(published_at=timezone.now() - timedelta(days=1000))
    assert not policy.comments_closed_reason(article)


@pytest.mark.parametrize("factory", [make_draft, make_scheduled])
def test_comments_are_closed_before_publication(factory):
    reason = policy.comments_closed_reason(factory())
    assert reason == "Comments open when the article is published."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("standing", "days", "status"),
    [
        ("banned", None, "spam"),
        ("premoderated", None, "pending"),
        ("suspended", 3, "pending"),
        ("suspended", -1, None),
        ("normal", None, None),
    ],
)
def test_rule_standing_follows_the_moderators(standing, days, status):
    until = timezone.now() + timedelta(days=days) if days is not None else None
    Commenter.objects.create(email="ada@example.org", standing=standing, suspended_until=until)
    finding = policy.rule_standing(submission(email="ADA@example.org"), timezone.now())
    assert (finding.status if finding else None) == status


@pytest.mark.django_db
def test_an_always_premoderated_commenter_is_held_even_when_trusted(settings, post_article):
    settings.COMMENTS_TRUSTED_AFTER = 1
    add_comment(post_article)
    Commenter.objects.create(email="ada@example.org", standing=Commenter.Standing.PREMODERATED)
    assert assess(submission(post_article)).status == Comment.Status.PENDING


def test_every_rule_has_a_name_in_moderators_words():
    names = [rule.__name__.removeprefix("rule_") for rule in policy.RULES]
    assert set(policy.RULE_LABELS) == set(names)
    assert all(label and "_" not in label for label in policy.RULE_LABELS.values())
