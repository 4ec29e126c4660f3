"""Who may do what with fairs.

- Anyone reads published editions (not drafts) and, after publication, their exhibitors.
- Representatives apply for the organizations they represent and see only those applications.
- Regional staff run the editions of their region (call, review, selection, publication);
  national administrators every region. Partner viewers read. Applicants never score.
"""

import rules

from tadamon.core.rules import can_manage_region, can_view_region
from tadamon.registry.rules import is_representative_of


@rules.predicate
def manages_edition(user, edition):
    return edition is not None and bool(can_manage_region(user, edition.region))


@rules.predicate
def views_edition(user, edition):
    return edition is not None and bool(can_view_region(user, edition.region))


@rules.predicate
def represents_applicant(user, application):
    return application is not None and bool(is_representative_of(user, application.organization))


rules.add_perm("fairs.manage_edition", manages_edition)
rules.add_perm("fairs.view_edition_admin", views_edition)
rules.add_perm("fairs.edit_application", represents_applicant)
rules.add_perm("fairs.review_application", manages_edition)
