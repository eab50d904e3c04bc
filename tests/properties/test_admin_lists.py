"""Property 1 for staff: whatever a changelist's address or an action's form carries, the admin
answers with a page or a clear 4xx, for every role.

The changelists, their parameters and their actions come from the admin site's registry
(admin_pages.py), so a model registered later is covered by itself.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from hypothesis import given
from hypothesis import strategies as st

from .admin_pages import action_names, changelist_url, list_parameters, registered
from .conftest import STAFF_ROLES, rolled_back
from .helpers import answer_to, summary
from .strategies import EDGE_VALUES, edge_or_hostile, hostile_raw

pytestmark = pytest.mark.django_db

ADMINS = dict(registered())
role = st.sampled_from(STAFF_ROLES)


@pytest.mark.parametrize("label", list(ADMINS))
def test_each_list_parameter_at_its_edges_gets_a_page_or_a_4xx(staff, label):
    model_admin = ADMINS[label]
    url = changelist_url(model_admin)
    superuser = staff["clients"]["superuser"]
    names = list_parameters(model_admin, staff["users"]["superuser"])
    failures = []
    for name in names:
        for value in EDGE_VALUES:
            try:
                with rolled_back():  # on PostgreSQL, so that one error does not abort the rest
                    answer_to("get", url, [(name, value)], client=superuser)
            except AssertionError as failure:
                failures.append(summary(failure))
    # All of them at once: one crash must not hide the next parameter's.
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("label", list(ADMINS))
@given(data=st.data(), role=role)
def test_any_query_string_on_a_changelist_gets_a_page_or_a_4xx(staff, label, data, role):
    model_admin = ADMINS[label]
    names = list_parameters(model_admin, staff["users"]["superuser"])
    pairs = data.draw(
        st.lists(
            st.tuples(st.one_of(st.sampled_from(names), hostile_raw), edge_or_hostile),
            min_size=1,
            max_size=4,
        )
    )
    answer_to("get", changelist_url(model_admin), pairs, client=staff["clients"][role])


@pytest.mark.parametrize("label", list(ADMINS))
@given(data=st.data(), role=role)
def test_any_action_on_any_selection_gets_a_page_or_a_4xx(staff, label, data, role):
    model_admin = ADMINS[label]
    actions = action_names(model_admin, staff["users"]["superuser"])
    real = [str(pk) for pk in model_admin.model._default_manager.values_list("pk", flat=True)[:3]]
    choice = st.one_of(st.sampled_from(real), edge_or_hostile) if real else edge_or_hostile
    # The front page offers no action at all (it is never deleted): only made-up names then.
    action = st.one_of(st.sampled_from(actions), hostile_raw) if actions else hostile_raw
    pairs = [
        ("action", data.draw(action)),
        ("index", data.draw(st.sampled_from(["0", *EDGE_VALUES]))),
        *((ACTION_CHECKBOX_NAME, pk) for pk in data.draw(st.lists(choice, max_size=3))),
    ]
    # Past the confirmation pages of delete_selected and unpublish_selected, sometimes.
    if data.draw(st.booleans()):
        pairs += [("post", "yes"), ("confirm", "yes")]
    if data.draw(st.booleans()):
        pairs.append(("select_across", data.draw(st.sampled_from(["1", *EDGE_VALUES]))))
    with rolled_back():
        answer_to("post", changelist_url(model_admin), pairs, client=staff["clients"][role])
