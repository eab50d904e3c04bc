"""Generated text for fill_database: headlines, standfirsts, bodies and comments."""

from .words import (
    AMOUNTS,
    COMMENT_SENTENCES,
    FIRST_NAMES,
    HEADING_WORDS,
    LAST_NAMES,
    MOODS,
    OFFICIAL_TITLES,
    ORGANISATIONS,
    OUTCOMES,
    PAST_VERBS,
    PEOPLE,
    PLACES,
    PLANS,
    QUOTE_TEMPLATES,
    SENTENCE_TEMPLATES,
    TIMES,
    VERBS,
)


class Prose:
    """Make headlines, standfirsts, bodies and comments from the templates above.

    Sentences are drawn once into a pool and reused, which makes a body cost a few joins rather
    than some forty template fills.
    """

    def __init__(self, rng, *, size=20_000):
        self.rng = rng
        self.sentences = [self.fill(rng.choice(SENTENCE_TEMPLATES)) for _ in range(size)]
        self.lengths = [len(sentence.split()) for sentence in self.sentences]
        self.quotes = [self.fill(rng.choice(QUOTE_TEMPLATES)) for _ in range(size // 10)]
        self.remarks = [self.fill(rng.choice(COMMENT_SENTENCES)) for _ in range(size // 4)]

    def fill(self, template):
        choice = self.rng.choice
        words = {
            "official": choice(OFFICIAL_TITLES),
            "org": choice(ORGANISATIONS),
            "org2": choice(ORGANISATIONS),
            "verb": choice(VERBS),
            "past": choice(PAST_VERBS),
            "plan": choice(PLANS),
            "time": choice(TIMES),
            "amount": choice(AMOUNTS),
            "people": choice(PEOPLE),
            "place": choice(PLACES),
            "place2": choice(PLACES),
            "name": self.person(),
            "mood": choice(MOODS),
            "outcome": choice(OUTCOMES),
        }
        words.update({k.capitalize(): v[0].upper() + v[1:] for k, v in list(words.items())})
        return template.format(**words)

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def headline(self, topic):
        rng = self.rng
        place, org = rng.choice(PLACES), rng.choice(ORGANISATIONS)
        text = rng.choice(
            [
                f"{org[0].upper() + org[1:]} to {rng.choice(VERBS)} {rng.choice(PLANS)}",
                f"{topic}: {place} {rng.choice(PEOPLE)} {rng.choice(MOODS)} as "
                f"{org} {rng.choice(PAST_VERBS)} {rng.choice(PLANS)}",
                f"{rng.choice(PEOPLE).capitalize()} in {place} say {rng.choice(OUTCOMES)}",
                f"{topic} in {place}: {rng.choice(AMOUNTS)} {rng.choice(PEOPLE)} wait for answers",
                f"Why {org} {rng.choice(PAST_VERBS)} {rng.choice(PLANS)}",
            ]
        )
        return text[0].upper() + text[1:]

    def standfirst(self):
        first, second = self.rng.sample(self.sentences, 2)
        return f"{first} {second}" if len(first) + len(second) < 390 else first

    def body(self, topic):
        """Return 600–1,000 words of HTML: paragraphs, one sub-heading and one blockquote."""
        rng, pool = self.rng, len(self.sentences)
        place, when = rng.choice(PLACES), rng.choice(TIMES)
        opening = f"{topic} was back at the centre of attention in {place} {when}."
        target, words = rng.randint(620, 940), len(opening.split()) + 10  # + heading and quote
        paragraphs = [[opening]]
        while words < target:
            if len(paragraphs[-1]) >= rng.randint(3, 6):
                paragraphs.append([])
            index = rng.randrange(pool)
            paragraphs[-1].append(self.sentences[index])
            words += self.lengths[index]
        parts = [f"<p>{' '.join(sentences)}</p>" for sentences in paragraphs]
        count = len(parts)
        parts.insert(
            count // 3 + 1, f"<blockquote><p>“{rng.choice(self.quotes)}.”</p></blockquote>"
        )
        parts.insert(count // 2 + 2, f"<h2>{rng.choice(HEADING_WORDS)}</h2>")
        return "".join(parts)

    def comment(self):
        return " ".join(self.rng.sample(self.remarks, self.rng.choice((1, 1, 2, 2, 3, 4))))
