"""Who sees the indicators.

- Anyone reads the open data (aggregated figures, never personal data).
- National administrators see the national dashboard and every region's.
- Regional staff and partner viewers see their own region's dashboard and reports (read-only for
  partners); another region's is a 404.
- Regional staff (and national administrators) start the edition report.
"""

import rules

from tadamon.core.rules import can_manage_region, can_view_region, is_national_admin

rules.add_perm("insights.view_national", is_national_admin)
rules.add_perm("insights.view_region", can_view_region)
rules.add_perm("insights.make_report", can_manage_region)
