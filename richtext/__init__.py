"""Rich text as the site stores it: the allow-list every article body is sanitised to, and the
plain text read out of it (and out of readers' comments) for search and matching.

Both articles and images use it, so it imports neither.
"""
